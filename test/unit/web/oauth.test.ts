/** The pure OAuth/PKCE helpers of the UI's Cognito sign-in (web/src/api/oauth.ts) and the config probe. */
import {
  authorizeUrl,
  base64UrlDecode,
  base64UrlEncode,
  codeChallenge,
  codeExchangeBody,
  decodeJwtPayload,
  isCognitoConfig,
  isExpired,
  logoutUrl,
  parseCallback,
  randomToken,
  readTokenResponse,
  refreshBody,
  tenantOf,
  tokenUrl,
  type CognitoConfig,
} from '../../../web/src/api/oauth';
import { loadRuntimeConfig } from '../../../web/src/api/runtime-config';

const cfg: CognitoConfig = {
  auth: 'cognito',
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbC123',
  clientId: 'client123',
  domain: 'https://segpush-dev-111122223333.auth.eu-west-1.amazoncognito.com',
};

/** An unsigned JWT with the given payload (the UI never verifies signatures; the authorizer does). */
const jwt = (payload: Record<string, unknown>) =>
  ['{"alg":"RS256"}', JSON.stringify(payload)].map((s) => base64UrlEncode(new TextEncoder().encode(s))).join('.') + '.sig';

describe('PKCE', () => {
  test('S256 challenge matches RFC 7636 appendix B', async () => {
    await expect(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  test('verifiers are 43+ unreserved characters and never repeat', () => {
    const a = randomToken(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(32)).not.toBe(a);
    expect(randomToken(96)).toHaveLength(128); // the maximum length RFC 7636 allows
  });

  test('base64url round-trips every byte value without padding', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = base64UrlEncode(bytes);
    expect(s).not.toMatch(/[+/=]/);
    expect(Array.from(base64UrlDecode(s))).toEqual(Array.from(bytes));
  });
});

describe('hosted UI endpoints', () => {
  test('authorize: code flow, S256, the three scopes, state and nonce', () => {
    const url = new URL(authorizeUrl(cfg, { redirectUri: 'https://d1.cloudfront.net/', state: 's1', challenge: 'c1', nonce: 'n1' }));
    expect(url.origin + url.pathname).toBe(`${cfg.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d1.cloudfront.net/',
      scope: 'openid email profile',
      state: 's1',
      nonce: 'n1',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
    });
  });

  test('token: code exchange and refresh form bodies, no secret', () => {
    expect(tokenUrl(cfg)).toBe(`${cfg.domain}/oauth2/token`);
    expect(Object.fromEntries(codeExchangeBody(cfg, { code: 'abc', redirectUri: 'https://d1.cloudfront.net/', verifier: 'v' }))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'abc',
      redirect_uri: 'https://d1.cloudfront.net/',
      code_verifier: 'v',
    });
    expect(refreshBody(cfg, 'r t').toString()).toBe('grant_type=refresh_token&client_id=client123&refresh_token=r+t');
  });

  test('logout: client id and an encoded logout uri', () => {
    const url = new URL(logoutUrl(cfg, 'https://d1.cloudfront.net/'));
    expect(url.pathname).toBe('/logout');
    expect(url.searchParams.get('client_id')).toBe('client123');
    expect(url.searchParams.get('logout_uri')).toBe('https://d1.cloudfront.net/');
  });

  test('callback: code, error, or not a callback', () => {
    expect(parseCallback('?code=c&state=s')).toEqual({ kind: 'code', code: 'c', state: 's' });
    expect(parseCallback('?error=access_denied&error_description=nope&state=s')).toEqual({
      kind: 'error',
      error: 'access_denied',
      description: 'nope',
      state: 's',
    });
    expect(parseCallback('')).toBeNull();
    expect(parseCallback('?foo=1')).toBeNull();
  });
});

describe('tokens', () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const exp = (ms: number) => jwt({ exp: Math.floor(ms / 1000) });

  test('expiry with a 60 s skew; unreadable tokens count as expired', () => {
    expect(isExpired(exp(now + 3600_000), now)).toBe(false);
    expect(isExpired(exp(now + 30_000), now)).toBe(true);
    expect(isExpired(exp(now - 1000), now)).toBe(true);
    expect(isExpired(jwt({}), now)).toBe(true);
    expect(isExpired('not-a-jwt', now)).toBe(true);
  });

  test('the tenant is the ID token custom:tenant_id (UTF-8 payloads decode)', () => {
    expect(tenantOf(jwt({ 'custom:tenant_id': 'acme', name: 'Zoë' }))).toBe('acme');
    expect(decodeJwtPayload(jwt({ name: 'Zoë' }))).toEqual({ name: 'Zoë' });
    expect(tenantOf(jwt({ sub: 'x' }))).toBeNull();
    expect(tenantOf('a.%%%.c')).toBeNull();
    expect(decodeJwtPayload(['e30', base64UrlEncode(new TextEncoder().encode('[1]')), 's'].join('.'))).toBeNull();
  });

  test('a token response needs an ID token; the refresh token is optional', () => {
    expect(readTokenResponse({ id_token: 'i', access_token: 'a', refresh_token: 'r' })).toEqual({ idToken: 'i', refreshToken: 'r' });
    expect(readTokenResponse({ id_token: 'i', access_token: 'a' })).toEqual({ idToken: 'i', refreshToken: undefined });
    expect(readTokenResponse({ access_token: 'a' })).toBeNull();
    expect(readTokenResponse(null)).toBeNull();
  });
});

describe('runtime config', () => {
  const answer = (status: number, contentType: string, body: string) =>
    (async () => new Response(body, { status, headers: { 'content-type': contentType } })) as unknown as typeof fetch;

  test('shape check', () => {
    expect(isCognitoConfig(cfg)).toBe(true);
    expect(isCognitoConfig({ ...cfg, auth: 'local' })).toBe(false);
    expect(isCognitoConfig({ ...cfg, clientId: '' })).toBe(false);
    expect(isCognitoConfig({ ...cfg, domain: 'http://x.example.com' })).toBe(false);
    expect(isCognitoConfig({ ...cfg, domain: `${cfg.domain}/` })).toBe(false);
    expect(isCognitoConfig('{}')).toBe(false);
  });

  test('the deployed config.json means cognito', async () => {
    await expect(loadRuntimeConfig(answer(200, 'application/json', JSON.stringify(cfg)))).resolves.toEqual(cfg);
  });

  test.each([
    ['index.html for an unknown path (npm start)', answer(200, 'text/html; charset=utf-8', '<!doctype html>')],
    ['404', answer(404, 'application/json', '{"error":{"code":"not_found"}}')],
    ['JSON of another shape', answer(200, 'application/json', '{"auth":"none"}')],
    ['not JSON', answer(200, 'application/octet-stream', 'garbage')],
  ])('%s means local', async (_, fetchFn) => {
    await expect(loadRuntimeConfig(fetchFn)).resolves.toBeNull();
  });
});
