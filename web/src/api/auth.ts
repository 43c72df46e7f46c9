/**
 * Who the UI calls the API as, in either world (decided once by initAuth from /config.json):
 * - local (`npm start`): POST /local/tenants {"tenantId":"demo"} gives a token, kept in sessionStorage
 *   for the tab; another local tenant can be switched to.
 * - cognito (deployed): the Cognito hosted UI with authorization code + PKCE (cognito.ts); the ID
 *   token is the bearer token and its custom:tenant_id is the tenant.
 */
import * as cognito from './cognito';
import { parseCallback, tenantOf } from './oauth';
import { loadRuntimeConfig } from './runtime-config';

const KEY = 'segmented-push.token';
const TENANT_KEY = 'segmented-push.tenant';
export const DEFAULT_TENANT = 'demo';

export type AuthMode = 'local' | 'cognito';
let mode: AuthMode = 'local';
let pending: Promise<string | null> | null = null;

export { SignInError } from './cognito';

/**
 * Decide the world and, in AWS, finish or start the sign-in. Resolves when the app may render;
 * never resolves while the browser is on its way to the hosted UI; throws SignInError when the
 * hosted UI's answer is refused.
 */
export async function initAuth(): Promise<AuthMode> {
  const config = await loadRuntimeConfig();
  if (!config) return (mode = 'local');
  mode = 'cognito';
  cognito.configure(config);
  const callback = parseCallback(location.search);
  if (callback) await cognito.completeSignIn(callback);
  await cognito.getIdToken();
  return mode;
}

export function authMode(): AuthMode {
  return mode;
}

/** The tenant the UI acts for: the ID token's custom:tenant_id in AWS, the chosen local tenant otherwise. */
export function currentTenant(): string {
  if (mode === 'cognito') {
    const token = cognito.storedIdToken();
    return (token && tenantOf(token)) || '';
  }
  return sessionStorage.getItem(TENANT_KEY) ?? DEFAULT_TENANT;
}

/** Send the user back to the hosted UI after a sign-in error. */
export function signInAgain(): Promise<never> {
  return cognito.startSignIn();
}

/** AWS only: revoke, forget the tokens and end the hosted-UI session. */
export function signOut(): Promise<never> {
  return cognito.signOut();
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

/** The bearer token: the stored one (renewed when expired in AWS), or a new local one. Concurrent callers share one request. */
export async function getToken(): Promise<string | null> {
  if (mode === 'cognito') return cognito.getIdToken();
  const stored = sessionStorage.getItem(KEY);
  if (stored) return stored;
  return refreshToken();
}

/** Forget the token and get a new one (after a 401): refresh token in AWS, log in again locally. */
export function refreshToken(tenantId = currentTenant()): Promise<string | null> {
  if (mode === 'cognito') return cognito.refreshIdToken();
  sessionStorage.removeItem(KEY);
  pending ??= issue(tenantId).finally(() => {
    pending = null;
  });
  return pending;
}

/** Switch to another local tenant (created if needed). Local world only. */
export async function switchTenant(tenantId: string): Promise<boolean> {
  if (mode === 'cognito') return false;
  sessionStorage.removeItem(KEY);
  return (await refreshToken(tenantId)) !== null;
}
