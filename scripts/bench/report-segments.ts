/** The segment estimates section of docs/benchmarks.md: the lake, each estimate against the floor and raw events, the rollups. */
import { fmtInt, fmtMs, md, relative } from './common';
import type { LakeInfo, RollupBuild, SegmentResult } from './segments';

/** Bytes as MiB with one decimal. */
export const fmtMiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function segmentsSection(segments: { lake: LakeInfo; results: SegmentResult[]; rollups?: RollupBuild }): string[] {
  const out: string[] = [];
  const { lake, results } = segments;
  out.push('## Segment estimates vs the scan floor', '');
  out.push(
    `Lake: ${fmtInt(lake.devices)} devices, ${fmtInt(lake.events)} events, ${lake.parquetFiles} Parquet files, ${(lake.bytes / 2 ** 20).toFixed(0)} MiB, made by the demo generator` +
      (lake.generatedIn ? ` in ${lake.generatedIn.toFixed(0)} s during this run.` : ' (reused from an earlier run).'),
    '',
  );
  out.push(
    '```',
    `npm run seed -- --devices ${lake.devices} --days 90 --data-dir ${relative(lake.dir)} --lake-only   # the bench runs this itself when the lake is missing`,
    '```',
    '',
  );
  out.push(
    "Each estimate is `compileEstimate` (DuckDB dialect) run through `DuckDbQueryEngine` (2 threads), after one warm-up run. The **floor** is a bare DuckDB scan of the same Parquet files reading every value of the same columns of the same rows (same tenant and event-type pruning) with trivial aggregates: no grouping, no joins. Median of the runs. The floor reads the whole 90-day history of those columns; an estimate whose device-level conditions are all time-windowed (within the last N days) reads only those days' partitions for them (owner-level spend and orders still read every purchase), which is why it can come close to the floor.",
    '',
  );
  out.push(
    md([
      [
        'segment',
        'conditions',
        'matched / universe',
        'median estimate (rollups)',
        'best',
        'raw events only',
        'floor',
        'ratio',
        'bytes: rollups / raw',
      ],
      ...results.map((s) => [
        s.name,
        String(s.conditions),
        `${fmtInt(s.matched)} / ${fmtInt(s.total)}`,
        fmtMs(s.medianMs),
        fmtMs(s.minMs),
        s.rawMedianMs === undefined ? '—' : fmtMs(s.rawMedianMs),
        fmtMs(s.floorMs),
        `${s.ratio.toFixed(2)}×`,
        s.bytesRaw === undefined || s.bytesRollup === undefined
          ? '—'
          : `${fmtMiB(s.bytesRollup)} / ${fmtMiB(s.bytesRaw)} (${((100 * s.bytesRollup) / Math.max(1, s.bytesRaw)).toFixed(1)} %; Athena ≈ $${((s.bytesRollup / 1e12) * 5).toFixed(6)} vs $${((s.bytesRaw / 1e12) * 5).toFixed(6)})`,
      ]),
    ]),
    '',
  );
  const rb = segments.rollups;
  if (rb)
    out.push(
      `Device-day rollups (domain/segments/rollups.ts): ${rb.days} closed days, ${fmtMiB(rb.bytes)} of Parquet` +
        (rb.seconds === null
          ? ' (reused: the lake did not change since they were built).'
          : `, built in ${rb.seconds.toFixed(1)} s this run (${(rb.seconds / (rb.events / 1e6)).toFixed(2)} s per million events; the maintenance run rolls a closed day once, and again only when late events, a compaction or an erasure change its files).`) +
        ' The estimate reads rolled days from the rollups and raw events for today, the boundary day of each window and any out-of-date day, and each device\'s latest registration from the latest-registrations table (made by the same run as of yesterday; later snapshots ranked at query time); "raw events only" is the same estimate without either. Bytes are the compressed column chunks of the event or rollup files each query reads (what Athena bills at $5 per TB); both paths read the device registrations besides.',
      '',
    );
  return out;
}
