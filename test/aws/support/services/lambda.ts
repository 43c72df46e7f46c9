/**
 * The Lambda service: `Invoke` (RequestResponse and asynchronous `Event`), the asynchronous
 * invocation queue with the function's retry setting (AWS::Lambda::EventInvokeConfig, default 2
 * retries) and its on-failure destination (sent with the FUNCTION's role, as Lambda does), and
 * SQS event source mappings (batch size, ReportBatchItemFailures).
 */
import { randomUUID } from 'node:crypto';
import { authorize, ServiceError, type BoxRequest, type BoxResponse, type Caller, type Service } from '../box';
import type { CloudAssembly, FunctionModel } from '../cloud-assembly';
import { allows } from '../iam';
import type { FunctionRuntime, Invocation } from '../lambda-runtime';
import type { SqsStandIn } from './sqs';

interface AsyncInvocation {
  fn: FunctionModel;
  payload: unknown;
  attempts: number;
  requestId: string;
}

interface Mapping {
  fn: FunctionModel;
  queueArn: string;
  batchSize: number;
  reportFailures: boolean;
}

export interface FailedAsync {
  fn: string;
  payload: unknown;
  error: Invocation;
  /** Where the failure went: the on-failure destination, or nowhere. */
  destination: string | null;
}

export class LambdaStandIn implements Service {
  readonly protocol = 'restJson' as const;
  readonly accessDeniedCode = 'AccessDeniedException';
  private readonly asyncQueue: AsyncInvocation[] = [];
  private readonly mappings: Mapping[] = [];
  private readonly retries = new Map<string, number>();
  private readonly destinations = new Map<string, string>();
  /** Asynchronous invocations that failed for good. */
  readonly failedAsync: FailedAsync[] = [];
  /** Results of every invocation, by function entry (tests inspect them). */
  readonly results: { entry: string; event: unknown; outcome: Invocation }[] = [];

  constructor(
    assembly: CloudAssembly,
    private readonly runtimes: Map<string, FunctionRuntime>,
    private readonly sqs: SqsStandIn,
    private readonly callerOf: (fn: FunctionModel) => Caller,
  ) {
    const byRef = (stack: string, ref: unknown) => {
      const name = assembly.resolve(stack, ref) as string;
      return [...runtimes.values()].map((r) => r.fn).find((f) => f.name === name || f.arn === name);
    };
    for (const m of assembly.ofType('AWS::Lambda::EventSourceMapping')) {
      const fn = byRef(m.stack, m.props.FunctionName);
      if (!fn) continue;
      this.mappings.push({
        fn,
        queueArn: assembly.resolve(m.stack, m.props.EventSourceArn),
        batchSize: Number(m.props.BatchSize ?? 10),
        reportFailures: (m.props.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
      });
    }
    for (const c of assembly.ofType('AWS::Lambda::EventInvokeConfig')) {
      const fn = byRef(c.stack, c.props.FunctionName);
      if (!fn) continue;
      if (c.props.MaximumRetryAttempts !== undefined) this.retries.set(fn.name, Number(c.props.MaximumRetryAttempts));
      const dest = c.props.DestinationConfig?.OnFailure?.Destination;
      if (dest) this.destinations.set(fn.name, assembly.resolve(c.stack, dest));
    }
  }

  private runtimeOf(nameOrArn: string): FunctionRuntime {
    const r = [...this.runtimes.values()].find((x) => x.fn.name === nameOrArn || x.fn.arn === nameOrArn);
    if (!r) throw new ServiceError('ResourceNotFoundException', `Function not found: ${nameOrArn}`, 404);
    return r;
  }

  async handle(req: BoxRequest): Promise<BoxResponse> {
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.path);
    if (!m || req.method !== 'POST')
      throw new ServiceError('InvalidRequestContentException', `the AWS world's Lambda does not model ${req.method} ${req.path}`);
    const runtime = this.runtimeOf(m[1]);
    authorize(req.caller, 'lambda:InvokeFunction', runtime.fn.arn);
    const payload = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    if (req.headers['x-amz-invocation-type'] === 'Event') {
      if (req.body.length > 1024 * 1024) throw new ServiceError('RequestTooLargeException', 'async payload over 1 MB', 413);
      this.asyncQueue.push({ fn: runtime.fn, payload, attempts: 0, requestId: randomUUID() });
      return { status: 202, body: '' };
    }
    const out = await this.invoke(runtime.fn, payload);
    return out.ok
      ? { status: 200, body: JSON.stringify(out.result) }
      : {
          status: 200,
          headers: { 'x-amz-function-error': 'Unhandled' },
          body: JSON.stringify({ errorType: out.error.name, errorMessage: out.error.message }),
        };
  }

