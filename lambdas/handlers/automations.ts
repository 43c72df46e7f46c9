/**
 * Lambda `automations`: the timed side of automated campaigns.
 * - Scheduled `{kind: "sweep"}` every minute: due devices go to the send queue (sweep-due.ts); it
 *   stops taking new steps when its time runs short, and the next minute's run goes on.
 * - Scheduled `{kind: "inactivity"}` once a day: the inactivity triggers' query (evaluate-inactivity.ts).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { parseWith } from '../domain/validation';
import { evaluateInactivity, type InactivityDeps } from '../use-cases/automations/evaluate-inactivity';
import { sweepDue, type SweepDeps } from '../use-cases/automations/sweep-due';
import { lambdaLogContext, logger } from '../logging/logger';
import { lambdaTracing } from '../logging/tracer';

const jobSchema = z.object({ kind: z.enum(['sweep', 'inactivity']) });

/** A sweep takes no new step with less than this left (a step of 1,000 items takes a few seconds). */
export const SWEEP_MARGIN_MS = 20_000;
/** The inactivity run starts no new automation's query with less than this left (one query may take its timeout, 150 s). */
export const INACTIVITY_MARGIN_MS = 170_000;

export function automationsHandler(deps: SweepDeps & InactivityDeps) {
  return middy(async (event: unknown, context: Context) => {
    const { kind } = parseWith(jobSchema, event);
    if (kind === 'sweep') {
      const out = await sweepDue(deps, { shouldStop: () => context.getRemainingTimeInMillis() < SWEEP_MARGIN_MS });
      if (out.enqueued + out.exited + out.dropped + out.parked > 0) logger.info('automations swept', { ...out });
      return out;
    }
    const entered = await evaluateInactivity(deps, { shouldStop: () => context.getRemainingTimeInMillis() < INACTIVITY_MARGIN_MS });
    logger.info('inactivity evaluated', { entered });
    return { entered };
  })
    .use(lambdaLogContext())
    .use(lambdaTracing());
}
