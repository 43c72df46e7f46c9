/** Lambda entry: `devices` HTTP API function, composed from the AWS adapters. */
import { devicesHandler } from '../../handlers/devices';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = devicesHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
