/**
 * Delivery through SNS mobile push: Publish to the device's platform endpoint with
 * `MessageStructure: json`, the message exactly as the domain rendered it. Errors are sorted
 * into dead tokens, transient trouble and permanent failures of this one push.
 *
 * One retry layer only: the SNS client's own strategy (adaptive, bounded, configured in
 * composition/aws.ts) retries throttles and 5xx; a transient error that outlives it becomes
 * TransientPushError at once, so the queue retries the batch later. Retrying here as well would
 * multiply the Publish calls per device (SDK attempts × ours × SQS receives) exactly when SNS is
 * asking for fewer. Permanent errors (EndpointDisabled, InvalidParameter, NotFound…) are not
 * retried by the SDK nor here.
 */
import { PublishCommand, SNSClient, type MessageAttributeValue } from '@aws-sdk/client-sns';
import type { SnsMessage } from '../../domain/campaigns/payloads';
import { snsPlatformOfArn } from '../../domain/push-apps';
import { TransientPushError, type Push, type PushGateway, type PushResult } from '../../ports/push-gateway';

/** Options of the SNS gateway. */
export interface SnsPushGatewayOptions {
  /** A client whose retry strategy is the only retry of a Publish (see SNS_PUBLISH_CLIENT_CONFIG in composition/aws.ts). */
  client: SNSClient;
}

/** What an SNS Publish error means for the push. */
export type PublishErrorClass =
  { kind: 'invalid_token'; reason: string } | { kind: 'transient'; reason: string } | { kind: 'failed'; reason: string };

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
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
/** Provider reasons for a dead token (APNs: Unregistered, BadDeviceToken; FCM: UNREGISTERED, legacy NotRegistered). */
const DEAD_TOKEN_REASON = /\b(?:unregistered|notregistered|baddevicetoken)\b/i;

type SdkError = Error & {
  code?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
};

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

  constructor(opts: SnsPushGatewayOptions) {
    this.client = opts.client;
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
    try {
      const out = await this.client.send(command);
      return { outcome: 'sent', providerId: out.MessageId };
    } catch (err) {
      const kind = classifyPublishError(err);
      if (!kind) throw err;
      if (kind.kind === 'invalid_token') return { outcome: 'invalid_token', reason: kind.reason };
      if (kind.kind === 'failed') return { outcome: 'failed', reason: kind.reason };
      const attempts = (err as SdkError).$metadata?.attempts;
      throw new TransientPushError(
        `SNS publish to ${push.deviceId} failed${attempts ? ` after ${attempts} attempts` : ''}: ${kind.reason}`,
        { cause: err },
      );
    }
  }

  /**
   * SNS keeps no per-message record we can query (delivery status logs go to CloudWatch,
   * asynchronously and only when enabled), so whether a push went out cannot be known here.
   */
  async deliveryRecord(_tenantId: string, _campaignId: string, _deviceId: string, _delivery?: string): Promise<'unknown'> {
    return 'unknown';
  }
}

/**
 * SNS refuses a json message whose key is not the platform of the endpoint's application, and an
 * iOS device may sit on a production (APNS) or a sandbox (APNS_SANDBOX) application, the tenant's or
 * the default. The endpoint ARN (…:endpoint/APNS_SANDBOX/<app>/<id>) names that platform: the iOS
 * payload and its TTL attribute are keyed by it, whatever the renderer assumed.
 */
export function forEndpoint(push: Pick<Push, 'endpointArn' | 'message' | 'attributes'>): {
  message: SnsMessage;
  attributes: Record<string, string>;
} {
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
