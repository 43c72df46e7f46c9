/** Domain errors → API.md status and error body. Unknown errors become a generic 500. */
import { DomainError } from '../../domain/errors';

const STATUS: Record<DomainError['kind'], number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details?: { path: string; message: string }[]; [k: string]: unknown } };
}

export function errorResponse(err: unknown): ErrorResponse {
  if (err instanceof DomainError) {
    return {
      status: STATUS[err.kind],
      body: { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}), ...(err.extra ?? {}) } },
    };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'the service failed to handle this request' } } };
}