  /** Run one invocation of a function (the world's entry for API Gateway and Scheduler too). */
  async invoke(fn: FunctionModel, event: unknown): Promise<Invocation> {
    const outcome = await this.runtimes.get(fn.name)!.invoke(event);
    this.results.push({ entry: fn.entry, event, outcome });
    return outcome;
  }

  /** An asynchronous invocation from a service (Scheduler) rather than through the API. */
  invokeAsync(fn: FunctionModel, payload: unknown): void {
    this.asyncQueue.push({ fn, payload, attempts: 0, requestId: randomUUID() });
  }

  /** Run queued asynchronous invocations (with retries and destinations); true if any ran. */
  async drainAsync(): Promise<boolean> {
    let ran = false;
    while (this.asyncQueue.length > 0) {
      const job = this.asyncQueue.shift()!;
      ran = true;
      job.attempts++;
      const out = await this.invoke(job.fn, job.payload);
      if (out.ok) continue;
      if (job.attempts <= (this.retries.get(job.fn.name) ?? 2)) {
        this.asyncQueue.push(job);
        continue;
      }
      this.failAsync(job, out);
    }
    return ran;
  }

  private failAsync(job: AsyncInvocation, out: Invocation): void {
    const destination = this.destinations.get(job.fn.name) ?? null;
    let delivered: string | null = null;
    if (destination?.startsWith('arn:aws:sqs:')) {
      // Lambda sends the record with the function's own execution role.
      const caller = this.callerOf(job.fn);
      if (allows(caller.statements, { action: 'sqs:SendMessage', resource: destination })) {
        const record = {
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: job.requestId,
            functionArn: `${job.fn.arn}:$LATEST`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: job.attempts,
          },
          requestPayload: job.payload,
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          responsePayload: out.ok ? null : { errorType: out.error.name, errorMessage: out.error.message },
        };
        this.sqs.deliver(this.sqs.byArn(destination), JSON.stringify(record));
        delivered = destination;
      }
    }
    this.failedAsync.push({ fn: job.fn.entry, payload: job.payload, error: out, destination: delivered });
  }

  /** Poll every SQS event source once: one batch per mapping; true if any batch ran. */
  async pollQueues(): Promise<boolean> {
    let ran = false;
    for (const m of this.mappings) {
      const q = this.sqs.byArn(m.queueArn);
      const messages = this.sqs.receive(q, m.batchSize);
      if (messages.length === 0) continue;
      ran = true;
      const out = await this.invoke(m.fn, this.sqs.eventFor(q, messages));
      if (!out.ok) continue; // the whole batch becomes visible again after the visibility timeout
      const failed = new Set<string>();
      if (m.reportFailures) {
        const items = (out.result as { batchItemFailures?: { itemIdentifier?: string }[] } | null)?.batchItemFailures ?? [];
        // An invalid itemIdentifier fails the whole batch, as Lambda does.
        if (items.some((i) => !messages.some((x) => x.messageId === i.itemIdentifier))) continue;
        for (const i of items) failed.add(i.itemIdentifier!);
      }
      for (const msg of messages) if (!failed.has(msg.messageId)) this.sqs.delete(q, msg.receiptHandle);
    }
    return ran;
  }
}
