/** Lambda `trigger`: EventBridge Scheduler (or an async invoke for "send now") fires a campaign wave. */
import middy from '@middy/core';
import * as z from 'zod';
import { parseWith } from '../domain/validation';
import { fireWave, type FireWaveDeps } from '../use-cases/delivery/fire-wave';
import { logger } from './http/logger';

const triggerSchema = z.object({ tenantId: z.string().min(1), campaignId: z.string().min(1), wave: z.string().min(1) });

export function triggerHandler(deps: FireWaveDeps) {
  return middy(async (event: unknown) => {
    const trigger = parseWith(triggerSchema, event);
    logger.info('wave fired', { ...trigger });
    await fireWave(deps, trigger);
  });
}
