/**
 * Which world the UI runs in. The web stack deploys /config.json next to the UI (Cognito sign-in);
 * `npm start` has none and answers unknown paths with index.html, so an HTML, non-JSON, 404 or
 * malformed answer means "local" (POST /local/tenants).
 */
import { isCognitoConfig, type CognitoConfig } from './oauth';

/** The Cognito settings, or null in the local world. A network failure is thrown, not taken for "local". */
export async function loadRuntimeConfig(fetchFn: typeof fetch = fetch): Promise<CognitoConfig | null> {
  const res = await fetchFn('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) return null;
  if ((res.headers.get('content-type') ?? '').includes('html')) return null;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return null;
  }
  return isCognitoConfig(body) ? body : null;
}
