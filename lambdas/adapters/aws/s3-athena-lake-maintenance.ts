/**
 * Lake maintenance in AWS: partitions are S3 prefixes (<table>/tenant_id=<t>/dt=<d>/), a rewrite is
 * an Athena UNLOAD of the kept rows into a staging prefix (UNLOAD wants an empty location), copied
 * into the partition as `compact-<run>-<n>` objects; then the replaced objects go.
 *
 * Readers stay consistent: Athena lists a partition when a query starts, so an object deleted while
 * a query runs could fail it. Compaction therefore never deletes at once: it writes the list of
 * replaced objects to a manifest under _maintenance/pending/ due after REMOVAL_GRACE_MS (longer
 * than any query may run), and the hourly sweep deletes them. Meanwhile readers see rows twice,
 * which every query already reduces (events by event_id, devices by latest snapshot, deliveries by
 * (campaign, device)). An erasure deletes at once (its whole point); a query that listed a deleted
 * object fails and is answered 503 / retried like any Athena failure.
 *
 * A rewrite reads exactly the objects it replaces (`"$path" IN (…)`, at most MAX_FILES_PER_REWRITE):
 * an object appended after the listing is neither read nor removed.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { LAKE_TABLES, type LakeTable } from '../../domain/lake-schema';
import { columnsOf } from '../../domain/lake/maintenance';
import { paramList, raw, sql, trusted, type Frag } from '../../domain/segments/sql-fragment';
import type { LakeFile, LakeMaintenance, LakePartition, RewriteOutcome, RewriteRequest } from '../../ports/lake-maintenance';
import type { SqlQuery } from '../../ports/query-engine';
import { keys } from '../dynamo/keys';
import type { DynamoLease } from '../dynamo/lease';

/** Longer than any lake query may run (the longest function timeout is 15 minutes; Athena's DML timeout is 30 by default). */
export const REMOVAL_GRACE_MS = 60 * 60_000;
export const MAINTENANCE_PREFIX = '_maintenance/';
const STAGING_PREFIX = `${MAINTENANCE_PREFIX}staging/`;
export const PENDING_PREFIX = `${MAINTENANCE_PREFIX}pending/`;
const ERRORS_PREFIX = 'errors/';
const TABLES = Object.keys(LAKE_TABLES) as LakeTable[];

export interface S3AthenaLakeMaintenanceOptions {
  s3: S3Client;
  /** Runs UNLOAD statements to completion. */
  athena: { execute(query: SqlQuery): Promise<void> };
  bucket: string;
  lease: DynamoLease;
}

/**
 * The keys a tenant's pending removal manifests name: objects replaced (compaction) or expired,
 * still in S3 (a query may be reading them) but no longer part of the lake's current state.
 */
