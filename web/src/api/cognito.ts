/**
 * Cognito hosted-UI sign-in for the deployed UI: authorization code + PKCE, tokens kept in
 * sessionStorage for the tab (like the local token). The API wants the ID token: only it carries
 * custom:tenant_id. Expired or rejected ID tokens are renewed with the refresh token; when that is
 * refused too, the browser goes back to the hosted UI.
 */
import {
  authorizeUrl,
  codeChallenge,
  codeExchangeBody,
  decodeJwtPayload,
  isExpired,
  logoutUrl,
  randomToken,
  readTokenResponse,
  refreshBody,
  revokeUrl,
  tokenUrl,
  type CallbackParams,
  type CognitoConfig,
  type TokenSet,
} from './oauth';

const KEY = {
  idToken: 'segmented-push.cognito.id-token',
  refreshToken: 'segmented-push.cognito.refresh-token',
  verifier: 'segmented-push.cognito.pkce-verifier',
  state: 'segmented-push.cognito.state',
  nonce: 'segmented-push.cognito.nonce',
  returnTo: 'segmented-push.cognito.return-to',
};

/** Sign-in could not complete (refused, or an answer this tab did not ask for). */
export class SignInError extends Error {
  override name = 'SignInError';
}

let cfg: CognitoConfig | null = null;
let pending: Promise<string> | null = null;

export function configure(config: CognitoConfig): void {
  cfg = config;
}

function config(): CognitoConfig {
  if (!cfg) throw new Error('Cognito sign-in is not configured');
  return cfg;
}

/** The one redirect and sign-out URI registered on the client (lib/constructs/web-sign-in.ts). */
const redirectUri = () => `${location.origin}/`;

/** The page is leaving: callers wait on this instead of rendering a half-signed-in state. */
const leaving = () => new Promise<never>(() => undefined);

/** Go to the hosted UI. The hash route is kept and restored after the callback. */
export async function startSignIn(): Promise<never> {
  const c = config();
  const verifier = randomToken(32);
  const state = randomToken(16);
  const nonce = randomToken(16);
  sessionStorage.setItem(KEY.verifier, verifier);
  sessionStorage.setItem(KEY.state, state);
  sessionStorage.setItem(KEY.nonce, nonce);
  sessionStorage.setItem(KEY.returnTo, location.hash);
  location.assign(authorizeUrl(c, { redirectUri: redirectUri(), state, nonce, challenge: await codeChallenge(verifier) }));
  return leaving();
}

/** Trade the hosted UI's code for tokens (the page was opened with ?code=&state=). */
export async function completeSignIn(cb: CallbackParams): Promise<void> {
  const c = config();
  const expected = {
    state: sessionStorage.getItem(KEY.state),
    verifier: sessionStorage.getItem(KEY.verifier),
    nonce: sessionStorage.getItem(KEY.nonce),
  };
  const returnTo = sessionStorage.getItem(KEY.returnTo) ?? '';
  // One use only, and the code leaves the address bar (and the history) whatever happens next.
  for (const k of [KEY.state, KEY.verifier, KEY.nonce, KEY.returnTo]) sessionStorage.removeItem(k);
  history.replaceState(null, '', `/${returnTo.startsWith('#') ? returnTo : ''}`);

  if (!expected.state || !expected.verifier || cb.state !== expected.state) {
    throw new SignInError('This sign-in answer was not requested by this tab. Sign in again.');
  }
  if (cb.kind === 'error') throw new SignInError(`Sign-in failed: ${cb.description || cb.error}`);
  const tokens = await postToken(codeExchangeBody(c, { code: cb.code, redirectUri: redirectUri(), verifier: expected.verifier }));
  if (!tokens) throw new SignInError('Sign-in failed: the code was refused. Sign in again.');
  if (decodeJwtPayload(tokens.idToken)?.nonce !== expected.nonce)
    throw new SignInError('Sign-in failed: the ID token does not answer this request.');
  store(tokens);
}

/** POST /oauth2/token. Null when Cognito refuses; a network failure is thrown. */
async function postToken(body: URLSearchParams): Promise<TokenSet | null> {
  const res = await fetch(tokenUrl(config()), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body,
  });
  if (!res.ok) return null;
  // A 2xx without JSON is no token set: treated like a refusal (sign in again), not a crash.
  return readTokenResponse(await res.json().catch(() => null));
}

function store(tokens: TokenSet): void {
  sessionStorage.setItem(KEY.idToken, tokens.idToken);
  // Cognito returns a refresh token with the code, not with a refresh (no rotation): keep the first.
  if (tokens.refreshToken) sessionStorage.setItem(KEY.refreshToken, tokens.refreshToken);
}

function clearTokens(): void {
  sessionStorage.removeItem(KEY.idToken);
  sessionStorage.removeItem(KEY.refreshToken);
}

export function storedIdToken(): string | null {
  return sessionStorage.getItem(KEY.idToken);
}

/** A valid ID token: the stored one, a refreshed one, or none ever (the browser goes to sign in). */
export async function getIdToken(): Promise<string> {
  const token = storedIdToken();
  if (token && !isExpired(token)) return token;
  return refreshIdToken();
}

/** Renew the ID token with the refresh token (expired, or rejected with 401). Concurrent callers share one request. */
export function refreshIdToken(): Promise<string> {
  pending ??= (async () => {
    const refreshToken = sessionStorage.getItem(KEY.refreshToken);
    sessionStorage.removeItem(KEY.idToken);
    const tokens = refreshToken ? await postToken(refreshBody(config(), refreshToken)) : null;
    if (!tokens) {
      clearTokens();
      return startSignIn();
    }
    store(tokens);
    return tokens.idToken;
  })().finally(() => {
    pending = null;
  });
  return pending;
}

/** Revoke the refresh token, forget the tokens and end the hosted-UI session. */
export async function signOut(): Promise<never> {
  const c = config();
  const refreshToken = sessionStorage.getItem(KEY.refreshToken);
  clearTokens();
  if (refreshToken) {
    await fetch(revokeUrl(c), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken, client_id: c.clientId }),
    }).then(
      // Best effort: the session ends either way, but the refresh token then lives until it expires.
      (res) => {
        if (!res.ok) console.warn(`sign-out: revoking the refresh token answered ${res.status}`);
      },
      (err: unknown) => console.warn('sign-out: the refresh token could not be revoked', err),
    );
  }
  location.assign(logoutUrl(c, redirectUri()));
  return leaving();
}
