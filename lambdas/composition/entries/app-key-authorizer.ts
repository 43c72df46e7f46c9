/** Lambda entry: the HTTP API authorizer of the device routes (X-App-Key → tenant). */
import { appKeyAuthorizerHandler } from '../../handlers/app-key-authorizer';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = appKeyAuthorizerHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
