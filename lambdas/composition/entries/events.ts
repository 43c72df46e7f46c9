/** Lambda entry: `events` HTTP API function, composed from the AWS adapters. */
import { eventsHandler } from '../../handlers/events';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = eventsHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
