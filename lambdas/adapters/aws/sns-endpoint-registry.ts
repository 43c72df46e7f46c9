/**
 * SNS platform endpoints for device tokens, following AWS's recommended registration flow
 * (create when unknown, read back, re-create when deleted, update the token and re-enable when
 * they drifted). CreatePlatformEndpoint is idempotent only for identical attributes; for the same
 * token with other attributes it fails naming the existing endpoint, which is then adopted.
 */
import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  NotFoundException,
  SetEndpointAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import type { Device } from '../../domain/devices/device';
import type { EndpointRegistry } from '../../ports/endpoint-registry';

/** Options of the endpoint registry. */
export interface SnsEndpointRegistryOptions {
  client: SNSClient;
  /** APNS_PLATFORM_APPLICATION_ARN and FCM_PLATFORM_APPLICATION_ARN: the deploy-time defaults. */
  platformApplicationArns: { ios: string; android: string };
  /** The tenant's own application for a platform (push apps per tenant), or null for the default. */
  tenantApplication?: (tenantId: string, platform: Device['platform']) => Promise<string | null>;
}

const EXISTING_ENDPOINT = /Endpoint (arn:[^\s]+?) already exists with the same [Tt]oken/;

/** The endpoint ARN named by SNS's "already exists with the same Token, but different attributes" error, if it is one. */
export function existingEndpointArn(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name !== 'InvalidParameterException' && err.name !== 'InvalidParameter') return undefined;
  return EXISTING_ENDPOINT.exec(err.message)?.[1];
}

/** Whether an endpoint ARN (…:endpoint/APNS/app/uuid) belongs to a platform application (…:app/APNS/app). */
export function endpointBelongsTo(endpointArn: string, applicationArn: string): boolean {
  const marker = ':app/';
  const at = applicationArn.indexOf(marker);
  if (at === -1) return true; // an ARN shape we do not know: trust the stored endpoint
  const prefix = `${applicationArn.slice(0, at)}:endpoint/${applicationArn.slice(at + marker.length)}/`;
  return endpointArn.startsWith(prefix);
}

/** SNS platform endpoints as the endpoint registry. */
export class SnsEndpointRegistry implements EndpointRegistry {
  private readonly client: SNSClient;
  private readonly apps: { ios: string; android: string };
  private readonly tenantApplication: NonNullable<SnsEndpointRegistryOptions['tenantApplication']>;

  constructor(opts: SnsEndpointRegistryOptions) {
    this.client = opts.client;
    this.apps = opts.platformApplicationArns;
    this.tenantApplication = opts.tenantApplication ?? (async () => null);
  }

  async ensureEndpoint(device: Device): Promise<string> {
    const app = (await this.tenantApplication(device.tenantId, device.platform)) ?? this.apps[device.platform];
    // A stored endpoint of another app (the device switched platform, or its tenant switched apps)
    // is not reused: the device moves to the current app on this registration.
    let arn = device.endpointArn && endpointBelongsTo(device.endpointArn, app) ? device.endpointArn : null;
    arn ??= await this.create(device, app);
    let attrs = await this.attributes(arn);
    if (!attrs) {
      // Deleted behind our back (or a stale ARN): register again.
      arn = await this.create(device, app);
      attrs = await this.attributes(arn);
      if (!attrs) throw new Error(`SNS endpoint ${arn} vanished right after it was created`);
    }
    const userData = customUserData(device);
    if (attrs.Token !== device.token || attrs.Enabled !== 'true' || attrs.CustomUserData !== userData) {
      // SNS disables an endpoint when the provider reports its token dead; a (new) token re-enables it.
      await this.client.send(
        new SetEndpointAttributesCommand({
          EndpointArn: arn,
          Attributes: { Token: device.token, Enabled: 'true', CustomUserData: userData },
        }),
      );
    }
    return arn;
  }

  async deleteEndpoint(device: Device): Promise<void> {
    if (!device.endpointArn) return;
    try {
      // Idempotent in SNS (deleting a deleted endpoint succeeds); a NotFound is taken as done all the same.
      await this.client.send(new DeleteEndpointCommand({ EndpointArn: device.endpointArn }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async create(device: Device, app: string): Promise<string> {
    try {
      const out = await this.client.send(
        new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: device.token, CustomUserData: customUserData(device) }),
      );
      if (!out.EndpointArn) throw new Error('SNS returned no endpoint ARN');
      return out.EndpointArn;
    } catch (err) {
      const existing = existingEndpointArn(err);
      if (existing) return existing;
      throw err;
    }
  }

  /** The endpoint's attributes, or undefined when it does not exist. */
  private async attributes(arn: string): Promise<Record<string, string> | undefined> {
    try {
      const out = await this.client.send(new GetEndpointAttributesCommand({ EndpointArn: arn }));
      return out.Attributes ?? {};
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof NotFoundException || (err as Error)?.name === 'NotFoundException' || (err as Error)?.name === 'NotFound';
}

/** Which tenant and device an endpoint serves, for operators reading the SNS console. */
function customUserData(device: Device): string {
  return JSON.stringify({ tenantId: device.tenantId, deviceId: device.deviceId });
}
