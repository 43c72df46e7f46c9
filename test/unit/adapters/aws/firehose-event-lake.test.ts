import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { chunkRecords, FirehoseEventLake, LakeWriteError } from '../../../../lambdas/adapters/aws/firehose-event-lake';
import { eventRow, type DeliveryRow, type DeviceRow, type EventRow } from '../../../../lambdas/domain/lake-schema';
import { lakeShardOf } from '../../../../lambdas/domain/lake-shards';

const firehose = mockClient(FirehoseClient);
const decoder = new TextDecoder();

function lake(maxAttempts = 4) {
  const sleeps: number[] = [];
  const l = new FirehoseEventLake({
    client: new FirehoseClient({ region: 'us-east-1' }),
    eventsStream: 'events-stream',
    devicesStream: 'devices-stream',
    maxAttempts,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { l, sleeps };
}

function event(i: number, extra: Partial<EventRow> = {}): EventRow {
  return eventRow(
    { event_id: `e-${i}`, device_id: 'd-1', type: 'app_open', ts: '2026-11-20T23:59:59.000Z', received_at: '2026-11-21T00:00:01.000Z' },
    extra,
  );
}

/** One sent delivery outcome. */
const delivery: DeliveryRow = {
  campaign_id: 'c-1',
  device_id: 'd-1',
  wave_id: 'w-1',
  batch_id: 'b-1',
  outcome: 'sent',
  reason: null,
  platform: 'ios',
  ts: '2026-11-28T17:00:00.000Z',
};

/** The JSON lines of one PutRecordBatch call. */
function sentLines(call: number): string[] {
  const input = firehose.commandCalls(PutRecordBatchCommand)[call].args[0].input;
  return (input.Records ?? []).map((r) => decoder.decode(r.Data));
}

beforeEach(() => firehose.reset());

describe('FirehoseEventLake', () => {
  it('writes one JSON line per row, with tenant_id and dt for dynamic partitioning', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }, { RecordId: 'r2' }] });
    const { l } = lake();
    await l.appendEvents('acme', [event(1), event(2, { type: 'purchase', order_id: 'o-9', amount: 129.9 })]);
    const input = firehose.commandCalls(PutRecordBatchCommand)[0].args[0].input;
    expect(input.DeliveryStreamName).toBe('events-stream');
    const lines = sentLines(0);
    expect(lines.every((s) => s.endsWith('\n') && !s.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[1])).toEqual({
      ...event(2, { type: 'purchase', order_id: 'o-9', amount: 129.9 }),
      tenant_id: 'acme',
      dt: '2026-11-20',
    });
  });

  it('writes device snapshots to the devices stream, partitioned by the day of updated_at', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] });
    const { l } = lake();
    const row: DeviceRow = {
      device_id: 'd-1',
      platform: 'ios',
      opted_in: true,
      country: 'US',
      timezone: 'America/New_York',
      locale: 'en-US',
      app_version: '5.2.0',
      app_version_key: '00005.00002.00000',
      customer_id: null,
      updated_at: '2026-11-28T17:00:00.000Z',
    };
    await l.appendDevices('acme', [row]);
    expect(firehose.commandCalls(PutRecordBatchCommand)[0].args[0].input.DeliveryStreamName).toBe('devices-stream');
    expect(JSON.parse(sentLines(0)[0])).toEqual({ ...row, tenant_id: 'acme', dt: '2026-11-28' });
  });

  it('resends only the records Firehose rejected', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 2,
        RequestResponses: [
          { RecordId: 'r1' },
          { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' },
          { RecordId: 'r3' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolvesOnce({ FailedPutCount: 1, RequestResponses: [{ RecordId: 'r2' }, { ErrorCode: 'ServiceUnavailableException' }] })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r4' }] });
    const { l, sleeps } = lake();
    await l.appendEvents('acme', [event(1), event(2), event(3), event(4)]);
    const ids = (call: number) => sentLines(call).map((s) => JSON.parse(s).event_id);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(3);
    expect(ids(0)).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
    expect(ids(1)).toEqual(['e-2', 'e-4']);
    expect(ids(2)).toEqual(['e-4']);
    expect(sleeps).toHaveLength(2);
  });

  it('throws after the last attempt when records are still rejected', async () => {
    firehose.on(PutRecordBatchCommand).resolves({
      FailedPutCount: 1,
      RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }],
    });
    const { l } = lake(3);
    const err = await l.appendEvents('acme', [event(1)]).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(LakeWriteError);
    expect((err as LakeWriteError).failedRecords).toBe(1);
    expect((err as Error).message).toMatch(/rejected 1 record\(s\) after 3 attempts \(ServiceUnavailableException: Slow down\.\)/);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(3);
  });

  it('propagates a failed call (the SDK already retried it)', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('AccessDenied'));
    const { l } = lake();
    await expect(l.appendEvents('acme', [event(1)])).rejects.toThrow('AccessDenied');
  });

  it('splits into calls of at most 500 records', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0 });
    const { l } = lake();
    await l.appendEvents(
      'acme',
      Array.from({ length: 1201 }, (_, i) => event(i)),
    );
    const sizes = firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records?.length);
    expect(sizes).toEqual([500, 500, 201]);
  });

  it('does nothing for no rows', async () => {
    const { l } = lake();
    await l.appendEvents('acme', []);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('chunks by 4 MiB as well as by count', () => {
    const big = new Uint8Array(900 * 1024);
    const chunks = chunkRecords(Array.from({ length: 10 }, () => big));
    expect(chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunks.every((c) => c.reduce((n, r) => n + r.byteLength, 0) <= 4 * 1024 * 1024)).toBe(true);
  });

  it('refuses a row larger than a Firehose record may be', async () => {
    const { l } = lake();
    await expect(l.appendEvents('acme', [event(1, { properties: 'x'.repeat(1024 * 1024) })])).rejects.toThrow(LakeWriteError);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });
});

