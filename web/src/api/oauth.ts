/**
 * Pure helpers of the OAuth 2.0 authorization-code flow with PKCE (RFC 7636) against the Cognito
 * hosted UI: random values, the S256 challenge, the endpoint URLs and form bodies, and reading the
 * claims of a token. No storage, no navigation, no network: cognito.ts does those.
 */

/** /config.json as the web stack deploys it (lib/constructs/web-sign-in.ts WebRuntimeConfig). */
export interface CognitoConfig {
  auth: 'cognito';
  region: string;
  userPoolId: string;
  clientId: string;
  /** https://<prefix>.auth.<region>.amazoncognito.com, no trailing slash. */
  domain: string;
}

export const OAUTH_SCOPES = 'openid email profile';
/** The claim the API reads the tenant from; only ID tokens carry it. */
export const TENANT_CLAIM = 'custom:tenant_id';

/** True when `x` is a usable /config.json body (anything else means the local world). */
export function isCognitoConfig(x: unknown): x is CognitoConfig {
  if (!x || typeof x !== 'object') return false;
  const c = x as Record<string, unknown>;
  const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;
  return (
    c.auth === 'cognito' &&
    nonEmpty(c.region) &&
    nonEmpty(c.userPoolId) &&
    nonEmpty(c.clientId) &&
    typeof c.domain === 'string' &&
    /^https:\/\/[^/\s?#]+$/.test(c.domain)
  );
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64UrlDecode(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A URL-safe random string of `bytes` bytes of entropy (32 → a 43-char PKCE verifier, the minimum length). */
export function randomToken(bytes = 32, crypto: Crypto = globalThis.crypto): string {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string, crypto: Crypto = globalThis.crypto): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

export interface AuthorizeParams {
  redirectUri: string;
  state: string;
  challenge: string;
  nonce: string;
}

/** GET <domain>/oauth2/authorize: where the browser goes to sign in. */
export function authorizeUrl(cfg: CognitoConfig, p: AuthorizeParams): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: p.redirectUri,
    scope: OAUTH_SCOPES,
    state: p.state,
    nonce: p.nonce,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
  });
  return `${cfg.domain}/oauth2/authorize?${q}`;
}

export function tokenUrl(cfg: CognitoConfig): string {
  return `${cfg.domain}/oauth2/token`;
}

export function revokeUrl(cfg: CognitoConfig): string {
  return `${cfg.domain}/oauth2/revoke`;
}

/** The form body that trades the code for tokens (no client secret: PKCE proves the caller). */
export function codeExchangeBody(cfg: CognitoConfig, p: { code: string; redirectUri: string; verifier: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: cfg.clientId,
    code: p.code,
    redirect_uri: p.redirectUri,
    code_verifier: p.verifier,
  });
}

export function refreshBody(cfg: CognitoConfig, refreshToken: string): URLSearchParams {
  return new URLSearchParams({ grant_type: 'refresh_token', client_id: cfg.clientId, refresh_token: refreshToken });
}

/** GET <domain>/logout: ends the hosted-UI session, then returns to `logoutUri` (a registered sign-out URL). */
export function logoutUrl(cfg: CognitoConfig, logoutUri: string): string {
  return `${cfg.domain}/logout?${new URLSearchParams({ client_id: cfg.clientId, logout_uri: logoutUri })}`;
}

export type CallbackParams =
  { kind: 'code'; code: string; state: string } | { kind: 'error'; error: string; description: string; state: string };

/** Reads the hosted UI's answer from location.search; null when the page was not opened by it. */
export function parseCallback(search: string): CallbackParams | null {
  const q = new URLSearchParams(search);
  const state = q.get('state') ?? '';
  const error = q.get('error');
  if (error) return { kind: 'error', error, description: q.get('error_description') ?? '', state };
  const code = q.get('code');
  if (code) return { kind: 'code', code, state };
  return null;
}

/**
 * The payload of a JWT, unverified: the UI only reads `exp`, `nonce` and the tenant from it; the API's
 * authorizer is what verifies signatures. Null when it is not a JWT.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const json = new TextDecoder().decode(base64UrlDecode(parts[1]));
    const payload = JSON.parse(json) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** True when the token expires within `skewSeconds` of `nowMs` (or carries no readable `exp`). */
export function isExpired(token: string, nowMs = Date.now(), skewSeconds = 60): boolean {
  const exp = decodeJwtPayload(token)?.exp;
  if (typeof exp !== 'number') return true;
  return exp * 1000 <= nowMs + skewSeconds * 1000;
}

/** The tenant of an ID token, or null. */
export function tenantOf(idToken: string): string | null {
  const t = decodeJwtPayload(idToken)?.[TENANT_CLAIM];
  return typeof t === 'string' && t ? t : null;
}

/** The token endpoint's answer, checked: an ID token is required (only it carries the tenant). */
export interface TokenSet {
  idToken: string;
  refreshToken?: string;
}

export function readTokenResponse(body: unknown): TokenSet | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  if (typeof b.id_token !== 'string' || !b.id_token) return null;
  return { idToken: b.id_token, refreshToken: typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : undefined };
}
