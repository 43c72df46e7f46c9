/** Lambda `trigger`: EventBridge Scheduler (or an async invoke for "send now", or its own continuation) fires a campaign wave. */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { parseWith } from '../domain/validation';
import { fireWave, type FireWaveDeps } from '../use-cases/delivery/fire-wave';
import { CORRELATION_ID_PATTERN } from '../domain/ids';
import { lambdaLogContext, logger, setCorrelationId } from '../logging/logger';
import { lambdaTracing } from '../logging/tracer';

const triggerSchema = z.object({
  tenantId: z.string().min(1),
  campaignId: z.string().min(1),
  wave: z.string().min(1),
  // The launch request's; absent on schedules made before it was carried.
  correlationId: z.string().regex(CORRELATION_ID_PATTERN).optional(),
});

/**
 * Time left below which the trigger hands the rest of a wave to a new invocation: one step (a few
 * Athena pages, their SQS batches, one DynamoDB write) takes seconds; this leaves room for a slow one.
 */
export const YIELD_MARGIN_MS = 60_000;

export function triggerHandler(deps: FireWaveDeps) {
  return middy(async (event: unknown, context: Context) => {
    const trigger = parseWith(triggerSchema, event);
    setCorrelationId(trigger.correlationId);
    logger.info('wave fired', { ...trigger });
    const outcome = await fireWave(deps, trigger, { shouldYield: () => context.getRemainingTimeInMillis() < YIELD_MARGIN_MS });
    logger.info('wave firing ended', { ...trigger, outcome });
  })
    .use(lambdaLogContext())
    .use(lambdaTracing());
}
