/**
 * One Lambda execution environment of the AWS world: a child process started with exactly the
 * function's template environment (plus the variables the Lambda runtime itself sets), which
 * imports the function's real entry (lambdas/composition/entries/<name>.ts) once, as a cold start
 * does, and runs invocations sent by the parent over IPC, one at a time as Lambda does.
 *
 * The world's clock can run ahead of the wall clock (a scheduled wave an hour away, a lease that
 * must expire): the parent sends the offset with every invocation and Date reads through it.
 */
import path from 'node:path';

let offsetMs = 0;
const RealDate = Date;
class WorldDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string]));
  }
  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}
globalThis.Date = WorldDate as DateConstructor;

type Message = { type: 'invoke'; id: number; event: unknown; deadline: number; offsetMs: number; requestId: string; traceHeader: string };

const entry = process.env.AWS_WORLD_ENTRY;
// The harness variable is not part of the function's environment: drop it before the entry reads env.
delete process.env.AWS_WORLD_ENTRY;
if (!entry) throw new Error('AWS_WORLD_ENTRY missing');

let handler: ((event: unknown, context: unknown) => Promise<unknown>) | undefined;
let loadError: unknown;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require(path.resolve(__dirname, '../../../lambdas/composition/entries', `${entry}.ts`)).handler;
} catch (err) {
  loadError = err;
}

function serialise(err: unknown) {
  const e = err as Error;
  return { name: e?.name ?? 'Error', message: e?.message ?? String(err), stack: e?.stack };
}

process.on('message', async (m: Message) => {
  if (m.type !== 'invoke') return;
  offsetMs = m.offsetMs;
  // The Node.js runtime sets the invocation's trace header in the environment before calling the handler.
  process.env._X_AMZN_TRACE_ID = m.traceHeader;
  if (!handler) {
    process.send!({ id: m.id, ok: false, error: serialise(loadError ?? new Error('no handler export')) });
    return;
  }
  const context = {
    awsRequestId: m.requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:111122223333:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'box',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, m.deadline - RealDate.now()),
  };
  try {
    const result = await handler(m.event, context);
    process.send!({ id: m.id, ok: true, result: result ?? null });
  } catch (err) {
    process.send!({ id: m.id, ok: false, error: serialise(err) });
  }
});
process.send!({ ready: true });
