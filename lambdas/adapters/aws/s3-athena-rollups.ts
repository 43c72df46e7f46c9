/**
 * Device-day rollups and latest registrations in AWS (domain/lake/rollup-builds.ts has the rule):
 * each build is an Athena UNLOAD into its own prefix of the derived table,
 * `<table>/tenant_id=<t>/build=<day>.<tag>.<run>/part-<i>-of-<n>.parquet` (a rollup: one closed day's
 * events, exactly the objects its tag names, sorted by type; the latest registrations: every devices
 * partition up to yesterday). The tables' `build` partition is injected, so an estimate reads exactly
 * the builds its coverage named; a build being written, cut short, or replaced but not yet removed is
 * never read.
 *
 * Coverage is read from S3 on each estimate (no other state, nothing to keep in step), three
 * requests in parallel per table: the source's keys up to today (≈ 1–3 objects per compacted day:
 * one page of 1,000 keys for a year of events), the builds' keys, and the pending removal manifests
 * (objects a compaction replaced are left out, as the builder leaves them out: they hold the same
 * rows as the objects that replaced them). A failed listing means raw events, never a failed estimate.
 */
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { LATEST_TABLE, ROLLUP_TABLE, type DerivedTable } from '../../domain/lake-schema';
import {
  buildId,
  buildPartName,
  coverageOf,
  EMPTY_BUILD_MARKER,
  eventsByDay,
  latestCoverageOf,
  parseBuilds,
  planLatest,
  planRollups,
} from '../../domain/lake/rollup-builds';
import { latestThrough, rollupDay, type LatestCoverage, type RollupCoverage } from '../../domain/segments/rollups';
import { sql, type Frag } from '../../domain/segments/sql-fragment';
import type { Clock } from '../../ports/clock';
import type { RollUpOptions, RollUpReport, RollupBuilder, RollupCatalog } from '../../ports/rollups';
import { logger } from '../../logging/logger';
import { readPendingKeys, type S3AthenaLakeMaintenance } from './s3-athena-lake-maintenance';

export interface S3AthenaRollupsOptions {
  s3: S3Client;
  bucket: string;
  clock: Clock;
  /** The lake's maintenance (UNLOAD, listings without replaced objects, deferred removal): only the builder needs it. */
  maintenance?: () => S3AthenaLakeMaintenance;
}

export class S3AthenaRollups implements RollupCatalog, RollupBuilder {
  /** Manifest reads in flight per tenant: an estimate asks for both coverages at once, and they share one read. */
  private readonly pendingReads = new Map<string, Promise<Set<string>>>();

  constructor(private readonly opts: S3AthenaRollupsOptions) {}

  private pendingKeys(tenantId: string): Promise<Set<string>> {
    let read = this.pendingReads.get(tenantId);
    if (!read) {
      read = readPendingKeys(this.opts.s3, this.opts.bucket, tenantId).finally(() => this.pendingReads.delete(tenantId));
      this.pendingReads.set(tenantId, read);
    }
    return read;
  }

  async coverage(tenantId: string): Promise<RollupCoverage | undefined> {
    const listed = await this.listed('events', ROLLUP_TABLE, tenantId);
    return listed && coverageOf(listed.byDay, listed.builds, true);
  }

  async latest(tenantId: string): Promise<LatestCoverage | undefined> {
    const listed = await this.listed('devices', LATEST_TABLE, tenantId);
    return listed && latestCoverageOf(listed.byDay, listed.builds, true);
  }

