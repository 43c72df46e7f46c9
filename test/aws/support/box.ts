/**
 * "AWS" for the AWS world: one HTTP server on loopback that every SDK client of every function
 * reaches (AWS_ENDPOINT_URL). The SigV4 Authorization header says who calls (the access key of a
 * function's role session) and which service (the credential scope); each service stand-in checks
 * the call against the caller's IAM statements and answers in that service's wire protocol.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessDenied, allows, type ConditionContext, type Statement } from './iam';

export interface Caller {
  /** The role ARN (assumed-role session) the call is made with. */
  principal: string;
  statements: Statement[];
  /** The function whose environment made the call. */
  functionName: string;
}

export interface BoxRequest {
  caller: Caller;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

export interface BoxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Never answer: the caller's environment was killed while the request was in flight. */
  hangUp?: boolean;
}

export type Protocol = 'json' | 'restJson' | 'query' | 'restXml';

export interface Service {
  protocol: Protocol;
  /** The error code this service answers for an IAM denial. */
  accessDeniedCode: string;
  handle(req: BoxRequest): Promise<BoxResponse>;
}

/** An error answer of a service (code as the SDK names the exception). */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Check a call against the caller's identity policy; throws AccessDenied. */
export function authorize(caller: Caller, action: string, resource: string, context?: ConditionContext): void {
  if (!allows(caller.statements, { action, resource, context })) throw new AccessDenied(caller.principal, { action, resource, context });
}

export class Box {
  private server: Server | undefined;
  readonly services = new Map<string, Service>();
  private readonly callers = new Map<string, Caller>();
  /** Every IAM denial, for tests to show what was refused. */
  readonly denials: { caller: string; action: string; resource: string }[] = [];
  /** Every call, by service and operation (the coverage report of the scenario). */
  readonly calls: { caller: string; service: string; operation: string }[] = [];
  origin = '';

  addCaller(accessKeyId: string, caller: Caller): void {
    this.callers.set(accessKeyId, caller);
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.origin = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const auth = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '');
    if (!auth) return send(res, { status: 403, body: JSON.stringify({ message: 'Missing Authentication Token' }) });
    const [, accessKeyId, serviceName] = auth;
    const service = this.services.get(serviceName);
    const caller = this.callers.get(accessKeyId);
    if (!service) return send(res, { status: 400, body: JSON.stringify({ message: `the AWS world has no stand-in for ${serviceName}` }) });
    if (!caller)
      return send(
        res,
        errorResponse(
          service,
          new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
        ),
      );
    const url = new URL(req.url ?? '/', this.origin);
    const operation =
      headers['x-amz-target']?.split('.').pop() ??
      new URLSearchParams(body.toString('utf8')).get('Action') ??
      `${req.method} ${url.pathname}`;
    this.calls.push({ caller: caller.functionName, service: serviceName, operation });
    try {
      const out = await service.handle({
        caller,
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers,
        body,
      });
      if (out.hangUp) return; // the environment is dead; nobody reads this answer
      send(res, out);
    } catch (err) {
      if (err instanceof AccessDenied) {
        this.denials.push({ caller: caller.functionName, action: err.request.action, resource: err.request.resource });
        return send(res, errorResponse(service, new ServiceError(service.accessDeniedCode, err.message, 403)));
      }
      if (err instanceof ServiceError) return send(res, errorResponse(service, err));
      send(res, errorResponse(service, new ServiceError('InternalFailure', `stand-in failed: ${(err as Error).stack}`, 500)));
    }
  }
}

function send(res: ServerResponse, out: BoxResponse): void {
  res.writeHead(out.status, { 'x-amzn-requestid': `box-${Date.now()}`, ...(out.headers ?? {}) });
  res.end(out.body ?? '');
}

/** An error in the protocol the SDK client of this service parses. */
export function errorResponse(service: Service, err: ServiceError): BoxResponse {
  if (service.protocol === 'query') {
    const xml = `<ErrorResponse><Error><Type>${err.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>box</RequestId></ErrorResponse>`;
    return { status: err.status, headers: { 'content-type': 'text/xml' }, body: xml };
  }
  if (service.protocol === 'restXml') {
    // S3: the code in the body (a HEAD answer carries none; the SDK names it by its status).
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message><RequestId>box</RequestId></Error>`;
    return { status: err.status, headers: { 'content-type': 'application/xml' }, body: xml };
  }
  if (service.protocol === 'restJson') {
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
      body: JSON.stringify({ Message: err.message, message: err.message }),
    };
  }
  return {
    status: err.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-query-error': `${err.code};Sender` },
    body: JSON.stringify({ __type: `com.amazonaws.box#${err.code}`, message: err.message }),
  };
}

export function json(value: unknown, status = 200): BoxResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(value) };
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The operation of a JSON-protocol request (X-Amz-Target `Prefix.Operation`) and its input. */
export function jsonCall(req: BoxRequest): { op: string; input: any } {
  return { op: req.headers['x-amz-target']?.split('.').pop() ?? '', input: req.body.length ? JSON.parse(req.body.toString('utf8')) : {} };
}
