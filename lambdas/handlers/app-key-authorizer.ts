/** Lambda `app-key-authorizer`: HTTP API Lambda authorizer (simple responses) for the device routes. */
import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { UnauthorizedError } from '../domain/errors';
import type { TenantStore } from '../ports/tenant-store';
import { authorizeAppKey } from '../use-cases/tenants/app-keys';
import { lambdaLogContext, logger } from '../logging/logger';
import { lambdaTracing } from '../logging/tracer';

export type AppKeyAuthorizerResult = APIGatewaySimpleAuthorizerWithContextResult<{ tenantId: string }>;

export function appKeyAuthorizerHandler(deps: { tenants: TenantStore }) {
  return middy(async (event: APIGatewayRequestAuthorizerEventV2): Promise<AppKeyAuthorizerResult> => {
    const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-app-key')?.[1];
    try {
      return { isAuthorized: true, context: { tenantId: await authorizeAppKey(deps, header) } };
    } catch (err) {
      if (!(err instanceof UnauthorizedError)) logger.error('app key check failed', { error: err as Error });
      return { isAuthorized: false, context: { tenantId: '' } };
    }
  })
    .use(lambdaLogContext())
    .use(lambdaTracing());
}
