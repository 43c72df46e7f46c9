/**
 * The HTTP entry: API Gateway (HTTP API, payload v2) in AWS, the local gateway
 * (adapters/local/http-gateway.ts) on one machine. Both hand the same event, with the same
 * authorizer contexts, to the same Lambda handler; this is that contract.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The API Gateway v2 event with the authorizer contexts our stacks (and the local server) fill in. */
export type ApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims: Record<string, unknown> }; lambda?: Record<string, unknown> };
  };
};

/** The tenant: Cognito's `custom:tenant_id` claim, a local token's `tenant_id`, or the app-key authorizer's context. */
export function tenantFromAuthorizer(event: ApiEvent): string | undefined {
  const auth = event.requestContext.authorizer;
  const claim = auth?.jwt?.claims?.['custom:tenant_id'] ?? auth?.jwt?.claims?.['tenant_id'] ?? auth?.lambda?.['tenantId'];
  return typeof claim === 'string' && claim.length > 0 ? claim : undefined;
}