  /**
   * A source table's object names by closed day and the builds of the table derived from it, as
   * listed now: three requests in parallel. Replaced objects (a compaction's, waiting for the sweep)
   * hold rows the new ones hold: left out, as the builder leaves them out.
   */
  private async listed(source: 'events' | 'devices', derived: DerivedTable, tenantId: string) {
    const prefix = `${source}/tenant_id=${tenantId}/`;
    // Closed days only: the listing stops at today's partition (keys sort by day).
    const today = `${prefix}dt=${this.opts.clock.now().toISOString().slice(0, 10)}`;
    try {
      const [keys, built, replaced] = await Promise.all([
        this.keys(prefix, today),
        this.keys(derivedPrefix(derived, tenantId)),
        this.pendingKeys(tenantId),
      ]);
      // A build waiting for its removal is never named (the sweep may delete it before the query lists it).
      const current = (k: string) => !replaced.has(k);
      return { byDay: eventsByDay(keys.filter(current)), builds: parseBuilds(built.filter(current)) };
    } catch (err) {
      // Rollups only make an estimate cheaper: without the listing it reads raw events, as exact.
      logger.warn('rollup coverage unavailable; the estimate reads raw events', { tenantId, source, error: (err as Error).message });
      return undefined;
    }
  }

  async rollUp(tenantId: string, today: string, options: RollUpOptions = {}): Promise<RollUpReport> {
    const maintenance = this.opts.maintenance?.();
    if (!maintenance) throw new Error('S3AthenaRollups: building rollups needs the lake maintenance');
    // As they will be once replaced objects are gone: partitions() and objects() leave those out.
    const partitions = new Map((await maintenance.partitions('events', tenantId)).map((p) => [p.dt, p.files.map((f) => f.key)]));
    const devices = eventsByDay((await maintenance.partitions('devices', tenantId)).flatMap((p) => p.files.map((f) => f.key)));
    const plan = planRollups(
      eventsByDay([...partitions.values()].flat()),
      await this.built(maintenance, ROLLUP_TABLE, tenantId),
      today,
      options,
    );
    const latest = planLatest(devices, await this.built(maintenance, LATEST_TABLE, tenantId), today);
    // What no query may read any more goes first (one manifest; an erasure's at once), whatever the builds below do.
    await maintenance.removeKeys(tenantId, [...latest.obsolete, ...plan.obsolete], options.removal ?? 'deferred');
    if (latest.build) {
      const { day, tag } = latest.build;
      await this.build(
        maintenance,
        derivedPrefix(LATEST_TABLE, tenantId),
        day,
        tag,
        sql`${latestThrough(tenantId, day)} ORDER BY device_id`,
      );
    }
    for (const { day, tag } of plan.build) {
      // Exactly the objects the tag names (not one a compaction replaced and left for the sweep), sorted by type.
      const paths = (partitions.get(day) ?? []).map((k) => `s3://${this.opts.bucket}/${k}`);
      const query = sql`${rollupDay(tenantId, day, { withDay: true, paths })} ORDER BY type, device_id`;
      await this.build(maintenance, derivedPrefix(ROLLUP_TABLE, tenantId), day, tag, query);
    }
    return { rolled: plan.build.map((b) => b.day), remaining: plan.remaining };
  }

  /** The builds of a derived table of the tenant, without those waiting for their removal. */
  private async built(maintenance: S3AthenaLakeMaintenance, table: DerivedTable, tenantId: string) {
    return parseBuilds(await maintenance.objects(tenantId, derivedPrefix(table, tenantId)));
  }

  /** One build: the rows of `query` under `<prefix>build=<day>.<tag>.<run>/`, whole once every part is there. */
  private async build(maintenance: S3AthenaLakeMaintenance, prefix: string, day: string, tag: string, query: Frag): Promise<string> {
    const id = buildId(day, tag, randomUUID().slice(0, 8));
    const at = `${prefix}build=${id}/`;
    const written = await maintenance.unloadInto(query, at, buildPartName);
    // No row (UNLOAD writes no file): a marker says the build is whole.
    if (written.length === 0) await maintenance.putMarker(`${at}${EMPTY_BUILD_MARKER}`);
    return id;
  }

  /** Every key under `prefix` (before `stop`, when given). */
  private async keys(prefix: string, stop?: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.opts.s3.send(
        new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (stop !== undefined && o.Key! >= stop) return out;
        out.push(o.Key!);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }
}

const derivedPrefix = (table: DerivedTable, tenantId: string) => `${table}/tenant_id=${tenantId}/`;
