/**
 * Tenants' push credentials in Secrets Manager: one secret per tenant and platform, created on first
 * use and given a new version on every later registration (the old version stays as AWSPREVIOUS).
 * Secret values are never logged or returned.
 */
import { CreateSecretCommand, PutSecretValueCommand, ResourceExistsException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Options of the vault. */
export interface SecretsManagerVaultOptions {
  client: SecretsManagerClient;
}

/** Where a secret value is kept (name → newest value). */
export interface SecretVault {
  /** Create the secret, or store a new current version of it; returns the secret's ARN. */
  put(name: string, value: string, description: string): Promise<string>;
}

/** Secrets Manager as the vault. */
export class SecretsManagerVault implements SecretVault {
  private readonly client: SecretsManagerClient;

  constructor(opts: SecretsManagerVaultOptions) {
    this.client = opts.client;
  }

  async put(name: string, value: string, description: string): Promise<string> {
    try {
      const out = await this.client.send(new CreateSecretCommand({ Name: name, SecretString: value, Description: description }));
      return out.ARN ?? name;
    } catch (err) {
      if (!(err instanceof ResourceExistsException) && (err as Error)?.name !== 'ResourceExistsException') throw err;
    }
    const out = await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    return out.ARN ?? name;
  }
}
