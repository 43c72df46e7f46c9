/** Local merchant tokens: HS256 JWTs with a `tenant_id` claim, signed with a secret kept in the data folder. */
import { SignJWT, jwtVerify } from 'jose';
import type { TokenIssuer } from '../../ports/token-issuer';

export class Hs256TokenIssuer implements TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(tenantId: string): Promise<string> {
    return new SignJWT({ tenant_id: tenantId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(`merchant@${tenantId}`)
      .setIssuer('segmented-push-local')
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<Record<string, unknown> | undefined> {
    try {
      // Only HS256 is accepted: `alg: none` and other algorithms fail here.
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: 'segmented-push-local' });
      return payload as Record<string, unknown>;
    } catch {
      return undefined; // expired, forged or malformed: not a merchant (the gateway answers 401); nothing else can fail here
    }
  }
}
