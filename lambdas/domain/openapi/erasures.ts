/** OpenAPI schemas of deletion and erasure (API.md, "Devices and erasure"). */
import * as z from 'zod';
import { DEVICE_ID_PATTERN } from '../devices/device';
import { erasureRequestSchema, type ErasureStatus } from '../lake/erasure';

const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

export const ERASURE_STATUSES = ['running', 'succeeded', 'failed'] as const satisfies readonly ErasureStatus[];

/** POST /v1/erasures: the very schema the use case parses with, documented. */
export const erasureRequestDocSchema = erasureRequestSchema.describe(
  'exactly one of `customerId` (every device the shopper ever registered) or `deviceId`',
);

const common = {
  id: z.string(),
  status: z
    .enum(ERASURE_STATUSES)
    .describe('`running` until the lake files holding the subject are rewritten without it and its records are gone'),
  createdAt: isoTime,
  completedAt: isoTime.optional().describe('when it succeeded or failed'),
  devices: count.optional().describe('devices removed (records and lake rows); once succeeded'),
  events: count.optional().describe('distinct events removed from the lake; once succeeded'),
  error: z.string().optional().describe('why it failed (it may be started again)'),
};

/** erasureView: the erasure with its subject (customerId or deviceId) inline. */
export const erasureSchema = z.union([
  z.object({ ...common, customerId: z.string() }),
  z.object({ ...common, deviceId: z.string().regex(DEVICE_ID_PATTERN) }),
]);
