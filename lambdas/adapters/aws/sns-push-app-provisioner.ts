/**
 * Tenants' SNS platform applications. Credentials create (or update) the tenant's application, named
 * `<prefix><tenant>-ios|android` on APNS / APNS_SANDBOX / GCM, with APNs token auth or FCM v1
 * attributes and delivery-status logging; the credential then goes to the vault. An application
 * given by ARN is checked (same account and region, the stage's name prefix, exists) and adopted
 * as it is. SNS's answer to bad credentials becomes a 400; its message is not echoed (it may quote them).
 */
import {
  CreatePlatformApplicationCommand,
  GetPlatformApplicationAttributesCommand,
  NotFoundException,
  SetPlatformApplicationAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { ValidationError } from '../../domain/errors';
import { tenantPlatformAppName, tenantPushSecretName, type DefaultPushApps, type PushAppRequest } from '../../domain/push-apps';
import type { ProvisionedPushApp, PushAppProvisioner } from '../../ports/push-apps';
import type { SecretVault } from './secrets-manager-vault';

/** Options of the provisioner (values from PUSH_* environment variables the CDK grant sets). */
export interface SnsPushAppProvisionerOptions {
  client: SNSClient;
  vault: SecretVault;
  /** `arn:<partition>:sns:<region>:<account>:app/`: tenant applications live here. */
  appArnPrefix: string;
  /** `segmented-push-<stage>-`: IAM allows only applications named so. */
  appNamePrefix: string;
  /** `segmented-push/<stage>/push/`: IAM allows only secrets named so. */
  secretPrefix: string;
  /** The role SNS writes delivery-status logs with (CloudWatch Logs); none, no logging. */
  feedbackRoleArn?: string;
  /** Percentage of successful deliveries logged (failures are always logged). Default 10. */
  successSampleRate?: number;
  defaults: DefaultPushApps;
}

const isNotFound = (err: unknown) => err instanceof NotFoundException || ['NotFoundException', 'NotFound'].includes((err as Error)?.name);
const isInvalid = (err: unknown) =>
  ['InvalidParameterException', 'InvalidParameter', 'InvalidParameterValueException', 'InvalidParameterValue'].includes(
    (err as Error)?.name,
  );

/** SNS platform applications (+ Secrets Manager) as the push app provisioner. */
export class SnsPushAppProvisioner implements PushAppProvisioner {
  constructor(private readonly opts: SnsPushAppProvisionerOptions) {}

  defaults(): DefaultPushApps {
    return this.opts.defaults;
  }

  async provision(tenantId: string, request: PushAppRequest): Promise<ProvisionedPushApp> {
    if (request.kind === 'arn') return this.adopt(request.platformApplicationArn);
    const name = tenantPlatformAppName(this.opts.appNamePrefix, tenantId, request.platform);
    const arn = `${this.opts.appArnPrefix}${request.snsPlatform}/${name}`;
    const attributes = { ...this.credentialAttributes(request), ...this.feedbackAttributes() };
    try {
      if (await this.attributes(arn)) {
        await this.opts.client.send(new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn, Attributes: attributes }));
      } else {
        const out = await this.opts.client.send(
          new CreatePlatformApplicationCommand({ Name: name, Platform: request.snsPlatform, Attributes: attributes }),
        );
        if (out.PlatformApplicationArn && out.PlatformApplicationArn !== arn)
          throw new Error(`SNS created ${out.PlatformApplicationArn}, expected ${arn}`);
      }
    } catch (err) {
      if (isInvalid(err)) {
        const path = request.platform === 'ios' ? 'apns' : 'fcm';
        const message = `the push provider rejected these credentials (${request.platform === 'ios' ? 'APNs' : 'FCM'})`;
        throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
      }
      throw err;
    }
    const secret = request.platform === 'ios' ? JSON.stringify(request.apns) : request.fcm.serviceAccountJson;
    await this.opts.vault.put(
      tenantPushSecretName(this.opts.secretPrefix, tenantId, request.platform),
      secret,
      `Push credentials (${request.platform}) of tenant ${tenantId}; SNS application ${arn}`,
    );
    return { platformApplicationArn: arn };
  }

  private credentialAttributes(request: Extract<PushAppRequest, { kind: 'credentials' }>): Record<string, string> {
    if (request.platform === 'ios') {
      // APNs token-based authentication: signing key + key id, team and bundle.
      const { apns } = request;
      return {
        PlatformCredential: apns.signingKey,
        PlatformPrincipal: apns.keyId,
        ApplePlatformTeamID: apns.teamId,
        ApplePlatformBundleID: apns.bundleId,
      };
    }
    // FCM HTTP v1: the service-account JSON is the credential; there is no principal.
    return { PlatformCredential: request.fcm.serviceAccountJson };
  }

  private feedbackAttributes(): Record<string, string> {
    const role = this.opts.feedbackRoleArn;
    if (!role) return {};
    return {
      SuccessFeedbackRoleArn: role,
      FailureFeedbackRoleArn: role,
      SuccessFeedbackSampleRate: String(this.opts.successSampleRate ?? 10),
    };
  }

  private async adopt(arn: string): Promise<ProvisionedPushApp> {
    const path = 'platformApplicationArn';
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    if (!arn.startsWith(this.opts.appArnPrefix) || !name.startsWith(this.opts.appNamePrefix)) {
      const message = `must be an application of this deployment's account and region named ${this.opts.appNamePrefix}… (the service may use only those)`;
      throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
    }
    const attrs = await this.attributes(arn);
    if (!attrs) throw new ValidationError(`${path}: no such platform application`, [{ path, message: 'no such platform application' }]);
    if (attrs.Enabled === 'false')
      throw new ValidationError(`${path}: the platform application is disabled`, [
        { path, message: 'the platform application is disabled' },
      ]);
    return { platformApplicationArn: arn, bundleId: attrs.ApplePlatformBundleID ?? null };
  }

  /** The application's attributes, or undefined when it does not exist. */
  private async attributes(arn: string): Promise<Record<string, string> | undefined> {
    try {
      const out = await this.opts.client.send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }));
      return out.Attributes ?? {};
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
