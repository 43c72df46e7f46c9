/** Lambda entry: fires a campaign wave (EventBridge Scheduler target). */
import { triggerHandler } from '../../handlers/trigger';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = triggerHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
