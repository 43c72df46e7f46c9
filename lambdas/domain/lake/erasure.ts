/** Erasures (POST /v1/erasures): forgetting a shopper or a device everywhere the service keeps them. */
import * as z from 'zod';
import { deviceIdSchema } from '../devices/device';

/** Body of POST /v1/erasures: exactly one of customerId or deviceId. */
export const erasureRequestSchema = z.union([
  z.strictObject({ customerId: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters') }),
  z.strictObject({ deviceId: deviceIdSchema }),
]);

export type ErasureSubject = { customerId: string } | { deviceId: string };

export type ErasureStatus = 'running' | 'succeeded' | 'failed';

export interface Erasure {
  id: string;
  tenantId: string;
  subject: ErasureSubject;
  status: ErasureStatus;
  /** Devices removed (records and lake rows), once succeeded. */
  devices?: number;
  /** Distinct events removed from the lake, once succeeded. */
  events?: number;
  /** Why it failed (for the operator; the merchant may start it again). */
  error?: string;
  createdAt: string;
  completedAt?: string;
}

/** The erasure as the API shows it. */
export function erasureView(e: Erasure): Record<string, unknown> {
  return {
    id: e.id,
    status: e.status,
    ...e.subject,
    createdAt: e.createdAt,
    ...(e.completedAt ? { completedAt: e.completedAt } : {}),
    ...(e.status === 'succeeded' ? { devices: e.devices ?? 0, events: e.events ?? 0 } : {}),
    ...(e.status === 'failed' && e.error ? { error: e.error } : {}),
  };
}

/** A stable name of the subject (one running erasure per subject and tenant). */
export function subjectKey(s: ErasureSubject): string {
  return 'customerId' in s ? `customer:${s.customerId}` : `device:${s.deviceId}`;
}
