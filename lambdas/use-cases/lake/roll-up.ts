/**
 * After a rollup run that left out-of-date days for later (its budget of builds ran out): a `rollup`
 * job for the days older than the oldest it built, a minute later, so a chain of them ends however
 * many days late events keep changing. The maintenance job and the erasure both end their runs so.
 */
import { logger } from '../../logging/logger';
import type { MaintenanceJobs } from '../../ports/maintenance-jobs';
import type { RollUpReport } from '../../ports/rollups';

export async function continueRollups(jobs: MaintenanceJobs | undefined, tenantId: string, report: RollUpReport): Promise<void> {
  const { rolled, remaining } = report;
  if (rolled.length > 0 || remaining > 0)
    logger.info('event rollups', { tenantId, days: rolled.length, newest: rolled[0], oldest: rolled[rolled.length - 1], remaining });
  if (remaining > 0 && rolled.length > 0)
    await jobs?.enqueue([{ kind: 'rollup', tenantId, olderThan: rolled[rolled.length - 1] }], { delaySeconds: 60 });
}
