/**
 * Lambda `maintenance`: keeps the event lake compact and carries out erasures.
 * - Scheduled `{kind: "daily"}` (02:15 UTC): one compaction job per tenant onto the maintenance
 *   queue (closed days only; superseded device snapshots dropped).
 * - Scheduled `{kind: "hourly"}`: removes files whose deferred removal is due, counts objects the
 *   lake's writers failed to deliver (metric, alarmed), and hands erasures left `running` by a dead
 *   worker to the queue again.
 * - SQS batches of jobs (compact / erase), one at a time (batch size 1): a failed job is retried
 *   by the queue; an erasure whose last attempt fails is marked `failed`.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { METRICS } from '../config/metric-names';
import { parseWith } from '../domain/validation';
import type { Clock } from '../ports/clock';
import type { ErasureStore } from '../ports/erasure-store';
import type { LakeMaintenance } from '../ports/lake-maintenance';
import { MAINTENANCE_MAX_RECEIVES, type MaintenanceJob, type MaintenanceJobs } from '../ports/maintenance-jobs';
import type { RollupBuilder } from '../ports/rollups';
import type { Metrics } from '../ports/metrics';
import { compactTenant, type CompactDeps } from '../use-cases/lake/compact-lake';
import { failErasure, LakeBusyError, runErasure, type EraseDeps } from '../use-cases/lake/erasure';
import { continueRollups } from '../use-cases/lake/roll-up';
import { lambdaLogContext, logger } from '../logging/logger';
import { lambdaTracing } from '../logging/tracer';

/** A `running` erasure older than this is handed to the queue again by the hourly run (a worker died with it, or its message was lost). */
export const ERASURE_STUCK_MS = 2 * 3_600_000;
/** A job that found the tenant's lake busy (another maintenance holds it) comes back this much later, without counting an attempt. */
export const BUSY_RETRY_SECONDS = 120;
/**
 * Rollup builds per job: each is an Athena UNLOAD plus copies (a few seconds in AWS), so a job stays
 * well inside the function's 15 minutes after its compaction; a tenant's first run (its whole
 * history) continues in `rollup` jobs, newest days first.
 */
export const ROLLUP_BUILDS_PER_JOB = 40;

export type MaintenanceDeps = CompactDeps &
  EraseDeps & {
    erasures: ErasureStore;
    maintenance: LakeMaintenance;
    maintenanceJobs: MaintenanceJobs;
    metrics: Metrics;
    clock: Clock;
    /** Days of events and deliveries kept; older day partitions are removed by the daily run. */
    lakeRetentionDays?: number;
    /** Device-day rollups, rolled after each compaction of a tenant (absent: none are made). */
    rollups?: RollupBuilder;
  };

const jobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('compact'),
    tenantId: z.string().min(1),
    before: z.string().optional(),
    dropSuperseded: z.boolean().optional(),
    expireBefore: z.string().optional(),
  }),
  z.object({ kind: z.literal('erase'), tenantId: z.string().min(1), erasureId: z.string().min(1) }),
  z.object({ kind: z.literal('rollup'), tenantId: z.string().min(1), olderThan: z.string().optional() }),
]);
const tickSchema = z.object({ kind: z.enum(['hourly', 'daily']) });

/** Run one job; throws to have it retried. `lastAttempt`: an erasure failing now is marked failed instead. */
export async function runMaintenanceJob(deps: MaintenanceDeps, job: MaintenanceJob, lastAttempt: boolean): Promise<void> {
  if (job.kind === 'compact') {
    const report = await compactTenant(deps, job.tenantId, {
      before: job.before,
      dropSuperseded: job.dropSuperseded,
      expireBefore: job.expireBefore,
    });
    deps.metrics.count(METRICS.lakePartitionsCompacted, report.partitions);
    if (report.partitions > 0 || report.changed > 0 || !report.ran) logger.info('lake compaction', { tenantId: job.tenantId, report });
    // Closed days whose rollup is missing or out of date (after the compaction, which renames their files) are rolled again.
    await rollUp(deps, job.tenantId, undefined);
    return;
  }
  if (job.kind === 'rollup') {
    if (!(await rollUp(deps, job.tenantId, job.olderThan))) await deps.maintenanceJobs.enqueue([job], { delaySeconds: BUSY_RETRY_SECONDS });
    return;
  }
  try {
    const erasure = await runErasure(deps, job.tenantId, job.erasureId);
    logger.info('erasure ran', { tenantId: job.tenantId, erasureId: job.erasureId, status: erasure?.status });
  } catch (err) {
    if (err instanceof LakeBusyError) {
      // Not a failure: a new message later, so waiting for the lease never uses up the job's attempts.
      await deps.maintenanceJobs.enqueue([job], { delaySeconds: BUSY_RETRY_SECONDS });
      return;
    }
    if (!lastAttempt) throw err;
    logger.error('erasure failed after every attempt', { tenantId: job.tenantId, erasureId: job.erasureId, error: (err as Error).message });
    deps.metrics.count(METRICS.erasureFailed, 1);
    await failErasure(deps, job.tenantId, job.erasureId, (err as Error).message);
  }
}

