/**
 * Value schemas, one per ValueType of the filter model, plus the date parsing shared by the
 * compiler and tests (so "a date alone is 00:00 UTC" is decided in one place).
 */
import * as z from 'zod';
import { VERSION_PATTERN } from '../version-key';
import { isCountryCode } from '../countries';
import { LIMITS, PLATFORMS, type ValueType } from './filters';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/** Parses an ISO date (00:00 UTC) or date-time (UTC when it has no offset); null when invalid. */
export function parseIsoDate(value: string): Date | null {
  const d = DATE_ONLY.exec(value);
  if (d) return validDay(d[1], d[2], d[3]) ? new Date(`${value}T00:00:00.000Z`) : null;
  const t = DATE_TIME.exec(value);
  if (!t || !validDay(t[1], t[2], t[3]) || Number(t[4]) > 23 || Number(t[5]) > 59 || Number(t[6] ?? 0) > 59) return null;
  // Without an offset the time is taken as UTC, never as the server's local time.
  const ms = Date.parse(t[7] ? value : `${value}Z`);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

const days = z.number().int().min(0).max(LIMITS.maxDays);
const date = z.string().refine((s) => parseIsoDate(s) !== null, 'must be an ISO date (2026-11-28) or date-time (2026-11-28T17:00:00Z)');
const number = z.number();
const numberRange = z
  .tuple([z.number(), z.number()], { error: 'must be [min, max]' })
  .refine(([min, max]) => min <= max, 'min must not be greater than max');
const productIds = z.array(z.string().min(1).max(LIMITS.maxProductIdLength)).min(1).max(LIMITS.maxProducts);
const countries = z
  .array(z.string().refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code'))
  .min(1)
  .max(300)
  .transform((codes) => [...new Set(codes.map((c) => c.toUpperCase()))]);
const platforms = z
  .array(z.enum(PLATFORMS))
  .min(1)
  .max(2)
  .transform((p) => [...new Set(p)]);
const version = z.string().max(64).regex(VERSION_PATTERN, 'must be a version like 5, 5.10 or 5.10.2');
const segment = z.string().min(1).max(LIMITS.maxSegmentIdLength);

/** The schema of `value` for each value type ('none' = the key must be absent). */
export const VALUE_SCHEMAS: Record<Exclude<ValueType, 'none'>, z.ZodType> = {
  days,
  date,
  number,
  number_range: numberRange,
  boolean: z.boolean(),
  product_ids: productIds,
  countries,
  platforms,
  version,
  segment,
};