export async function readPendingKeys(s3: S3Client, bucket: string, tenantId: string): Promise<Set<string>> {
  const manifests: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${PENDING_PREFIX}${tenantId}/`, ContinuationToken: token }),
    );
    manifests.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  // A few at a time in parallel (an estimate waits for them; the hour after a mass rewrite leaves dozens).
  const limit = pLimit(8);
  const lists = await Promise.all(manifests.map((key) => limit(() => readManifest(s3, bucket, key))));
  return new Set(lists.flat());
}

/** The keys a removal manifest names; none when it is gone (a sweep or a purge got there first: its work is done). */
async function readManifest(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  try {
    const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (JSON.parse(await body.Body!.transformToString()) as { keys: string[] }).keys;
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return [];
    throw err;
  }
}

export class S3AthenaLakeMaintenance implements LakeMaintenance {
  /** Replaced keys of the tenants whose lease this instance holds (see exclusive()). */
  private readonly pending = new Map<string, Promise<Set<string>>>();

  constructor(private readonly opts: S3AthenaLakeMaintenanceOptions) {}

  async tenants(): Promise<string[]> {
    const out = new Set<string>();
    for (const table of TABLES) {
      for await (const page of this.list(`${table}/`, '/')) {
        for (const p of page.prefixes) {
          const m = /tenant_id=([^/]+)\/$/.exec(p);
          if (m) out.add(m[1]);
        }
      }
    }
    return [...out].sort();
  }

  async partitions(table: LakeTable, tenantId: string, days?: readonly string[]): Promise<LakePartition[]> {
    const base = `${table}/tenant_id=${tenantId}/`;
    // Objects already replaced (waiting for their deferred removal) are not the partition's any more.
    const replaced = await this.pendingKeys(tenantId);
    const prefixes = days ? days.map((d) => `${base}dt=${d}/`) : [base];
    const byDay = new Map<string, LakeFile[]>();
    for (const prefix of prefixes) {
      for await (const page of this.list(prefix)) {
        for (const o of page.objects) {
          const m = /\/dt=([^/]+)\/([^/]+)$/.exec(o.Key ?? '');
          if (!m || m[2].startsWith('_') || m[2].startsWith('.')) continue; // hidden objects are not read by Athena either
          if (replaced.has(o.Key!)) continue;
          const files = byDay.get(m[1]) ?? [];
          files.push({ key: o.Key!, bytes: o.Size ?? 0, compacted: m[2].startsWith('compact-') });
          byDay.set(m[1], files);
        }
      }
    }
    return [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([dt, files]) => ({ table, tenantId, dt, files }));
  }

  async rewrite(request: RewriteRequest): Promise<RewriteOutcome> {
    const { table, tenantId, dt } = request.partition;
    const files = request.files;
    const run = randomUUID();
    // Exactly these objects: "$path" is the S3 URI of the object a row comes from.
    const paths = files.map((f) => `s3://${this.opts.bucket}/${f.key}`);
    const src = sql`(SELECT ${raw(columnsOf(table).join(', '))} FROM ${raw(table)} WHERE tenant_id = ${tenantId} AND dt = ${dt} AND "$path" IN ${paramList(paths)})`;
    const partition = `${table}/tenant_id=${tenantId}/dt=${dt}/`;
    const written = await this.unloadInto(request.keep(src), partition, (i) => `compact-${run}-${i}.parquet`);
    const replaced = files.map((f) => f.key);
    if (request.removal === 'now') await this.deleteKeys(replaced);
    else await this.schedule(tenantId, replaced, Date.now() + REMOVAL_GRACE_MS, run);
    return { done: true, written: written.length };
  }

  /**
   * The rows `query` selects, written as Parquet objects under `prefix` named `name(i, n)` (i of n
   * objects): an Athena UNLOAD into a fresh staging prefix (UNLOAD wants an empty location), copied
   * into place. The keys written (none when the query selects no row).
   */
  async unloadInto(query: Frag, prefix: string, name: (i: number, n: number) => string): Promise<string[]> {
    const staging = `${STAGING_PREFIX}${randomUUID()}/`;
    // The location is ours (bucket from the environment, a fresh uuid): never user input.
    const unload = sql`UNLOAD (${query}) TO ${trusted(`'s3://${this.opts.bucket}/${staging}'`)} WITH (format = 'PARQUET', compression = 'SNAPPY')`;
    await this.opts.athena.execute({ sql: unload.sql, params: [...unload.params] });
    const staged: string[] = [];
    for await (const page of this.list(staging)) staged.push(...page.objects.map((o) => o.Key!).filter((k) => !k.endsWith('/')));
    const written = staged.map((_, i) => `${prefix}${name(i, staged.length)}`);
    for (const [i, key] of staged.entries()) {
      await this.opts.s3.send(
        new CopyObjectCommand({
          Bucket: this.opts.bucket,
          Key: written[i],
          CopySource: `${this.opts.bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
        }),
      );
    }
    await this.deleteKeys(staged);
    return written;
  }

  /** Write a small object (a marker) at `key`. */
  async putMarker(key: string): Promise<void> {
    await this.opts.s3.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: '' }));
  }

  /** The tenant's objects under `prefix` (every name, hidden ones too), without those already replaced and waiting for removal. */
  async objects(tenantId: string, prefix: string): Promise<string[]> {
    const replaced = await this.pendingKeys(tenantId);
    const out: string[] = [];
    for await (const page of this.list(prefix)) for (const o of page.objects) if (o.Key && !replaced.has(o.Key)) out.push(o.Key);
    return out;
  }

  /** Remove objects of a tenant: `now`, or once no query that may have listed them still runs (as replaced files). */
  async removeKeys(tenantId: string, keysToRemove: string[], removal: 'now' | 'deferred'): Promise<void> {
    if (keysToRemove.length === 0) return;
    if (removal === 'now') await this.deleteKeys(keysToRemove);
    else await this.schedule(tenantId, keysToRemove, Date.now() + REMOVAL_GRACE_MS, randomUUID());
  }

  async remove(partition: LakePartition): Promise<void> {
    await this.schedule(
      partition.tenantId,
      partition.files.map((f) => f.key),
      Date.now() + REMOVAL_GRACE_MS,
      randomUUID(),
    );
  }

  async sweep(now: Date): Promise<number> {
    let removed = 0;
    for await (const page of this.list(PENDING_PREFIX)) {
      for (const o of page.objects) {
        const m = /pending\/[^/]+\/(\d{13})-/.exec(o.Key ?? '');
        if (!m || Number(m[1]) > now.getTime()) continue;
        const replaced = await readManifest(this.opts.s3, this.opts.bucket, o.Key!);
        await this.deleteKeys(replaced);
        await this.deleteKeys([o.Key!]);
        removed += replaced.length;
      }
    }
    return removed;
  }

  async purgeReplaced(tenantId: string): Promise<number> {
    let removed = 0;
    const manifests: string[] = [];
    for await (const page of this.list(`${PENDING_PREFIX}${tenantId}/`)) manifests.push(...page.objects.map((o) => o.Key!));
    for (const key of manifests) {
      const replaced = await readManifest(this.opts.s3, this.opts.bucket, key);
      await this.deleteKeys(replaced);
      await this.deleteKeys([key]);
      removed += replaced.length;
    }
    // Nothing of the tenant waits any more (the holder's cached set too).
    const known = this.pending.get(tenantId);
    if (known) (await known).clear();
    return removed;
  }

  async exclusive<T>(tenantId: string, now: Date, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    return this.opts.lease.exclusive(keys.lakeLease(tenantId), now, async () => {
      // While the lease is held nobody else writes this tenant's manifests: read them once for the whole run.
      this.pending.set(tenantId, this.readPendingKeys(tenantId));
      try {
        return await fn();
      } finally {
        this.pending.delete(tenantId);
      }
    });
  }

  async failedDeliveries(since: Date): Promise<number> {
    let n = 0;
    let seen = 0;
    for await (const page of this.list(ERRORS_PREFIX)) {
      for (const o of page.objects) if (o.LastModified && o.LastModified.getTime() >= since.getTime()) n++;
      seen += page.objects.length;
      if (seen >= 100_000) break; // enough to raise the alarm; the error prefix expires after 30 days
    }
    return n;
  }

  /** Keys a tenant's pending manifests name (replaced, not yet removed). */
  /** The tenant's replaced keys: read once per exclusive run (kept up to date by schedule()), else read now. */
  private pendingKeys(tenantId: string): Promise<Set<string>> {
    return this.pending.get(tenantId) ?? this.readPendingKeys(tenantId);
  }

  private readPendingKeys(tenantId: string): Promise<Set<string>> {
    return readPendingKeys(this.opts.s3, this.opts.bucket, tenantId);
  }

  /** One manifest per tenant and run; its name starts with its due time (epoch ms, 13 digits), so the sweep needs no read to skip it. */
  private async schedule(tenantId: string, replaced: string[], dueAt: number, run: string): Promise<void> {
    const known = this.pending.get(tenantId);
    if (known) for (const k of replaced) (await known).add(k);
    await this.opts.s3.send(
      new PutObjectCommand({
        Bucket: this.opts.bucket,
        Key: `${PENDING_PREFIX}${tenantId}/${String(dueAt).padStart(13, '0')}-${run}.json`,
        Body: JSON.stringify({ keys: replaced }),
        ContentType: 'application/json',
      }),
    );
  }

  private async deleteKeys(keysToDelete: string[]): Promise<void> {
    for (let i = 0; i < keysToDelete.length; i += 1000) {
      const chunk = keysToDelete.slice(i, i + 1000);
      const out = await this.opts.s3.send(
        new DeleteObjectsCommand({ Bucket: this.opts.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (out.Errors && out.Errors.length > 0) {
        throw new Error(`could not delete ${out.Errors.length} lake object(s): ${out.Errors[0].Code} ${out.Errors[0].Key}`);
      }
    }
  }

  private async *list(prefix: string, delimiter?: string): AsyncGenerator<{ objects: _Object[]; prefixes: string[] }> {
    let token: string | undefined;
    do {
      const out = await this.opts.s3.send(
        new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }),
      );
      yield { objects: out.Contents ?? [], prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix!).filter(Boolean) };
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }
}
