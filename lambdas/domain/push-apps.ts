/**
 * Push apps per tenant (API.md, Extensions "Push apps per tenant"): each merchant ships its own app,
 * so its APNs key / FCM service account belong to the tenant. This module holds the pure rules: what a
 * credential must look like, which SNS platform an application ARN is on (the ARN decides sandbox vs
 * production, never a flag), how tenant applications and secrets are named, and the public view.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from './errors';
import { parseWith } from './validation';

/** A device platform as the API names it. */
export type PushPlatform = 'ios' | 'android';
export const PUSH_PLATFORMS: readonly PushPlatform[] = ['ios', 'android'];
/** The SNS platform of an application (and the key of a `MessageStructure: json` message for its endpoints). */
export type SnsPlatform = 'APNS' | 'APNS_SANDBOX' | 'GCM';

const SNS_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):(app|endpoint)\/(APNS|APNS_SANDBOX|GCM)\/([\w.-]{1,256})(\/[\w.-]+)?$/;

/** Parts of an SNS platform application or endpoint ARN, or undefined when it is neither. */
export function parseSnsPushArn(
  arn: string,
): { region: string; account: string; kind: 'app' | 'endpoint'; platform: SnsPlatform; name: string } | undefined {
  const m = SNS_ARN.exec(arn);
  if (!m) return undefined;
  const kind = m[3] as 'app' | 'endpoint';
  // An application ARN has no trailing id; an endpoint ARN must have one.
  if ((kind === 'app') !== (m[6] === undefined)) return undefined;
  return { region: m[1], account: m[2], kind, platform: m[4] as SnsPlatform, name: m[5] };
}

/** The SNS platform of an application ARN (…:app/APNS_SANDBOX/x) or endpoint ARN (…:endpoint/APNS/x/id). */
export function snsPlatformOfArn(arn: string): SnsPlatform | undefined {
  return parseSnsPushArn(arn)?.platform;
}

/** The platforms an API platform's application may be on. */
export function snsPlatformsOf(platform: PushPlatform): SnsPlatform[] {
  return platform === 'ios' ? ['APNS', 'APNS_SANDBOX'] : ['GCM'];
}

// --- credentials -------------------------------------------------------------------------------

const PEM_PRIVATE_KEY = /^-----BEGIN (?:EC )?PRIVATE KEY-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n)+-----END (?:EC )?PRIVATE KEY-----\r?\n?$/;
/** Apple team ids and key ids are 10 upper-case letters and digits. */
const APPLE_ID = /^[A-Z0-9]{10}$/;
/** A reverse-DNS bundle id: at least two dot-separated parts of letters, digits and dashes. */
const BUNDLE_ID = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

const appArn = z
  .string()
  .max(1024)
  .describe('an SNS platform application ARN (arn:aws:sns:<region>:<account>:app/<APNS|APNS_SANDBOX|GCM>/<name>)');

const arnInput = z.strictObject({ platformApplicationArn: appArn });
const apnsInput = z.strictObject({
  apns: z.strictObject({
    teamId: z.string().regex(APPLE_ID, 'must be the 10-character Apple team id'),
    keyId: z.string().regex(APPLE_ID, 'must be the 10-character id of the APNs signing key'),
    bundleId: z.string().max(155).regex(BUNDLE_ID, 'must be a bundle id like com.example.shop'),
    signingKey: z
      .string()
      .max(4096)
      .transform((s) => s.trim() + '\n')
      .refine((s) => PEM_PRIVATE_KEY.test(s), 'must be the .p8 text (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)'),
    sandbox: z.boolean().default(false).describe('true for development builds (APNs sandbox)'),
  }),
});
/** PUT /v1/push-apps/ios body. */
export const iosPushAppInputSchema = z.union([arnInput, apnsInput]);

const fcmInput = z.strictObject({
  fcm: z.strictObject({
    serviceAccountJson: z.string().min(2).max(16384).describe('the Firebase service-account key file, as JSON text'),
  }),
});
/** PUT /v1/push-apps/android body. */
export const androidPushAppInputSchema = z.union([arnInput, fcmInput]);