describe('FirehoseEventLake with several streams per table (shards)', () => {
  const SHARDS = ['ev-0', 'ev-1', 'ev-2', 'ev-3'];
  const sharded = (opts: { eventsStream?: string; devicesStream?: string; deliveriesStream?: string } = {}) =>
    new FirehoseEventLake({
      client: new FirehoseClient({ region: 'us-east-1' }),
      eventsStream: SHARDS.join(','),
      devicesStream: 'dev-0,dev-1',
      deliveriesStream: 'del-0,del-1,del-2',
      ...opts,
      sleep: async () => {},
    });
  const streamsCalled = () => firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.DeliveryStreamName);

  beforeEach(() => firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0 }));

  it("puts a tenant's rows on the stream at index lakeShardOf(tenant, list length)", async () => {
    const l = sharded();
    // Pinned in lake-shards.test.ts: acme → 1, initech → 2, tenant-0001 → 3, tenant-0002 → 0 of 4.
    for (const t of ['acme', 'initech', 'tenant-0001', 'tenant-0002']) await l.appendEvents(t, [event(1)]);
    expect(streamsCalled()).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-0']);
  });

  it("picks per table, by the length of that table's own list", async () => {
    const l = sharded();
    const device: DeviceRow = {
      device_id: 'd-1',
      platform: 'ios',
      opted_in: true,
      country: 'US',
      timezone: 'UTC',
      locale: 'en',
      app_version: '1',
      app_version_key: '1',
      customer_id: null,
      updated_at: '2026-11-28T17:00:00.000Z',
    };
    await l.appendDevices('initech', [device]);
    await l.appendDeliveries('initech', [delivery]);
    expect(streamsCalled()).toEqual([`dev-${lakeShardOf('initech', 2)}`, `del-${lakeShardOf('initech', 3)}`]);
  });

  it('sends every chunk of one call, and every later call, of a tenant to the same stream', async () => {
    const l = sharded();
    await l.appendEvents(
      'umbrella',
      Array.from({ length: 1200 }, (_, i) => event(i)),
    );
    await l.appendEvents('umbrella', [event(9)]);
    expect(new Set(streamsCalled())).toEqual(new Set([SHARDS[lakeShardOf('umbrella', 4)]]));
    expect(streamsCalled()).toHaveLength(4);
  });

  it('spreads tenants over every stream', async () => {
    const l = sharded();
    for (let i = 0; i < 40; i++) await l.appendEvents(`tenant-${i}`, [event(i)]);
    expect(new Set(streamsCalled())).toEqual(new Set(SHARDS));
  });

  it('a single name (one shard) takes every tenant, as before sharding', async () => {
    const l = sharded({ eventsStream: 'only' });
    for (const t of ['acme', 'initech', 'tenant-0001']) await l.appendEvents(t, [event(1)]);
    expect(streamsCalled()).toEqual(['only', 'only', 'only']);
  });

  it('tolerates spaces around the names', async () => {
    const l = sharded({ eventsStream: ' ev-0 , ev-1 ,ev-2, ev-3 ' });
    await l.appendEvents('acme', [event(1)]);
    expect(streamsCalled()).toEqual(['ev-1']);
  });

  it('refuses a list with an empty entry rather than shifting shards', async () => {
    const l = sharded({ eventsStream: 'ev-0,,ev-2' });
    await expect(l.appendEvents('acme', [event(1)])).rejects.toThrow(/empty entry/);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('refuses to write a table whose streams are not configured', async () => {
    const l = sharded({ deliveriesStream: '' });
    await expect(l.appendDeliveries('acme', [delivery])).rejects.toThrow(LakeWriteError);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });
});
