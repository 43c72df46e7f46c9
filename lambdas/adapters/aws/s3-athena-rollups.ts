/**
 * Device-day rollups in AWS (domain/lake/rollup-builds.ts has the rule): each build of a day is an
 * Athena UNLOAD of compileRollupDay into its own prefix of the `event_rollups` table,
 * `event_rollups/tenant_id=<t>/build=<day>.<tag>.<run>/part-<i>-of-<n>.parquet`. The table's `build`
 * partition is injected, so an estimate reads exactly the builds its coverage named; a build being
 * written, cut short, or replaced but not yet removed is never read.
 *
 * Coverage is read from S3 on each estimate (no other state, nothing to keep in step), three
 * requests in parallel: the tenant's events keys up to today (≈ 1–3 objects per compacted day: one
 * page of 1,000 keys for a year of history), its rollup keys, and its pending removal manifests
 * (objects a compaction replaced are left out, as the builder leaves them out: they hold the same
 * rows as the objects that replaced them).
 */
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ROLLUP_TABLE } from '../../domain/lake-schema';
import {
  buildId,
  buildPartName,
  coverageOf,
  currentBuild,
  EMPTY_BUILD_MARKER,
  eventsByDay,
  eventsTag,
  parseBuilds,
} from '../../domain/lake/rollup-builds';
import { rollupDay, type RollupCoverage } from '../../domain/segments/rollups';
import type { Clock } from '../../ports/clock';
import type { RollupBuilder, RollupCatalog } from '../../ports/rollups';
import { readPendingKeys, type S3AthenaLakeMaintenance } from './s3-athena-lake-maintenance';

export interface S3AthenaRollupsOptions {
  s3: S3Client;
  bucket: string;
  clock: Clock;
  /** The lake's maintenance (UNLOAD, listings without replaced objects, deferred removal): only the builder needs it. */
  maintenance?: () => S3AthenaLakeMaintenance;
}

export class S3AthenaRollups implements RollupCatalog, RollupBuilder {
  constructor(private readonly opts: S3AthenaRollupsOptions) {}

  async coverage(tenantId: string): Promise<RollupCoverage | undefined> {
    const eventsPrefix = `events/tenant_id=${tenantId}/`;
    // Closed days only: the listing stops at today's partition (keys sort by day).
    const today = `${eventsPrefix}dt=${this.opts.clock.now().toISOString().slice(0, 10)}`;
    const [events, rollups, replaced] = await Promise.all([
      this.keys(eventsPrefix, today),
      this.keys(rollupPrefix(tenantId)),
      readPendingKeys(this.opts.s3, this.opts.bucket, tenantId),
    ]);
    // Replaced objects (a compaction's, waiting for the sweep) hold rows the new ones hold: the day is as the builder saw it.
    return coverageOf(eventsByDay(events.filter((k) => !replaced.has(k))), parseBuilds(rollups), true);
  }

  async rollUp(tenantId: string, today: string, options: { removal?: 'now' | 'deferred' } = {}): Promise<string[]> {
    const maintenance = this.opts.maintenance?.();
    if (!maintenance) throw new Error('S3AthenaRollups: building rollups needs the lake maintenance');
    const removal = options.removal ?? 'deferred';
    // As they will be once replaced objects are gone: partitions() and objects() leave those out.
    const events = eventsByDay((await maintenance.partitions('events', tenantId)).flatMap((p) => p.files.map((f) => f.key)));
    const builds = parseBuilds(await maintenance.objects(tenantId, rollupPrefix(tenantId)));
    const done: string[] = [];
    for (const day of [...new Set([...events.keys(), ...builds.map((b) => b.day)])].sort()) {
      if (day >= today) continue;
      const names = events.get(day);
      const tag = names ? eventsTag(names) : undefined;
      let keep = currentBuild(builds, day, tag)?.id;
      if (names && tag && !keep) {
        keep = buildId(day, tag, randomUUID().slice(0, 8));
        const prefix = `${rollupPrefix(tenantId)}build=${keep}/`;
        const written = await maintenance.unloadInto(rollupDay(tenantId, day, { withDay: true }), prefix, buildPartName);
        // No device row that day (UNLOAD writes no file): a marker says the build is whole.
        if (written.length === 0) await maintenance.putMarker(`${prefix}${EMPTY_BUILD_MARKER}`);
        done.push(day);
      }
      // Older builds of the day, builds cut short, builds of days whose events are gone.
      const old = builds.filter((b) => b.day === day && b.id !== keep).flatMap((b) => b.keys);
      await maintenance.removeKeys(tenantId, old, removal);
    }
    return done;
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

const rollupPrefix = (tenantId: string) => `${ROLLUP_TABLE}/tenant_id=${tenantId}/`;
