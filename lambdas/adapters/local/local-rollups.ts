/**
 * Device-day rollups on the local lake. A day's rollup file is named after the events files it was
 * made from (`rollup-<tag>.parquet`, the tag a hash of their names): a late event (a new NDJSON file),
 * a compaction or an erasure (files rewritten under new names) change the day's files, so its rollup
 * no longer matches and the day is read raw until the next maintenance run rolls it again. No state
 * outside the lake's own file names, so a crash anywhere leaves at worst a day read raw.
 */
import { createHash } from 'node:crypto';
import { ROLLUP_TABLE } from '../../domain/lake-schema';
import type { RollupCoverage } from '../../domain/segments/rollups';
import type { RollupBuilder, RollupCatalog } from '../../ports/rollups';
import type { DuckDbQueryEngine } from './duckdb-query-engine';
import type { LocalLake } from './local-lake';

/** `.../<table>/tenant_id=<t>/dt=<day>/<file>` → tenant, day, file name. */
function partOf(file: string): { tenantId: string; day: string; name: string } | undefined {
  const m = /[\\/]tenant_id=([^\\/]+)[\\/]dt=(\d{4}-\d{2}-\d{2})[\\/]([^\\/]+)$/.exec(file);
  return m ? { tenantId: m[1], day: m[2], name: m[3] } : undefined;
}

/** The tag of a day's events files: a short hash of their names, in order. */
function tagOf(names: readonly string[]): string {
  return createHash('sha256')
    .update([...names].sort().join('\n'))
    .digest('base64url')
    .slice(0, 16)
    .replace(/[^A-Za-z0-9]/g, 'x');
}

export class LocalRollups implements RollupCatalog, RollupBuilder {
  constructor(
    private readonly lake: LocalLake,
    private readonly engine: DuckDbQueryEngine,
  ) {}

  /** Per day of the tenant: the tag of its events files now, and the tag its rollup was made from (if any). */
  private async days(tenantId: string): Promise<Map<string, { events: string; rolled?: string }>> {
    const names = new Map<string, string[]>();
    const events = await this.lake.files('events');
    for (const f of [...events.parquet, ...events.ndjson]) {
      const p = partOf(f);
      if (p?.tenantId === tenantId) names.set(p.day, [...(names.get(p.day) ?? []), p.name]);
    }
    const out = new Map([...names].map(([day, list]) => [day, { events: tagOf(list) } as { events: string; rolled?: string }]));
    for (const f of (await this.lake.files(ROLLUP_TABLE)).parquet) {
      const p = partOf(f);
      const m = p && p.tenantId === tenantId ? /^rollup-([A-Za-z0-9]+)\.parquet$/.exec(p.name) : null;
      if (!p || !m) continue;
      const day = out.get(p.day);
      // A rollup of a day whose events are all gone (erased) still counts as rolled: its rows must not be read.
      if (day) day.rolled = m[1];
      else out.set(p.day, { events: '', rolled: m[1] });
    }
    return out;
  }

  async coverage(tenantId: string): Promise<RollupCoverage | undefined> {
    const days = await this.days(tenantId);
    const rolled = [...days].filter(([, d]) => d.rolled !== undefined && d.rolled === d.events).map(([day]) => day);
    if (rolled.length === 0) return undefined;
    rolled.sort();
    const from = rolled[0];
    const through = rolled[rolled.length - 1];
    const stale = [...days]
      .filter(([day, d]) => day >= from && day <= through && d.rolled !== d.events)
      .map(([day]) => day)
      .sort();
    return { from, through, stale };
  }

  async rollUp(tenantId: string, today: string): Promise<string[]> {
    const done: string[] = [];
    for (const [day, d] of [...(await this.days(tenantId))].sort(([a], [b]) => a.localeCompare(b))) {
      if (day >= today || d.rolled === d.events) continue;
      if (d.events === '') {
        // Every event of the day is gone (erasure): its rollup goes too.
        await this.engine.removeFiles(
          (await this.lake.files(ROLLUP_TABLE)).parquet.filter((f) => partOf(f)?.tenantId === tenantId && partOf(f)?.day === day),
        );
        continue;
      }
      await this.engine.writeRollup(tenantId, day, d.events);
      done.push(day);
    }
    return done;
  }
}
