import { randomUUID } from 'node:crypto';
import { ErrorDetail, ValidationError } from '../../domain/errors';
import { eventBatchSchema, eventLakeRow, eventSchema, timestampProblem } from '../../domain/events/event';
import type { EventRow } from '../../domain/lake-schema';
import { formatZodIssues, parseWith } from '../../domain/validation';
import type { Clock } from '../../ports/clock';
import type { EventLake } from '../../ports/event-lake';
import type { InsightsCache } from '../../ports/insights-cache';
import { logger } from '../../logging/logger';
import { enterAutomations, type EnterDeps } from '../automations/enter-automations';

export interface IngestEventsDeps extends EnterDeps {
  lake: EventLake;
  clock: Clock;
  /** Where accepted opens and purchases are noted, so cached insights computed before them are stale. */
  insightsCache: Pick<InsightsCache, 'noteEvents'>;
}

/** The event types insights count (engagement-sql): only these make cached figures stale. */
const COUNTED_IN_INSIGHTS = new Set(['push_open', 'purchase']);

export interface RejectedEvent {
  index: number;
  error: { code: string; message: string; details: ErrorDetail[] };
}

/**
 * POST /v1/events: each event is validated on its own; valid ones are appended durably before the
 * answer, invalid ones are reported by index. A batch with nothing valid is a 400 and stores nothing.
 */
export async function ingestEvents(deps: IngestEventsDeps, input: { tenantId: string; body: unknown }) {
  const { events } = parseWith(eventBatchSchema, input.body);
  const now = deps.clock.now();
  const accepted: EventRow[] = [];
  const rejected: RejectedEvent[] = [];
  events.forEach((raw, index) => {
    const prefix = `events[${index}]`;
    const parsed = eventSchema.safeParse(raw);
    let details: ErrorDetail[] | undefined;
    if (!parsed.success) details = formatZodIssues(parsed.error, prefix);
    else {
      const problem = timestampProblem(parsed.data.ts, now);
      if (problem) details = [{ path: `${prefix}.ts`, message: problem }];
      else accepted.push(eventLakeRow(parsed.data, parsed.data.eventId ?? `srv-${randomUUID()}`, now));
    }
    if (details) {
      rejected.push({ index, error: { code: 'validation_error', message: `${details[0].path}: ${details[0].message}`, details } });
    }
  });
  if (accepted.length === 0) {
    const details = rejected.flatMap((r) => r.error.details);
    throw new ValidationError(`no event was valid; ${details[0].path}: ${details[0].message}`, details, 'validation_error', { rejected });
  }
  // Automations first (idempotent: keyed by event id), so a failure fails the batch and the SDK's retry enters it.
  await enterAutomations(deps, input.tenantId, accepted, now);
  await deps.lake.appendEvents(input.tenantId, accepted);
  if (accepted.some((e) => COUNTED_IN_INSIGHTS.has(e.type))) {
    // After the append, so the mark is never earlier than the events it stands for. The events are
    // kept already: a failed note must not fail the batch (a retry would double events without an
    // eventId); the insights TTL bounds the staleness then. Logged, so a lost grant or throttling shows.
    await deps.insightsCache
      .noteEvents(input.tenantId, deps.clock.now())
      .catch((err: Error) => logger.warn('insights freshness mark not written', { tenantId: input.tenantId, error: err }));
  }
  return { accepted: accepted.length, rejected };
}
