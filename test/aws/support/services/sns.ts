/**
 * SNS mobile push (query protocol, XML answers). Platform applications (the deploy-time pair exist
 * in the account beforehand; tenants' apps are created at run time), endpoints with SNS's
 * CreatePlatformEndpoint rule (same token + same attributes → the same endpoint; other attributes →
 * InvalidParameter), EndpointDisabled, and Publish with `MessageStructure: json` whose platform key
 * must match the endpoint's application, every value a string, each platform payload ≤ 4 KB.
 *
 * Tokens say which app issued them (`tok:<appName>:<id>`): a publish to an endpoint of another app
 * is accepted (SNS returns a MessageId) but the provider refuses it and SNS disables the endpoint,
 * which is how a wrong platform application shows up in a real account.
 */
import { randomUUID } from 'node:crypto';
import { authorize, escapeXml, ServiceError, type BoxRequest, type BoxResponse, type Service } from '../box';
import { ACCOUNT, REGION } from '../cloud-assembly';

export interface PlatformApp {
  arn: string;
  platform: 'APNS' | 'APNS_SANDBOX' | 'GCM';
  name: string;
  attributes: Record<string, string>;
}

export interface Endpoint {
  arn: string;
  app: PlatformApp;
  attributes: Record<string, string>;
}

export interface Publication {
  endpointArn: string;
  platform: string;
  token: string;
  payload: any;
  attributes: Record<string, string>;
  messageId: string;
  /** Whether the provider delivered it to a phone. */
  delivered: boolean;
  /** The world's clock when SNS accepted it. */
  at: number;
}

export const PUSH_PAYLOAD_LIMIT = 4096;

export function tokenFor(appName: string, id: string): string {
  return `tok:${appName}:${id}`;
}

export class SnsStandIn implements Service {
  readonly protocol = 'query' as const;
  readonly accessDeniedCode = 'AuthorizationError';
  readonly apps = new Map<string, PlatformApp>();
  readonly endpoints = new Map<string, Endpoint>();
  readonly published: Publication[] = [];
  /** Called with the caller's function name when a Publish should crash its environment. */
  crashOnPublish: ((endpoint: Endpoint) => boolean) | undefined;

