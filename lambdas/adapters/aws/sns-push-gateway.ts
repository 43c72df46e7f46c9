/**
 * Delivery through SNS mobile push: Publish to the device's platform endpoint with
 * `MessageStructure: json`, the message exactly as the domain rendered it. Errors are sorted
 * into dead tokens, transient trouble (retried here, then TransientPushError so the queue
 * retries the batch) and permanent failures of this one push.
 */
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { SnsMessage } from '../../domain/campaigns/payloads';
import { snsPlatformOfArn } from '../../domain/push-apps';
import { TransientPushError, type Push, type PushGateway, type PushResult } from '../../ports/push-gateway';

/** Options of the SNS gateway. */
export interface SnsPushGatewayOptions {
  client: SNSClient;
  /** Publish attempts for transient errors, on top of the SDK's own retries (default 4). */
  maxAttempts?: number;
  /** Backoff base (default 100 ms), doubling per attempt up to maxDelayMs (default 2000 ms), full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable jitter source in [0, 1). */
  random?: () => number;
}

/** What an SNS Publish error means for the push. */
export type PublishErrorClass = { kind: 'invalid_token'; reason: string } | { kind: 'transient'; reason: string } | { kind: 'failed'; reason: string };

const TRANSIENT_NAMES = new Set([
  'ThrottledException',
  'Throttled',
  'ThrottlingException',
  'Throttling',
  'KMSThrottlingException',
  'KMSThrottling',
  'InternalErrorException',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const DISABLED_NAMES = new Set(['EndpointDisabledException', 'EndpointDisabled']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Provider reasons for a dead token (APNs: Unregistered, BadDeviceToken; FCM: UNREGISTERED, legacy NotRegistered). */
const DEAD_TOKEN_REASON = /\b(?:unregistered|notregistered|baddevicetoken)\b/i;

type SdkError = Error & { code?: string; $fault?: 'client' | 'server'; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };

/** Sorts a Publish error; returns undefined for errors that are not from SNS or the network (bugs). */
export function classifyPublishError(err: unknown): PublishErrorClass | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const reason = `${e.name}: ${e.message}`.slice(0, 500);
  if (DISABLED_NAMES.has(e.name)) return { kind: 'invalid_token', reason: 'endpoint disabled' };
  if (DEAD_TOKEN_REASON.test(e.message)) return { kind: 'invalid_token', reason };
  if (TRANSIENT_NAMES.has(e.name) || e.$retryable || (status !== undefined && status >= 500) || e.$fault === 'server') {
    return { kind: 'transient', reason };
  }
  if (e.code && NETWORK_CODES.has(e.code)) return { kind: 'transient', reason: `${e.code}: ${e.message}` };
  if ((status !== undefined && status >= 400) || e.$fault === 'client') return { kind: 'failed', reason };
  return undefined;
}

/** SNS platform endpoints as the push gateway. */
export class SnsPushGateway implements PushGateway {
  private readonly client: SNSClient;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(opts: SnsPushGatewayOptions) {
    this.client = opts.client;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
    this.baseDelayMs = opts.baseDelayMs ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 2000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = opts.random ?? Math.random;
  }

  async send(push: Push): Promise<PushResult> {
    // No endpoint means registration never succeeded for this token: nothing can reach the device.
    if (!push.endpointArn) return { outcome: 'invalid_token', reason: 'no endpoint' };
    const { message, attributes } = forEndpoint(push);
    const command = new PublishCommand({
      TargetArn: push.endpointArn,
      MessageStructure: 'json',
      Message: JSON.stringify(message),
      MessageAttributes: messageAttributes(attributes),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.client.send(command);
        return { outcome: 'sent', providerId: out.MessageId };
      } catch (err) {
        const kind = classifyPublishError(err);
        if (!kind) throw err;
        if (kind.kind === 'invalid_token') return { outcome: 'invalid_token', reason: kind.reason };
        if (kind.kind === 'failed') return { outcome: 'failed', reason: kind.reason };
        if (attempt >= this.maxAttempts) {
          throw new TransientPushError(`SNS publish to ${push.deviceId} failed ${attempt} times: ${kind.reason}`, { cause: err });
        }
        // Full jitter: many senders hitting the same throttle must not retry in step.
        await this.sleep(this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  /**
   * SNS keeps no per-message record we can query (delivery status logs go to CloudWatch,
   * asynchronously and only when enabled), so whether a push went out cannot be known here.
   */
  async deliveryRecord(_tenantId: string, _campaignId: string, _deviceId: string): Promise<'unknown'> {
    return 'unknown';
  }
}

/**
 * SNS refuses a json message whose key is not the platform of the endpoint's application, and an
 * iOS device may sit on a production (APNS) or a sandbox (APNS_SANDBOX) application, the tenant's or
 * the default. The endpoint ARN (…:endpoint/APNS_SANDBOX/<app>/<id>) names that platform: the iOS
 * payload and its TTL attribute are keyed by it, whatever the renderer assumed.
 */
export function forEndpoint(push: Pick<Push, 'endpointArn' | 'message' | 'attributes'>): { message: SnsMessage; attributes: Record<string, string> } {
  const platform = push.endpointArn ? snsPlatformOfArn(push.endpointArn) : undefined;
  if (platform !== 'APNS' && platform !== 'APNS_SANDBOX') return { message: push.message, attributes: push.attributes };
  const other = platform === 'APNS' ? 'APNS_SANDBOX' : 'APNS';
  const payload = push.message[platform] ?? push.message[other];
  if (payload === undefined) return { message: push.message, attributes: push.attributes };
  const { [other]: _drop, ...rest } = push.message;
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(push.attributes)) {
    attributes[name === `AWS.SNS.MOBILE.${other}.TTL` ? `AWS.SNS.MOBILE.${platform}.TTL` : name] = value;
  }
  return { message: { ...rest, [platform]: payload }, attributes };
}

function messageAttributes(attributes: Record<string, string>): Record<string, MessageAttributeValue> | undefined {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));
}
