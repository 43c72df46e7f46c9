/** Lambda entry: sweeps automated campaigns' due devices to the send queue; evaluates inactivity triggers daily (EventBridge rules). */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { automationsHandler } from '../../handlers/automations';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = automationsHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
