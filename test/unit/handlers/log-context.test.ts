/**
 * Log context of the handlers: each entry carries the Lambda context (function, request id, cold
 * start) and the correlation id; HTTP responses return it; a launch's id rides on the trigger's
 * payload, on each send batch (and a continuation), and onto the sender's entries.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { httpApi, type ApiEvent } from '../../../lambdas/handlers/http/http-api';
import { noContent, ok } from '../../../lambdas/handlers/http/types';
import { senderHandler } from '../../../lambdas/handlers/sender';
import { triggerHandler, YIELD_MARGIN_MS } from '../../../lambdas/handlers/trigger';
import { logger } from '../../../lambdas/logging/logger';
import { parseSendBatch } from '../../../lambdas/adapters/aws/sqs-send-queue';
import type { SendBatch } from '../../../lambdas/ports/send-queue';
import { TRIGGER, world } from '../use-cases/delivery/wave-fakes';
import { apiEvent } from '../../support/api-event';

/** The JSON entries Powertools writes (to stdout and stderr) while `run` runs. */
async function captureLogs(run: () => Promise<unknown>): Promise<Record<string, any>[]> {
  const lines: string[] = [];
  const grab = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(grab as any);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(grab as any);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

const context = (awsRequestId: string, functionName = 'campaigns', remaining = 600_000): Context =>
  ({
    awsRequestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: () => remaining,
  }) as unknown as Context;

function event(headers: Record<string, string> = {}, routeKey = 'GET /v1/things'): ApiEvent {
  return apiEvent({
    routeKey,
    method: 'GET',
    path: '/v1/things',
    headers,
    requestId: 'apigw-req-1',
    authorizer: { jwt: { claims: { tenant_id: 't1' } } },
  });
}

describe('HTTP handlers', () => {
  const handler = httpApi({
    'GET /v1/things': async (req) => {
      logger.info('thing read', { correlationSeen: req.correlationId });
      return ok({ fine: true });
    },
    'DELETE /v1/things': async () => noContent(),
    'GET /v1/crash': async () => {
      throw new Error('boom');
    },
  });

  test('each entry carries the function, its request id, cold start and the correlation id', async () => {
    const logs = await captureLogs(() => handler(event({ 'X-Correlation-Id': 'caller-id-1' }), context('lambda-req-1')));
    const entry = logs.find((l) => l.message === 'thing read')!;
    expect(entry).toMatchObject({
      function_request_id: 'lambda-req-1',
      function_name: 'campaigns',
      correlation_id: 'caller-id-1',
      correlationSeen: 'caller-id-1',
    });
    expect(entry).toHaveProperty('cold_start');
    // The keys are the invocation's: the next one does not inherit them.
    const next = await captureLogs(() => handler(event(), context('lambda-req-2')));
    expect(next.find((l) => l.message === 'thing read')).toMatchObject({
      function_request_id: 'lambda-req-2',
      correlation_id: 'apigw-req-1',
      cold_start: false,
    });
  });

  test('cold_start is true on the first invocation of an on-demand environment only (as Lambda sets it)', async () => {
    const before = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    try {
      await jest.isolateModulesAsync(async () => {
        // A fresh logger module: Powertools reads the initialization type when the logger is built.
        const fresh = await import('../../../lambdas/handlers/http/http-api');
        const log = (await import('../../../lambdas/logging/logger')).logger;
        const h = fresh.httpApi({ 'GET /v1/things': async () => (log.info('hello'), ok({})) });
        const first = await captureLogs(() => h(event(), context('cold-1')));
        const second = await captureLogs(() => h(event(), context('warm-2')));
        expect(first.find((l) => l.message === 'hello')).toMatchObject({ function_request_id: 'cold-1', cold_start: true });
        expect(second.find((l) => l.message === 'hello')).toMatchObject({ function_request_id: 'warm-2', cold_start: false });
      });
    } finally {
      if (before === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
      else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = before;
    }
  });

  test('a valid x-correlation-id is echoed; an invalid or missing one is replaced by the request id', async () => {
    const echoed = await handler(event({ 'x-correlation-id': 'abc-123:x.y_z' }), context('l1'));
    expect(echoed.headers).toMatchObject({ 'x-correlation-id': 'abc-123:x.y_z', 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(echoed.body!)).toEqual({ fine: true });
    for (const bad of ['has space', 'x'.repeat(129), '{"level":"ERROR"}', '', 'new\nline']) {
      const res = await handler(event({ 'x-correlation-id': bad }), context('l2'));
      expect(res.headers!['x-correlation-id']).toBe('apigw-req-1');
    }
    expect((await handler(event(), context('l3'))).headers!['x-correlation-id']).toBe('apigw-req-1');
  });

  test('error and empty responses carry it too, bodies and statuses unchanged', async () => {
    const logs = await captureLogs(async () => {
      const crash = await handler(event({ 'x-correlation-id': 'c-500' }, 'GET /v1/crash'), context('l4'));
      expect(crash.statusCode).toBe(500);
      expect(JSON.parse(crash.body!)).toEqual({ error: { code: 'internal_error', message: 'the service failed to handle this request' } });
      expect(crash.headers!['x-correlation-id']).toBe('c-500');
    });
    expect(logs.find((l) => l.message === 'unhandled error')).toMatchObject({ correlation_id: 'c-500', function_request_id: 'l4' });
    const gone = await handler(event({ 'x-correlation-id': 'c-204' }, 'DELETE /v1/things'), context('l5'));
    expect(gone).toEqual({ statusCode: 204, headers: { 'x-correlation-id': 'c-204' } });
    const missing = await handler(event({ 'x-correlation-id': 'c-404' }, 'GET /v1/nothing'), context('l6'));
    expect(missing.statusCode).toBe(404);
    expect(missing.headers!['x-correlation-id']).toBe('c-404');
  });
});

describe('from the launch to the sender', () => {
  test('the trigger logs the payload correlation id and puts it on every batch and on its continuation', async () => {
    const w = world(3000);
    const fired = { ...TRIGGER, correlationId: 'launch-req-9' };
    let logs = await captureLogs(() =>
      triggerHandler(w.deps)(fired, {
        ...context('trigger-req-1', 'trigger'),
        getRemainingTimeInMillis: () => (w.campaigns.c.waves.now.pages >= 1 ? YIELD_MARGIN_MS - 1 : 600_000),
      } as Context),
    );
    expect(logs.find((l) => l.message === 'wave fired')).toMatchObject({
      correlation_id: 'launch-req-9',
      function_request_id: 'trigger-req-1',
      function_name: 'trigger',
    });
    expect(w.continuations).toEqual([fired]);
    logs = await captureLogs(() => triggerHandler(w.deps)(w.continuations[0], context('trigger-req-2', 'trigger')));
    expect(logs.find((l) => l.message === 'wave firing ended')).toMatchObject({
      correlation_id: 'launch-req-9',
      function_request_id: 'trigger-req-2',
      outcome: 'enqueued',
    });
    expect(w.enqueued.length).toBeGreaterThan(0);
    for (const b of w.enqueued) expect(b.correlationId).toBe('launch-req-9');
    // Through SQS: the message body keeps it and the sender's parser takes it.
    expect(parseSendBatch(JSON.stringify(w.enqueued[0])).correlationId).toBe('launch-req-9');
  });

  test('a trigger without one (a schedule made before) still fires, and its batches carry none', async () => {
    const w = world(150);
    const logs = await captureLogs(() => triggerHandler(w.deps)(TRIGGER, context('trigger-req-3', 'trigger')));
    expect(logs.find((l) => l.message === 'wave fired')).not.toHaveProperty('correlation_id');
    expect(w.enqueued.every((b) => !('correlationId' in b))).toBe(true);
  });

  test('the sender puts each batch’s correlation id on its entries; older messages without one stay valid', async () => {
    const batch = (batchId: string, correlationId?: string): SendBatch => ({
      tenantId: 't1',
      campaignId: 'c1',
      waveId: 'now',
      batchId,
      deviceIds: ['d1'],
      ...(correlationId ? { correlationId } : {}),
    });
    const sqs = (bodies: SendBatch[]): SQSEvent =>
      ({ Records: bodies.map((b) => ({ messageId: b.batchId, body: JSON.stringify(b) })) }) as unknown as SQSEvent;
    // Ports that fail at once: each batch's failure is logged.
    const broken = new Proxy(
      {},
      {
        get: () => {
          throw new Error('store down');
        },
      },
    ) as any;
    let out: unknown;
    const logs = await captureLogs(async () => {
      out = await senderHandler(broken, parseSendBatch)(
        sqs([batch('b1', 'launch-A'), batch('b2'), batch('b3', 'launch-B')]),
        context('sender-req-1', 'sender'),
      );
    });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'b1' }, { itemIdentifier: 'b2' }, { itemIdentifier: 'b3' }] });
    const failed = logs.filter((l) => l.message === 'send batch failed');
    expect(failed.map((l) => [l.messageId, l.correlation_id, l.function_request_id])).toEqual([
      ['b1', 'launch-A', 'sender-req-1'],
      ['b2', undefined, 'sender-req-1'],
      ['b3', 'launch-B', 'sender-req-1'],
    ]);
  });
});