/**
 * Roll up the tenant's closed days under its lease (an erasure rolls its days too; two builders would
 * build twice), at most ROLLUP_BUILDS_PER_JOB builds, newest days first; what is left goes to a
 * `rollup` job of its own, for strictly older days (so a chain of them ends, however many days late
 * events keep changing). False when another maintenance held the tenant.
 */
async function rollUp(deps: MaintenanceDeps, tenantId: string, olderThan: string | undefined): Promise<boolean> {
  const rollups = deps.rollups;
  if (!rollups) return true;
  const today = deps.clock.now().toISOString().slice(0, 10);
  const out = await deps.maintenance.exclusive(tenantId, deps.clock.now(), () =>
    rollups.rollUp(tenantId, today, { maxBuilds: ROLLUP_BUILDS_PER_JOB, ...(olderThan ? { olderThan } : {}) }),
  );
  if (!out.ran) return false;
  await continueRollups(deps.maintenanceJobs, tenantId, out.value);
  return true;
}

/** The scheduled runs. */
export async function runMaintenanceTick(deps: MaintenanceDeps, kind: 'hourly' | 'daily'): Promise<void> {
  const now = deps.clock.now();
  if (kind === 'daily') {
    const today = now.toISOString().slice(0, 10);
    const expireBefore = deps.lakeRetentionDays
      ? new Date(now.getTime() - deps.lakeRetentionDays * 86_400_000).toISOString().slice(0, 10)
      : undefined;
    const tenants = await deps.maintenance.tenants();
    await deps.maintenanceJobs.enqueue(
      tenants.map((tenantId) => ({
        kind: 'compact',
        tenantId,
        before: today,
        dropSuperseded: true,
        ...(expireBefore ? { expireBefore } : {}),
      })),
    );
    logger.info('daily compaction enqueued', { tenants: tenants.length });
    return;
  }
  const swept = await deps.maintenance.sweep(now);
  const failed = await deps.maintenance.failedDeliveries(new Date(now.getTime() - 3_600_000));
  deps.metrics.count(METRICS.lakeDeliveryErrors, failed);
  const stuck = (await deps.erasures.running()).filter((e) => now.getTime() - Date.parse(e.createdAt) > ERASURE_STUCK_MS);
  if (stuck.length > 0) await deps.maintenanceJobs.enqueue(stuck.map((e) => ({ kind: 'erase', tenantId: e.tenantId, erasureId: e.id })));
  logger.info('hourly lake maintenance', { swept, failedDeliveries: failed, resumedErasures: stuck.length });
}

export function maintenanceHandler(deps: MaintenanceDeps) {
  return middy(async (event: unknown, _context: Context): Promise<SQSBatchResponse | void> => {
    if (typeof event === 'object' && event !== null && 'Records' in event) {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of (event as SQSEvent).Records) {
        try {
          const job = parseWith(jobSchema, JSON.parse(record.body)) as MaintenanceJob;
          await runMaintenanceJob(deps, job, Number(record.attributes.ApproximateReceiveCount) >= MAINTENANCE_MAX_RECEIVES);
        } catch (err) {
          logger.warn('maintenance job failed; the queue retries it', { messageId: record.messageId, error: (err as Error).message });
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    }
    const tick = parseWith(tickSchema, event);
    await runMaintenanceTick(deps, tick.kind);
  })
    .use(lambdaLogContext())
    .use(lambdaTracing());
}
