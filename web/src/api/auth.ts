/**
 * Local login: when served by `npm start`, POST /local/tenants {"tenantId":"demo"} gives a token;
 * it is kept in sessionStorage for the tab. (In AWS the Cognito hosted UI would provide it.)
 */
const KEY = 'segmented-push.token';
const TENANT_KEY = 'segmented-push.tenant';
export const DEFAULT_TENANT = 'demo';

let pending: Promise<string | null> | null = null;

export function currentTenant(): string {
  return sessionStorage.getItem(TENANT_KEY) ?? DEFAULT_TENANT;
}

async function issue(tenantId: string): Promise<string | null> {
  const res = await fetch('/local/tenants', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ tenantId }),
  });
  if (!res.ok) return null;
  const body = (await res.json()) as { token?: string };
  if (!body.token) return null;
  sessionStorage.setItem(KEY, body.token);
  sessionStorage.setItem(TENANT_KEY, tenantId);
  return body.token;
}

/** The stored token, or a new local one. Concurrent callers share one login request. */
export async function getToken(): Promise<string | null> {
  const stored = sessionStorage.getItem(KEY);
  if (stored) return stored;
  return refreshToken();
}

/** Forget the token and log in again (after a 401). */
export function refreshToken(tenantId = currentTenant()): Promise<string | null> {
  sessionStorage.removeItem(KEY);
  pending ??= issue(tenantId).finally(() => {
    pending = null;
  });
  return pending;
}

/** Switch to another local tenant (created if needed). */
export async function switchTenant(tenantId: string): Promise<boolean> {
  sessionStorage.removeItem(KEY);
  return (await refreshToken(tenantId)) !== null;
}
