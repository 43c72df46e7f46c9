/** Lambda entry: lake maintenance (scheduled compaction and sweeps; compaction and erasure jobs from its queue). */
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { maintenanceHandler } from '../../handlers/maintenance';
import { awsDeps, powertoolsMetrics } from '../aws';

export const handler = maintenanceHandler(awsDeps()).use(logMetrics(powertoolsMetrics));
