/**
 * X-Ray in the AWS world: functions run with the environment Lambda gives an actively traced
 * function (daemon address, a trace header per invocation), and what the code sends to the daemon
 * is read back: one trace per invocation, the handler's subsegment with its annotations, and a
 * subsegment for every AWS call the invocation made.
 */
import type { TraceDocument } from './support/services/xray';
import { AwsWorld } from './support/world';

const names = (segments: TraceDocument[]) => segments.map((s) => s.name);

describe('X-Ray traces', () => {
  let world: AwsWorld;
  let appKey: string;
  beforeAll(async () => {
    world = await AwsWorld.start();
    appKey = await world.issueAppKey('acme');
  });
  afterAll(() => world?.stop());

  const register = (deviceId: string, correlationId: string) =>
    world.http.request(
      'PUT',
      `/v1/devices/${deviceId}`,
      { appKey, headers: { 'x-correlation-id': correlationId } },
      { platform: 'ios', token: `tok:shop-ios:${deviceId}`, optedIn: true, country: 'US' },
    );

  it('a request is one trace: the handler subsegment, annotated, with each AWS call under it', async () => {
    expect((await register('d-trace-1', 'corr-trace-1')).status).toBe(200);
    const runtime = world.runtimes.get(world.fn('devices').name)!;
    const { traceId } = runtime.traces.at(-1)!;
    const segments = await world.xray.waitFor(traceId, (s) => s.some((d) => d.name === '## index.handler' && !d.in_progress));

    const handler = segments.find((d) => d.name === '## index.handler' && !d.in_progress)!;
    expect(handler.annotations).toEqual(expect.objectContaining({ ColdStart: true, Service: 'devices', correlation_id: 'corr-trace-1' }));
    const aws = segments.filter((d) => d.namespace === 'aws');
    expect([...new Set(names(aws))].sort()).toEqual(['DynamoDB', 'Firehose', 'SNS']);
    for (const call of aws) {
      expect(call.trace_id).toBe(traceId);
      expect(call.aws).toEqual(expect.objectContaining({ operation: expect.any(String), region: expect.any(String) }));
    }
    expect(world.xray.malformed).toEqual([]);
  });

  it('the next invocation is a new trace, warm', async () => {
    expect((await register('d-trace-2', 'corr-trace-2')).status).toBe(200);
    const traces = world.runtimes.get(world.fn('devices').name)!.traces;
    const [previous, { traceId }] = traces.slice(-2);
    expect(traceId).not.toBe(previous.traceId);
    const segments = await world.xray.waitFor(traceId, (s) => s.some((d) => d.name === '## index.handler' && !d.in_progress));
    expect(segments.find((d) => d.name === '## index.handler' && !d.in_progress)!.annotations).toEqual(
      expect.objectContaining({ ColdStart: false, correlation_id: 'corr-trace-2' }),
    );
  });
});

describe('without active tracing', () => {
  it('a function is not sampled and sends nothing to X-Ray', async () => {
    const world = await AwsWorld.start({
      tamper: (_assembly, functions) => {
        functions.find((f) => f.entry === 'devices')!.tracing = false;
      },
    });
    try {
      const appKey = await world.issueAppKey('acme');
      const res = await world.http.request(
        'PUT',
        '/v1/devices/d-1',
        { appKey },
        { platform: 'ios', token: 'tok:shop-ios:d-1', optedIn: true },
      );
      expect(res.status).toBe(200);
      const untraced = world.runtimes.get(world.fn('devices').name)!.traces.at(-1)!;
      // A traced function called afterwards reaches the daemon; by then nothing came for the untraced one.
      expect((await world.http.request('GET', '/v1/settings', { tenant: 'acme' })).status).toBe(200);
      const traced = world.runtimes.get(world.fn('settings').name)!.traces.at(-1)!;
      await world.xray.waitFor(traced.traceId, (s) => s.some((d) => d.name === '## index.handler' && !d.in_progress));
      expect(world.xray.segmentsOf(untraced.traceId)).toEqual([]);
      // What did arrive is the traced functions' own: the app key authorizer's (before devices) and settings'.
      const tracedIds = ['app-key-authorizer', 'settings'].flatMap((e) =>
        world.runtimes.get(world.fn(e).name)!.traces.map((t) => t.traceId),
      );
      expect(world.xray.documents.map((d) => d.trace_id).filter((id) => !tracedIds.includes(id))).toEqual([]);
      expect(world.xray.segmentsOf(traced.traceId).length).toBeGreaterThan(0);
    } finally {
      await world.stop();
    }
  });
});