/**
 * The branch a body means, by the key it carries: a half-written `apns` object then gets the errors
 * of its own fields, not "platformApplicationArn is required" from the other branch.
 */
function branchOf<U extends z.ZodType>(body: unknown, credentialsKey: string, arn: z.ZodType, credentials: z.ZodType, either: U): U {
  // Each branch is a member of the union, so its output is one of the union's outputs.
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return either;
  if (credentialsKey in body && !('platformApplicationArn' in body)) return credentials as U;
  if ('platformApplicationArn' in body && !(credentialsKey in body)) return arn as U;
  return either;
}

/** APNs token-based credentials (the .p8 signing key is the secret). */
export interface ApnsCredentials {
  teamId: string;
  keyId: string;
  bundleId: string;
  signingKey: string;
  sandbox: boolean;
}

/** FCM HTTP v1 credentials (the whole service-account JSON is the secret). */
export interface FcmCredentials {
  serviceAccountJson: string;
  projectId: string;
  clientEmail: string;
}

/** What a tenant registers for one platform: an existing application, or credentials to create one with. */
export type PushAppRequest =
  | { platform: PushPlatform; kind: 'arn'; platformApplicationArn: string; snsPlatform: SnsPlatform }
  | { platform: 'ios'; kind: 'credentials'; apns: ApnsCredentials; snsPlatform: SnsPlatform }
  | { platform: 'android'; kind: 'credentials'; fcm: FcmCredentials; snsPlatform: SnsPlatform };

/** Parse and check a PUT /v1/push-apps/{platform} body. Throws ValidationError (400). */
export function parsePushAppRequest(platform: string, body: unknown): PushAppRequest {
  if (platform !== 'ios' && platform !== 'android') {
    throw new ValidationError('platform: must be one of ios, android', [{ path: 'platform', message: 'must be one of ios, android' }]);
  }
  if (platform === 'ios') {
    const input = parseWith(branchOf(body, 'apns', arnInput, apnsInput, iosPushAppInputSchema), body);
    if ('platformApplicationArn' in input) return arnRequest('ios', input.platformApplicationArn);
    return { platform, kind: 'credentials', apns: input.apns, snsPlatform: input.apns.sandbox ? 'APNS_SANDBOX' : 'APNS' };
  }
  const input = parseWith(branchOf(body, 'fcm', arnInput, fcmInput, androidPushAppInputSchema), body);
  if ('platformApplicationArn' in input) return arnRequest('android', input.platformApplicationArn);
  return { platform, kind: 'credentials', fcm: parseServiceAccount(input.fcm.serviceAccountJson), snsPlatform: 'GCM' };
}

function arnRequest(platform: PushPlatform, arn: string): PushAppRequest {
  const parts = parseSnsPushArn(arn);
  const path = 'platformApplicationArn';
  if (!parts || parts.kind !== 'app') {
    throw new ValidationError(`${path}: must be an SNS platform application ARN`, [
      { path, message: 'must be an SNS platform application ARN (arn:aws:sns:<region>:<account>:app/<platform>/<name>)' },
    ]);
  }
  if (!snsPlatformsOf(platform).includes(parts.platform)) {
    const message = `must be an application on ${snsPlatformsOf(platform).join(' or ')} for ${platform}, not ${parts.platform}`;
    throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
  }
  return { platform, kind: 'arn', platformApplicationArn: arn, snsPlatform: parts.platform };
}

