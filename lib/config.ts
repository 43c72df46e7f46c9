/**
 * Deployment configuration, parsed once with a schema from CDK context (cdk.json "context" or
 * `-c key=value` flags). Every knob is documented in docs/deploy.md.
 */
import type { Construct } from 'constructs';
import { z } from 'zod';

/** `-c` flags always arrive as strings; cdk.json values keep their JSON type. Accept both. */
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
const int = (min: number) => z.coerce.number().int().min(min);
const stringList = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s.startsWith('[')) return JSON.parse(s);
  return s === '' ? [] : s.split(',').map((x) => x.trim());
}, z.array(z.string()));
/** An SNS platform application: a full ARN, or a bare name resolved in the stack's account/region. */
const platformApp = z.string().regex(/^(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:app\/(APNS|APNS_SANDBOX|GCM)\/[\w.-]{1,256}|[\w.-]{1,256})$/, {
  message: 'must be an SNS platform application ARN or name',
});

/**
 * A Cognito hosted-UI domain prefix: lower-case letters, digits and inner dashes, at most 63 chars,
 * and never the reserved words Cognito refuses in a prefix.
 */
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;
const domainPrefix = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { message: 'lower-case letters, digits and inner dashes, 1-63 chars' })
  .refine((s) => !RESERVED_IN_PREFIX.test(s), { message: 'must not contain "aws", "amazon" or "cognito" (Cognito refuses them)' });

export const configSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, { message: 'lower-case letters, digits and dashes, 2-16 chars' }),
    apnsPlatformApplication: platformApp,
    fcmPlatformApplication: platformApp,
    /**
     * Picks APNS_SANDBOX (true) or APNS (false) for an APNs app given by NAME. An ARN names its own
     * platform (app/APNS/… vs app/APNS_SANDBOX/…) and wins; an explicit flag that contradicts it is an error.
     */
    apnsSandbox: bool.optional(),
    corsOrigins: stringList.pipe(
      z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, { message: 'an origin like https://app.example.com' })),
    ),
    alarmEmail: z.preprocess((v) => (v === '' ? undefined : v), z.email().optional()),
    lakeRetentionDays: int(1),
    /**
     * Firehose streams per lake table; tenants are spread over them by a stable hash of the tenant id
     * (lambdas/domain/lake-shards.ts). A stream with dynamic partitioning holds at most 500 active
     * partitions (distinct tenant/day prefixes within one buffer window; 5,000 after a quota raise),
     * so a table takes shards × 500 active (tenant, day) partitions per buffer window (× 10 with the
     * raise). Every shard writes the same S3 layout, so changing the count is safe. docs/deploy.md.
     */
    lakeStreamShards: int(1).max(32),
    /** Athena refuses cutoffs under 10 MB. */
    athenaBytesScannedCutoff: int(10_000_000),
    apiThrottleRate: int(1),
    apiThrottleBurst: int(1),
    /**
     * Account-wide ceiling on pushes a second (SNS Publish quotas are per account and region). The
     * queue enforces it (sender concurrency, see lib/constructs/send-queue.ts) and the trigger lowers a
     * campaign's sendRate to it. At most 1000 senders × 400 devices/s.
     */
    maxSendsPerSecond: int(1).max(400_000),
    logRetentionDays: z.coerce
      .number()
      .refine((n) => [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653].includes(n), {
        message: 'must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)',
      }),
    /** Prefix of the hosted-UI domain; '' derives one from the stage and the account (authDomainPrefixOf). */
    authDomainPrefix: z.preprocess((v) => (v === '' ? undefined : v), domainPrefix.optional()),
  })
  .superRefine((c, ctx) => {
    const apnsArnPlatform = /^arn:.*:app\/(APNS|APNS_SANDBOX|GCM)\//.exec(c.apnsPlatformApplication)?.[1];
    if (apnsArnPlatform === 'GCM') {
      ctx.addIssue({
        code: 'custom',
        path: ['apnsPlatformApplication'],
        message: 'is an FCM (GCM) application; the APNs app must be on APNS or APNS_SANDBOX',
      });
    } else if (apnsArnPlatform && c.apnsSandbox !== undefined && c.apnsSandbox !== (apnsArnPlatform === 'APNS_SANDBOX')) {
      ctx.addIssue({
        code: 'custom',
        path: ['apnsSandbox'],
        message: `${c.apnsSandbox} contradicts apnsPlatformApplication, an ${apnsArnPlatform} application: the ARN decides, drop the flag`,
      });
    }
    const fcmArnPlatform = /^arn:.*:app\/(APNS|APNS_SANDBOX|GCM)\//.exec(c.fcmPlatformApplication)?.[1];
    if (fcmArnPlatform && fcmArnPlatform !== 'GCM') {
      ctx.addIssue({
        code: 'custom',
        path: ['fcmPlatformApplication'],
        message: `is an ${fcmArnPlatform} application; the FCM app must be on GCM`,
      });
    }
    // The derived prefix carries the stage, so a stage Cognito would refuse needs an explicit prefix.
    if (c.authDomainPrefix === undefined && RESERVED_IN_PREFIX.test(c.stage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['authDomainPrefix'],
        message: `required when the stage contains "aws", "amazon" or "cognito" (stage ${c.stage})`,
      });
    }
  });

