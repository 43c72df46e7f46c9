/** Merchant tokens for the local world (in AWS, Cognito issues them and API Gateway verifies them). */
export interface TokenIssuer {
  /** A signed token whose `tenant_id` claim is the tenant. */
  issue(tenantId: string): Promise<string>;
  /** The claims of a valid token, or undefined when it is invalid or expired. */
  verify(token: string): Promise<Record<string, unknown> | undefined>;
}
