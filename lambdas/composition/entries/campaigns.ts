/** Lambda entry: `campaigns` HTTP API function, composed from the AWS adapters. */
import { campaignsHandler } from '../../handlers/campaigns';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = campaignsHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
