/**
 * The event lake's write side in AWS: Firehose delivery streams that convert JSON lines to
 * Parquet in S3, partitioned by `tenant_id` and `dt` with dynamic partitioning. Each table has
 * one or more streams ("shards", to stay under 500 active partitions a stream); a tenant's rows
 * always go to the stream lakeShardOf picks, and every shard writes the same S3 layout. Firehose may
 * accept a batch while rejecting some of its records (HTTP 200, FailedPutCount > 0), so only
 * the rejected records are resent; a resolved promise means every record was accepted.
 */
import { FirehoseClient, PutRecordBatchCommand, type _Record } from '@aws-sdk/client-firehose';
import { backoffDelay, FIREHOSE_PUT_RETRY } from '../../domain/backoff';
import { dayPartition, type DeliveryRow, type DeviceRow, type EventRow } from '../../domain/lake-schema';
import { lakeShardOf } from '../../domain/lake-shards';
import type { EventLake } from '../../ports/event-lake';

/** Options of the Firehose lake writer. */
export interface FirehoseEventLakeOptions {
  client: FirehoseClient;
  /** EVENTS_FIREHOSE_STREAM: delivery streams of the `events` table, comma-separated in shard order. */
  eventsStream: string;
  /** DEVICES_FIREHOSE_STREAM: delivery streams of the `devices` table, comma-separated in shard order. */
  devicesStream: string;
  /** DELIVERIES_FIREHOSE_STREAM: delivery streams of the `deliveries` table (the sender's), comma-separated in shard order. */
  deliveriesStream?: string;
  /** Sends per chunk before giving up on rejected records (default 6). */
  maxAttempts?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** PutRecordBatch limits: 500 records and 4 MiB per call, 1,000 KiB per record. */
export const FIREHOSE_LIMITS = { records: 500, batchBytes: 4 * 1024 * 1024, recordBytes: 1000 * 1024 } as const;

/** Some records were still rejected by Firehose after every retry. */
export class LakeWriteError extends Error {
  override name = 'LakeWriteError';
  constructor(
    message: string,
    readonly failedRecords: number,
  ) {
    super(message);
  }
}

/** Appends lake rows through Firehose, one JSON line per row. */
export class FirehoseEventLake implements EventLake {
  private readonly client: FirehoseClient;
  private readonly eventsStreams: string[];
  private readonly devicesStreams: string[];
  private readonly deliveriesStreams: string[];
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: FirehoseEventLakeOptions) {
    this.client = opts.client;
    this.eventsStreams = streamList(opts.eventsStream);
    this.devicesStreams = streamList(opts.devicesStream);
    this.deliveriesStreams = streamList(opts.deliveriesStream ?? '');
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 6);
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async appendEvents(tenantId: string, rows: EventRow[]): Promise<void> {
    await this.put(
      this.eventsStreams,
      tenantId,
      rows.map((r) => lakeLine(tenantId, r, r.ts)),
    );
  }

  async appendDevices(tenantId: string, rows: DeviceRow[]): Promise<void> {
    await this.put(
      this.devicesStreams,
      tenantId,
      rows.map((r) => lakeLine(tenantId, r, r.updated_at)),
    );
  }

  async appendDeliveries(tenantId: string, rows: DeliveryRow[]): Promise<void> {
    await this.put(
      this.deliveriesStreams,
      tenantId,
      rows.map((r) => lakeLine(tenantId, r, r.ts)),
    );
  }

  /** The tenant's shard of the table's streams: the same one for every row of that tenant. */
  private async put(streams: string[], tenantId: string, lines: Uint8Array[]): Promise<void> {
    if (streams.length === 0) throw new LakeWriteError('no delivery stream is configured for this table in this function', lines.length);
    if (streams.includes('')) throw new LakeWriteError(`the delivery stream list "${streams.join(',')}" has an empty entry`, lines.length);
    const stream = streams[lakeShardOf(tenantId, streams.length)];
    for (const chunk of chunkRecords(lines)) await this.putChunk(stream, chunk);
  }

  /** One PutRecordBatch call's worth, resending only what Firehose rejected. */
  private async putChunk(stream: string, records: Uint8Array[]): Promise<void> {
    let pending = records;
    let lastError = '';
    for (let attempt = 1; ; attempt++) {
      const out = await this.client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: pending.map((Data): _Record => ({ Data })) }),
      );
      if (!out.FailedPutCount) return;
      // RequestResponses is in request order; an entry with an ErrorCode is a rejected record.
      const responses = out.RequestResponses ?? [];
      const failed = responses.length === pending.length ? pending.filter((_, i) => responses[i]?.ErrorCode) : pending;
      const firstError = responses.find((r) => r.ErrorCode);
      lastError = firstError ? `${firstError.ErrorCode}: ${firstError.ErrorMessage ?? ''}` : 'no per-record error given';
      pending = failed.length > 0 ? failed : pending;
      if (attempt >= this.maxAttempts) {
        throw new LakeWriteError(
          `Firehose ${stream} rejected ${pending.length} record(s) after ${attempt} attempts (${lastError})`,
          pending.length,
        );
      }
      // Rejections are mostly throughput limits of the stream: back off before resending.
      await this.sleep(backoffDelay(attempt - 1, FIREHOSE_PUT_RETRY));
    }
  }
}

const encoder = new TextEncoder();

/** `a,b,c` → ['a', 'b', 'c'] (index = shard); '' → none. Empty entries stay, so indices never shift. */
function streamList(names: string): string[] {
  return names.trim() === '' ? [] : names.split(',').map((s) => s.trim());
}

/** The row plus the partition keys dynamic partitioning reads (`tenant_id`, `dt`), as one JSON line. */
function lakeLine(tenantId: string, row: EventRow | DeviceRow | DeliveryRow, partitionTs: string): Uint8Array {
  const line = encoder.encode(JSON.stringify({ ...row, tenant_id: tenantId, dt: dayPartition(partitionTs) }) + '\n');
  if (line.byteLength > FIREHOSE_LIMITS.recordBytes) {
    throw new LakeWriteError(`a lake row of ${line.byteLength} bytes exceeds Firehose's record limit`, 1);
  }
  return line;
}

/** Splits records into chunks within PutRecordBatch's count and size limits. */
export function chunkRecords(records: Uint8Array[]): Uint8Array[][] {
  const chunks: Uint8Array[][] = [];
  let current: Uint8Array[] = [];
  let bytes = 0;
  for (const r of records) {
    if (current.length === FIREHOSE_LIMITS.records || bytes + r.byteLength > FIREHOSE_LIMITS.batchBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += r.byteLength;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
