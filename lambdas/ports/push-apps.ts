/** Tenants' own push apps: the public record, and the provider side that holds the credentials. */
import type { DefaultPushApps, PushApp, PushAppRequest, PushPlatform } from '../domain/push-apps';

/** The public view of each tenant's push apps (records table; never a secret). */
export interface PushAppStore {
  /** The tenant's app for a platform, or null when it uses the default. */
  get(tenantId: string, platform: PushPlatform): Promise<PushApp | null>;
  put(app: PushApp): Promise<void>;
}

/** What the provider made of a registration. */
export interface ProvisionedPushApp {
  /** null where no provider stands behind the app (the local world). */
  platformApplicationArn: string | null;
  /** Read back from an adopted iOS application, when it has one. */
  bundleId?: string | null;
}

/**
 * Creates or updates a tenant's platform application from its credentials (keeping the secret in
 * the vault), or checks an existing application given by ARN. Bad credentials: ValidationError.
 */
export interface PushAppProvisioner {
  provision(tenantId: string, request: PushAppRequest): Promise<ProvisionedPushApp>;
  /** The deploy-time applications tenants without their own use. */
  defaults(): DefaultPushApps;
}
