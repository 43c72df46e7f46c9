/** Resource ids: a prefix, a time-sortable part (so lists come out in creation order) and randomness. */
import { randomBytes } from 'node:crypto';

export function newId(prefix: string, now: Date = new Date()): string {
  return `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

/** Ids in paths are opaque strings; this bounds them so junk never reaches a store. */
export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A correlation id (from a caller's `x-correlation-id`, or a request id) that ties the log entries of
 * one piece of work together: bounded and plain, so a caller cannot forge log structure with it.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