/** A Firebase service-account key file: JSON with project_id, client_email and a PEM private_key. */
export function parseServiceAccount(text: string): FcmCredentials {
  const path = 'fcm.serviceAccountJson';
  const fail = (message: string): never => {
    throw new ValidationError(`${path}: ${message}`, [{ path, message }]);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('must be the service-account key file as JSON text');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return fail('must be a JSON object');
  const o = json as Record<string, unknown>;
  const missing = ['project_id', 'client_email', 'private_key'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) return fail(`must have ${missing.join(', ')}`);
  if (o.type !== undefined && o.type !== 'service_account') return fail('must be a service account key (type "service_account")');
  if (!/^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\s*$/.test(o.private_key as string))
    return fail('private_key must be a PEM private key');
  if (!/^[^@\s]+@[^@\s]+$/.test(o.client_email as string)) return fail('client_email must be an email address');
  return { serviceAccountJson: text, projectId: o.project_id as string, clientEmail: o.client_email as string };
}

// --- naming ------------------------------------------------------------------------------------

/** Tenant ids SNS and Secrets Manager names can carry as they are; others are hashed. */
const NAME_SAFE_TENANT = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The tenant as it appears in resource names: itself when safe and short, else a stable hash. */
export function tenantNameSegment(tenantId: string): string {
  if (NAME_SAFE_TENANT.test(tenantId)) return tenantId;
  return `h${createHash('sha256').update(tenantId).digest('hex').slice(0, 20)}`;
}

/**
 * The SNS platform application name of a tenant's app: `<prefix><tenant>-ios|android`, the prefix
 * being `segmented-push-<stage>-` so IAM can be scoped to `app/<platform>/segmented-push-<stage>-*`.
 */
export function tenantPlatformAppName(prefix: string, tenantId: string, platform: PushPlatform): string {
  return `${prefix}${tenantNameSegment(tenantId)}-${platform}`;
}

/** The Secrets Manager name of a tenant's credential: `<prefix><tenant>/<platform>` (prefix `segmented-push/<stage>/push/`). */
export function tenantPushSecretName(prefix: string, tenantId: string, platform: PushPlatform): string {
  return `${prefix}${tenantNameSegment(tenantId)}/${platform}`;
}

// --- public view -------------------------------------------------------------------------------

/** A tenant's registered push app (what the records table keeps; never a secret). */
export interface PushApp {
  tenantId: string;
  platform: PushPlatform;
  /** null where no provider stands behind it (the local world). */
  platformApplicationArn: string | null;
  /** iOS only. */
  bundleId?: string | null;
  sandbox?: boolean;
  /** Android only. */
  projectId?: string | null;
  updatedAt: string;
}

export interface IosPushAppView {
  configured: boolean;
  source: 'tenant' | 'default';
  bundleId: string | null;
  sandbox: boolean | null;
  platformApplicationArn: string | null;
}

export interface AndroidPushAppView {
  configured: boolean;
  source: 'tenant' | 'default';
  projectId: string | null;
  platformApplicationArn: string | null;
}

export interface PushAppsView {
  ios: IosPushAppView;
  android: AndroidPushAppView;
}

/** The deploy-time default applications (null when there is none, as locally). */
export interface DefaultPushApps {
  ios: string | null;
  android: string | null;
}

/** iOS view of a tenant app, or of the default. */
export function iosView(app: PushApp | null, defaultArn: string | null): IosPushAppView {
  if (app) {
    return {
      configured: true,
      source: 'tenant',
      bundleId: app.bundleId ?? null,
      sandbox: app.sandbox ?? sandboxOf(app.platformApplicationArn),
      platformApplicationArn: app.platformApplicationArn,
    };
  }
  return {
    configured: defaultArn !== null,
    source: 'default',
    bundleId: null,
    sandbox: defaultArn ? sandboxOf(defaultArn) : null,
    platformApplicationArn: defaultArn,
  };
}

/** Android view of a tenant app, or of the default. */
export function androidView(app: PushApp | null, defaultArn: string | null): AndroidPushAppView {
  if (app)
    return { configured: true, source: 'tenant', projectId: app.projectId ?? null, platformApplicationArn: app.platformApplicationArn };
  return { configured: defaultArn !== null, source: 'default', projectId: null, platformApplicationArn: defaultArn };
}

function sandboxOf(arn: string | null): boolean | null {
  if (!arn) return null;
  const p = snsPlatformOfArn(arn);
  return p === undefined ? null : p === 'APNS_SANDBOX';
}