/** The parsed configuration; `apnsSandbox` resolved (from the APNs app's ARN, else the flag, else true). */
export type AppConfig = Omit<z.infer<typeof configSchema>, 'apnsSandbox'> & { apnsSandbox: boolean };

export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof AppConfig)[];

/** Defaults used when a key is absent from context (cdk.json carries the same values). */
export const CONFIG_DEFAULTS: Record<keyof AppConfig, unknown> = {
  stage: 'dev',
  apnsPlatformApplication: 'segmented-push-apns',
  fcmPlatformApplication: 'segmented-push-fcm',
  // Absent: an APNs app given by ARN decides by its platform; one given by name defaults to the sandbox.
  apnsSandbox: undefined,
  corsOrigins: ['http://localhost:3000'],
  alarmEmail: '',
  lakeRetentionDays: 730,
  lakeStreamShards: 4,
  athenaBytesScannedCutoff: 10 * 1024 ** 3,
  apiThrottleRate: 100,
  apiThrottleBurst: 200,
  // 80 % of 1,500 messages/s, SNS's default Publish quota in us-east-2, us-west-1, eu-central-1 and the
  // big Asia Pacific regions (us-east-1: 30,000; us-west-2 and eu-west-1: 9,000; others: 300). docs/deploy.md.
  maxSendsPerSecond: 1200,
  logRetentionDays: 30,
  authDomainPrefix: '',
};

/**
 * The hosted-UI domain prefix. Prefixes are unique per region across all AWS accounts, so the default
 * joins the stage with the deploying account (`segpush-dev-111122223333`): the stacks stay
 * environment-agnostic (`accountId` is the `AWS::AccountId` token) and two accounts never collide.
 */
export function authDomainPrefixOf(config: AppConfig, accountId: string): string {
  return config.authDomainPrefix ?? `segpush-${config.stage}-${accountId}`;
}

/** Parse a plain record (tests and tools). Throws one error listing every invalid key. */
export function parseConfig(raw: Partial<Record<keyof AppConfig, unknown>>): AppConfig {
  const merged = Object.fromEntries(CONFIG_KEYS.map((k) => [k, raw[k] ?? CONFIG_DEFAULTS[k]]));
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid CDK context configuration:\n${lines.join('\n')}`);
  }
  return { ...result.data, apnsSandbox: resolveApnsSandbox(result.data.apnsPlatformApplication, result.data.apnsSandbox) };
}

/** Sandbox or production for the default APNs app: its ARN's platform, else the flag (default true). */
export function resolveApnsSandbox(apnsPlatformApplication: string, flag: boolean | undefined): boolean {
  const platform = /^arn:.*:app\/(APNS|APNS_SANDBOX)\//.exec(apnsPlatformApplication)?.[1];
  if (platform) return platform === 'APNS_SANDBOX';
  return flag ?? true;
}

/** Read the configuration from a construct's context (the app's cdk.json and -c flags). */
export function loadConfig(scope: Construct): AppConfig {
  return parseConfig(Object.fromEntries(CONFIG_KEYS.map((k) => [k, scope.node.tryGetContext(k)])));
}
