/** Lambda entry: `settings` HTTP API function, composed from the AWS adapters. */
import { settingsHandler } from '../../handlers/settings';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = settingsHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
