/**
 * Typed domain errors. They carry a stable `code` from API.md but no HTTP status:
 * the error middleware (lambdas/handlers/middleware/errors.ts) maps classes to statuses.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'unauthorized' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'unavailable';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A domain error class of one kind and code, its message made from the constructor's arguments. */
function errorClass<K extends DomainError['kind'], A extends unknown[]>(kind: K, code: string, message: (...args: A) => string) {
  return class extends DomainError {
    readonly kind = kind;
    constructor(...args: A) {
      super(code, message(...args));
    }
  };
}

/** The request is malformed or breaks a rule (400). */
export class ValidationError extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(message: string, details?: ErrorDetail[], code = 'validation_error', extra?: Record<string, unknown>) {
    super(code, message, details, extra);
  }
}

/** Missing or invalid credentials (401). */
export class UnauthorizedError extends errorClass(
  'unauthorized',
  'unauthorized',
  (message: string = 'missing or invalid credentials') => message,
) {}

/** No such resource for this tenant (404). */
export class NotFoundError extends errorClass('not_found', 'not_found', (what: string) => `${what} not found`) {}

/** The resource's state forbids the action (409). `code` is conflict, segment_in_use, version_mismatch or invalid_state. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
  constructor(
    code: 'conflict' | 'segment_in_use' | 'version_mismatch' | 'invalid_state',
    message: string,
    extra?: Record<string, unknown>,
  ) {
    super(code, message, undefined, extra);
  }
}

/** Request body over the limit (413). */
export class BodyTooLargeError extends errorClass(
  'too_large',
  'body_too_large',
  (limitBytes: number) => `request body is over ${limitBytes} bytes`,
) {}

/** Too many requests (429). */
export class RateLimitedError extends errorClass('rate_limited', 'rate_limited', (message: string = 'too many requests') => message) {}

/**
 * A segment query took longer than this request may wait, and was stopped (503). Nothing was
 * changed; the same request a little later (the lake is warmer, Athena less busy) may succeed.
 */
export class QueryTimeoutError extends errorClass(
  'unavailable',
  'query_timeout',
  (waitedMs: number) =>
    `the segment query did not finish within ${Math.round(waitedMs / 1000)} s and was stopped; nothing was changed, please retry in a moment`,
) {}
