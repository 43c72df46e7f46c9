/**
 * The correlation id of an HTTP request: the caller's `x-correlation-id` when it is a plausible id
 * (1–128 of letters, digits and `-_.:`), else the API Gateway request id. It goes on every log entry
 * of the request, back to the caller as the `x-correlation-id` response header, and on with the work
 * the request starts (a campaign launch carries it to the trigger and each send batch).
 */
import type { Context } from 'aws-lambda';
import { CORRELATION_ID_PATTERN } from '../../domain/ids';
import type { ApiEvent } from '../../ports/http-entry';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** True for a correlation id we accept from a caller (or carry in a payload). */
export function validCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID_PATTERN.test(value);
}

/** The request's correlation id (undefined only for an event with no request id at all). */
export function correlationIdOf(event: ApiEvent | undefined, context: Context | undefined): string | undefined {
  const headers = event?.headers ?? {};
  const given = Object.entries(headers).find(([k]) => k.toLowerCase() === CORRELATION_ID_HEADER)?.[1];
  if (validCorrelationId(given)) return given;
  return event?.requestContext?.requestId || context?.awsRequestId || undefined;
}
