/**
 * The Lambda service of the AWS world: one warm execution environment (child process) per
 * function, started on first invocation with exactly the template's environment plus what the
 * Lambda runtime sets (region, the role's session credentials, function name, memory), and the
 * world's endpoint so every SDK call reaches the box. Invocations run one at a time per
 * environment; one that outlives the function's timeout is killed, as Lambda does.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { REGION, type FunctionModel } from './cloud-assembly';

export type Invocation = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string; stack?: string } };

/** Session credentials of a function's role: the access key id names the caller to the box. */
export function accessKeyOf(fn: FunctionModel): string {
  return `ASIA${createHash('sha256').update(fn.logicalId).digest('hex').slice(0, 16).toUpperCase()}`;
}

export class FunctionRuntime {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, (r: Invocation) => void>();
  /** Recent stdout/stderr lines of the environment (for failure messages). */
  readonly logs: string[] = [];
  invocations = 0;
  coldStarts = 0;
  /** The X-Ray trace id of each invocation, by request id, in order. */
  readonly traces: { requestId: string; traceId: string }[] = [];

  constructor(
    readonly fn: FunctionModel,
    private readonly endpoint: string,
    private readonly clockOffset: () => number,
    /** `host:port` of the world's X-Ray daemon. */
    private readonly xrayDaemon = '127.0.0.1:2000',
  ) {}

  /** The environment a fresh execution environment gets. */
  environment(): Record<string, string> {
    return {
      ...this.fn.env,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: accessKeyOf(this.fn),
      AWS_SECRET_ACCESS_KEY: 'box-secret',
      AWS_SESSION_TOKEN: `box-session-${this.fn.logicalId}`,
      AWS_LAMBDA_FUNCTION_NAME: this.fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      // Set by Lambda for on-demand environments; Powertools reports cold_start only when it is.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: '/var/task',
      _HANDLER: 'index.handler',
      // Where the X-Ray daemon listens, and log (not throw) outside a trace; whether an invocation is
      // traced is the Sampled flag of its trace header (1 only with active tracing).
      AWS_XRAY_DAEMON_ADDRESS: this.xrayDaemon,
      _AWS_XRAY_DAEMON_ADDRESS: this.xrayDaemon.split(':')[0],
      _AWS_XRAY_DAEMON_PORT: this.xrayDaemon.split(':')[1],
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      TZ: ':UTC',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // Where "AWS" is: every service endpoint of the SDK resolves to the box.
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_WORLD_ENTRY: this.fn.entry,
    };
  }

  /** Run one invocation (queued behind the environment's current one). */
  invoke(event: unknown): Promise<Invocation> {
    const run = this.chain.then(() => this.run(event));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Kill the environment now (a crash); the next invocation cold-starts a new one. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): Promise<void> {
    this.coldStarts++;
    const child = fork(path.join(__dirname, 'lambda-child.ts'), [], {
      env: this.environment(),
      execArgv: ['--import', 'tsx'],
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.logs.push(line);
      if (this.logs.length > 400) this.logs.splice(0, this.logs.length - 400);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (m: any) => {
        if (m?.ready) return resolve();
        const done = this.pending.get(m.id);
        if (done) {
          this.pending.delete(m.id);
          done(m.ok ? { ok: true, result: m.result } : { ok: false, error: m.error });
        }
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) {
          this.child = undefined;
          this.ready = undefined;
        }
        reject(new Error(`environment exited before it was ready (${code ?? signal}): ${this.logs.slice(-20).join('\n')}`));
        for (const [id, done] of this.pending) {
          this.pending.delete(id);
          done({ ok: false, error: { name: 'Runtime.ExitError', message: `RequestId: ${id} Error: Runtime exited (${signal ?? code})` } });
        }
      });
    });
    return ready;
  }

  /**
   * The `_X_AMZN_TRACE_ID` Lambda gives an invocation: a new trace (Root), the function segment
   * Lambda records as the parent, sampled when the function traces actively.
   */
  private traceHeader(): { root: string; header: string } {
    const root = `1-${Math.floor((Date.now() + this.clockOffset()) / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
    return { root, header: `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=${this.fn.tracing ? 1 : 0}` };
  }

  private async run(event: unknown): Promise<Invocation> {
    this.ready ??= this.start();
    await this.ready;
    const child = this.child!;
    this.invocations++;
    const id = this.nextId++;
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    return new Promise<Invocation>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        child.kill('SIGKILL');
        resolve({
          ok: false,
          error: { name: 'Sandbox.Timedout', message: `Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds` },
        });
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      const requestId = randomUUID();
      const trace = this.traceHeader();
      this.traces.push({ requestId, traceId: trace.root });
      child.send({
        type: 'invoke',
        id,
        event,
        deadline: Date.now() + timeoutMs,
        offsetMs: this.clockOffset(),
        requestId,
        traceHeader: trace.header,
      });
    });
  }
}