  constructor(
    existingApps: string[],
    private readonly kill: (functionName: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    for (const arn of existingApps) this.addApp(arn, {});
  }

  addApp(arn: string, attributes: Record<string, string>): PlatformApp {
    const m = /^arn:aws:sns:[^:]+:\d{12}:app\/(APNS|APNS_SANDBOX|GCM)\/(.+)$/.exec(arn);
    if (!m) throw new Error(`not a platform application ARN: ${arn}`);
    const app: PlatformApp = { arn, platform: m[1] as PlatformApp['platform'], name: m[2], attributes };
    this.apps.set(arn, app);
    return app;
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const p = new URLSearchParams(req.body.toString('utf8'));
    const action = p.get('Action') ?? '';
    const attrs = entries(p, 'Attributes', 'key', 'value');
    // Naming a delivery-status role passes it to SNS: the caller needs iam:PassRole for it.
    for (const role of [attrs.SuccessFeedbackRoleArn, attrs.FailureFeedbackRoleArn]) {
      if (role) authorize(req.caller, 'iam:PassRole', role, { 'iam:PassedToService': 'sns.amazonaws.com' });
    }
    switch (action) {
      case 'CreatePlatformApplication': {
        const platform = p.get('Platform') ?? '';
        const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:app/${platform}/${p.get('Name')}`;
        authorize(req.caller, 'sns:CreatePlatformApplication', arn);
        if (!['APNS', 'APNS_SANDBOX', 'GCM'].includes(platform))
          throw new ServiceError('InvalidParameter', `Invalid parameter: Platform ${platform}`);
        if (!attrs.PlatformCredential)
          throw new ServiceError('InvalidParameter', 'Invalid parameter: Attributes Reason: PlatformCredential is required');
        const existing = this.apps.get(arn);
        if (existing) existing.attributes = { ...existing.attributes, ...attrs };
        else this.addApp(arn, attrs);
        return xml(action, `<PlatformApplicationArn>${arn}</PlatformApplicationArn>`);
      }
      case 'SetPlatformApplicationAttributes':
      case 'GetPlatformApplicationAttributes': {
        const arn = p.get('PlatformApplicationArn') ?? '';
        authorize(req.caller, `sns:${action}`, arn);
        const app = this.apps.get(arn);
        if (!app) throw new ServiceError('NotFound', 'PlatformApplication does not exist', 404);
        if (action === 'SetPlatformApplicationAttributes') {
          app.attributes = { ...app.attributes, ...attrs };
          return xml(action, '');
        }
        const { PlatformCredential: _secret, ...visible } = app.attributes;
        return xml(action, `<Attributes>${attributesXml(visible)}</Attributes>`);
      }
      case 'CreatePlatformEndpoint': {
        const appArn = p.get('PlatformApplicationArn') ?? '';
        authorize(req.caller, 'sns:CreatePlatformEndpoint', appArn);
        const app = this.apps.get(appArn);
        if (!app) throw new ServiceError('NotFound', 'PlatformApplication does not exist', 404);
        const token = p.get('Token') ?? '';
        const wanted: Record<string, string> = {
          ...attrs,
          Token: token,
          Enabled: attrs.Enabled ?? 'true',
          ...(p.get('CustomUserData') !== null ? { CustomUserData: p.get('CustomUserData')! } : {}),
        };
        const same = [...this.endpoints.values()].find((e) => e.app === app && e.attributes.Token === token);
        if (same) {
          const identical = Object.entries(wanted).every(([k, v]) => same.attributes[k] === v);
          if (!identical)
            throw new ServiceError(
              'InvalidParameter',
              `Invalid parameter: Token Reason: Endpoint ${same.arn} already exists with the same Token, but different attributes.`,
            );
          return xml(action, `<EndpointArn>${same.arn}</EndpointArn>`);
        }
        const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:endpoint/${app.platform}/${app.name}/${randomUUID()}`;
        this.endpoints.set(arn, { arn, app, attributes: wanted });
        return xml(action, `<EndpointArn>${arn}</EndpointArn>`);
      }
      case 'GetEndpointAttributes':
      case 'SetEndpointAttributes':
      case 'DeleteEndpoint': {
        const arn = p.get('EndpointArn') ?? '';
        authorize(req.caller, `sns:${action}`, arn);
        const e = this.endpoints.get(arn);
        if (action === 'DeleteEndpoint') {
          this.endpoints.delete(arn);
          return xml(action, '');
        }
        if (!e) throw new ServiceError('NotFound', 'Endpoint does not exist', 404);
        if (action === 'SetEndpointAttributes') {
          e.attributes = { ...e.attributes, ...attrs };
          return xml(action, '');
        }
        return xml(action, `<Attributes>${attributesXml(e.attributes)}</Attributes>`);
      }
      case 'Publish':
        return this.publish(req, p);
      default:
        throw new ServiceError('InvalidAction', `the AWS world's SNS does not model ${action}`);
    }
  }

  private publish(req: BoxRequest, p: URLSearchParams): BoxResponse {
    const arn = p.get('TargetArn') ?? p.get('TopicArn') ?? '';
    authorize(req.caller, 'sns:Publish', arn);
    const e = this.endpoints.get(arn);
    if (!e) throw new ServiceError('NotFound', 'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified', 404);
    if (e.attributes.Enabled !== 'true') throw new ServiceError('EndpointDisabled', 'Endpoint is disabled');
    if (p.get('MessageStructure') !== 'json')
      throw new ServiceError('InvalidParameter', 'Invalid parameter: the product publishes MessageStructure json only');
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(p.get('Message') ?? '');
    } catch {
      throw new ServiceError('InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
    }
    if (typeof message !== 'object' || message === null || Object.values(message).some((v) => typeof v !== 'string')) {
      throw new ServiceError('InvalidParameter', 'Invalid parameter: Message Structure - JSON values must be strings');
    }
    const platformValue = message[e.app.platform];
    if (typeof platformValue !== 'string') {
      throw new ServiceError(
        'InvalidParameter',
        `Invalid parameter: Message Structure - JSON must contain an entry for 'default' or '${e.app.platform}'`,
      );
    }
    if (Buffer.byteLength(platformValue) > PUSH_PAYLOAD_LIMIT)
      throw new ServiceError('InvalidParameter', 'Invalid parameter: Message too long');
    if (this.crashOnPublish?.(e)) {
      this.kill(req.caller.functionName);
      return { status: 0, hangUp: true };
    }
    const token = e.attributes.Token;
    const delivered = token.startsWith(`tok:${e.app.name}:`);
    // The provider refuses a token of another app (or a dead one) after SNS accepted the publish.
    if (!delivered) e.attributes.Enabled = 'false';
    const messageId = randomUUID();
    const attributes = entries(p, 'MessageAttributes', 'Name', 'Value.StringValue');
    this.published.push({
      endpointArn: arn,
      platform: e.app.platform,
      token,
      payload: JSON.parse(platformValue),
      attributes,
      messageId,
      delivered,
      at: this.now(),
    });
    return xml('Publish', `<MessageId>${messageId}</MessageId>`);
  }
}

/** `Prefix.entry.N.<k>` / `Prefix.entry.N.<v>` pairs of a query request. */
function entries(p: URLSearchParams, prefix: string, k: string, v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; p.has(`${prefix}.entry.${i}.${k}`); i++)
    out[p.get(`${prefix}.entry.${i}.${k}`)!] = p.get(`${prefix}.entry.${i}.${v}`) ?? '';
  return out;
}

function attributesXml(a: Record<string, string>): string {
  return Object.entries(a)
    .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${escapeXml(v)}</value></entry>`)
    .join('');
}

function xml(action: string, result: string): BoxResponse {
  const body = `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}
