/**
 * The one HTTP client of the UI: adds the bearer token, parses API.md's error body into ApiError
 * (with `details[].path` so forms can put each message next to its field) and retries once with a
 * fresh local token when the stored one is rejected.
 */
import { getToken, refreshToken } from './auth';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** A non-2xx answer of the API (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Any further fields of the error object (e.g. the referrers of segment_in_use). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message for one field path (exact match), if the API named it. */
  forPath(path: string): string | undefined {
    return this.details.find((d) => d.path === path)?.message;
  }
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(method: string, path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });
}

/** Reads the API.md error body, falling back to a plain message when there is none. */
async function toError(res: Response): Promise<ApiError> {
  let parsed: any;
  try {
    parsed = await res.json();
  } catch {
    parsed = undefined;
  }
  const e = parsed?.error;
  if (e && typeof e === 'object') {
    const { code, message, details, ...extra } = e;
    const list = Array.isArray(details)
      ? details.filter((d: any) => d && typeof d.path === 'string').map((d: any) => ({ path: d.path, message: String(d.message ?? '') }))
      : [];
    return new ApiError(res.status, String(code ?? 'error'), String(message ?? res.statusText), list, extra);
  }
  return new ApiError(res.status, res.status === 404 ? 'not_found' : 'error', `${res.status} ${res.statusText || 'request failed'}`);
}

/** Calls the API and returns status, parsed body and headers; throws ApiError on non-2xx. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  let res: Response;
  try {
    res = await send(method, path, opts, await getToken());
    if (res.status === 401) res = await send(method, path, opts, await refreshToken());
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The service could not be reached. Check that it is running.');
  }
  if (!res.ok) throw await toError(res);
  const text = res.status === 204 ? '' : await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts).then((r) => r.body),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }).then((r) => r.body),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }).then((r) => r.body),
  del: (path: string, opts?: RequestOptions) => request<void>('DELETE', path, opts).then(() => undefined),
};

/** A readable sentence for any error thrown by the client. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Path segments are always encoded: ids come from the API but are still user-controlled text. */
export const enc = encodeURIComponent;
