/** Lambda entry: `segments` HTTP API function, composed from the AWS adapters. */
import { segmentsHandler } from '../../handlers/segments';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = segmentsHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
