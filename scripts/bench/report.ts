/**
 * The benchmark table on the console and docs/benchmarks.md: figures, targets, verdicts, where the
 * time goes. The file is merged, not overwritten: a run replaces the sections it measured (and their
 * summary rows and notes) and keeps every other section as it was, hand-written ones included.
 */
import type { ApiResult } from './api';
import type { AutomationsResult } from './automations';
import type { BundleResult } from './bundles';
import { fmtInt, fmtMs, md, relative, type Machine } from './common';
import type { DeliveryResult, DeliveryRun } from './delivery';
import type { LakeInfo, RollupBuild, SegmentResult } from './segments';
import { fmtMiB, segmentsSection } from './report-segments';

export { md, relative } from './common';

export type Area = 'segments' | 'delivery' | 'api' | 'automations' | 'bundles';

/** The measured areas: their `--only` key, their label in the summary, their `## ` and notes' `### ` headings. */
export const AREAS: readonly { key: Area; label: string; heading: string }[] = [
  { key: 'segments', label: 'Segments', heading: 'Segment estimates vs the scan floor' },
  { key: 'delivery', label: 'Delivery', heading: 'Delivery' },
  { key: 'api', label: 'API', heading: 'Ingestion and API latency' },
  { key: 'automations', label: 'Automations', heading: 'Automated campaigns' },
  { key: 'bundles', label: 'Bundles', heading: 'Lambda bundle sizes' },
];

export interface BenchResults {
  machine: Machine;
  loadBefore: number;
  quick: boolean;
  command: string;
  segments?: { lake: LakeInfo; results: SegmentResult[]; rollups?: RollupBuild };
  delivery?: DeliveryResult;
  api?: ApiResult;
  automations?: AutomationsResult;
  bundles?: BundleResult;
  totalS: number;
  /** Seconds each measured area took (an area is measured in this run iff it is here). */
  tookS: Partial<Record<Area, number>>;
}

export type Row = [string, string, string, string];

/** Issue 13's targets for a delivery run: launch → sent (≤ 60 s, ≤ 90 s with a cap, per 100,000 devices, pro rata for other sizes; 1 M devices ≤ 12 min without a cap) and item writes per delivered device. */
export function deliveryTargets(run: Pick<DeliveryRun, 'devices' | 'cap'>): {
  seconds: number | undefined;
  secondsLabel: string;
  writes: number;
} {
  const writes = run.cap ? 1.2 : 0.2;
  const per100k = run.cap ? 90 : 60;
  if (run.devices === 1_000_000)
    return run.cap
      ? { seconds: undefined, secondsLabel: '— (none set for 1 M with a cap)', writes }
      : { seconds: 720, secondsLabel: '≤ 12 min', writes };
  const seconds = (per100k * run.devices) / 100_000;
  return {
    seconds,
    secondsLabel: run.devices === 100_000 ? `≤ ${per100k} s` : `≤ ${seconds.toFixed(1)} s (pro rata of ${per100k} s per 100,000)`,
    writes,
  };
}

const secondsVerdict = (run: DeliveryRun) => {
  const t = deliveryTargets(run).seconds;
  return t === undefined ? '' : verdict(run.toSentS <= t);
};

/** The summary rows of each measured area. */
export function areaRows(r: BenchResults): { area: Area; row: Row }[] {
  const rows: { area: Area; row: Row }[] = [];
  const push = (area: Area, row: Row) => rows.push({ area, row });
  for (const s of r.segments?.results ?? []) {
    push('segments', [`estimate ${s.name}`, `${fmtMs(s.medianMs)} median of ${s.runs}`, '≤ 1 s', verdict(s.medianMs <= 1000)]);
    push('segments', [
      `  floor (bare scan) / ratio`,
      `${fmtMs(s.floorMs)} / ${s.ratio.toFixed(2)}×`,
      '≤ 0.6× floor',
      verdict(s.ratio <= 0.6),
    ]);
    if (s.bytesRaw !== undefined && s.bytesRollup !== undefined)
      push('segments', [
        `  bytes read: rollups / raw`,
        `${fmtMiB(s.bytesRollup)} / ${fmtMiB(s.bytesRaw)} (${((100 * s.bytesRollup) / Math.max(1, s.bytesRaw)).toFixed(1)} %)`,
        '≤ 20 %',
        verdict(s.bytesRollup <= 0.2 * s.bytesRaw),
      ]);
  }
  const d = r.delivery;
  if (d) {
    for (const run of d.runs) {
      const t = deliveryTargets(run);
      push('delivery', [
        `delivery ${run.label}, ${fmtInt(run.devices)} devices`,
        `${run.toSentS.toFixed(1)} s launch → sent, ${fmtInt(run.devicesPerS)} devices/s`,
        t.secondsLabel,
        secondsVerdict(run),
      ]);
      push('delivery', [
        `  item writes per delivered device`,
        run.writesPerDevice.toFixed(3),
        `≤ ${t.writes}`,
        verdict(run.writesPerDevice <= t.writes),
      ]);
      push('delivery', [`  audience queries per wave`, `${run.audienceQueriesPerWave}`, '1', verdict(run.audienceQueriesPerWave <= 1)]);
    }
    push('delivery', [`sender path alone (in-memory, no-op gateway)`, `${fmtInt(d.senderAlone.devicesPerS)} devices/s`, '—', '']);
  }
  const a = r.api;
  if (a) {
    push('api', [
      `ingestion POST /v1/events (500/batch, ${a.ingest.concurrency} clients)`,
      `${fmtInt(a.ingest.eventsPerS)} events/s`,
      '—',
      a.ingest.visibleInLake === a.ingest.events ? 'all in lake' : `lake ${a.ingest.visibleInLake}/${a.ingest.events}`,
    ]);
    for (const l of a.latency)
      push('api', [
        l.route,
        `p50 ${fmtMs(l.p50Ms)}, p99 ${fmtMs(l.p99Ms)}`,
        l.route.startsWith('GET') ? 'p99 < 50 ms' : '—',
        l.route.startsWith('GET') ? verdict(l.p99Ms < 50) : '',
      ]);
  }
  const au = r.automations;
  if (au) {
    const overhead = 1 - au.with.eventsPerS / au.without.eventsPerS;
    push('automations', [
      `events through an active cart automation (500/batch, ${au.concurrency} clients)`,
      `${fmtInt(au.with.eventsPerS)} events/s (${fmtInt(au.without.eventsPerS)} with none: ${(overhead * 100).toFixed(0)} % less)`,
      '—',
      '',
    ]);
    const d = au.due;
    push('automations', [
      `due → push, ${fmtInt(d.devices)} devices due at once`,
      `p50 ${d.p50S.toFixed(1)} s, p95 ${d.p95S.toFixed(1)} s, max ${d.maxS.toFixed(1)} s`,
      '≤ 10 s (issue 17, local)',
      verdict(d.maxS <= 10),
    ]);
  }
  const b = r.bundles;
  if (b && b.rows.length > 0) {
    const max = b.rows.reduce((m, x) => (x.bytes > m.bytes ? x : m));
    push('bundles', [
      `Lambda bundles (${b.rows.length})`,
      `largest ${(max.bytes / 1024).toFixed(1)} KB (${max.fn})`,
      `≤ ${b.budgetKb} KB`,
      verdict(b.rows.every((x) => x.bytes <= b.budgetKb * 1024)),
    ]);
  }
  return rows;
}

export function tableRows(r: BenchResults): Row[] {
  return areaRows(r).map((x) => x.row);
}

export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function consoleTable(r: BenchResults): string {
  const rows: Row[] = [['benchmark', 'figure', 'target', 'verdict'], ...tableRows(r)];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((x) => x[i].length)));
  const line = (x: Row) => x.map((c, i) => c.padEnd(w[i])).join('  ');
  return [line(rows[0]), w.map((n) => '-'.repeat(n)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The sections this run measured, as markdown (`## ` headings, summary rows of this run only); mergeReport makes the file. */
export function markdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push('## Machine', '');
  out.push(
    `The machine of the latest run (${m.date.slice(0, 10)}, \`${r.command}\`); the table at the top says which run each section comes from.`,
    '',
  );
  out.push(
    md([
      ['', ''],
      ['CPUs (`nproc`)', String(m.cpus)],
      ['CPU', m.cpuModel],
      ['memory', `${m.memoryGiB} GiB`],
      ['Node', m.node],
      ['OS', m.os],
      ['commit', m.commit],
      ['load average before the run', String(r.loadBefore)],
    ]),
    '',
  );
  out.push(
    'Other work may share the machine (test suites, browsers); estimates and their floors are interleaved run by run so a burst of load hits both alike.',
    '',
  );
  out.push('## Summary', '');
  out.push(summaryTable(areaRows(r)), '');

  if (r.segments) out.push(...segmentsSection(r.segments));
  if (r.delivery) {
    const d = r.delivery;
    const [a, b] = d.runs;
    out.push('## Delivery', '');
    out.push(
      `One fleet of ${fmtInt(d.devices)} opted-in devices (the demo generator's mix) on the local world with its default settings (queue concurrency ${d.queueConcurrency}, ${d.senderConcurrency} devices in parallel per batch, ${100} devices per batch), written to dynalite and the lake in ${d.loadS.toFixed(1)} s (not counted). ` +
        `Two campaigns to it (schedule \`now\`, no segment), one after the other: **${a.label}**, then **${b.label}** after \`PUT /v1/settings\` set \`frequencyCap: ${JSON.stringify(b.cap)}\` (every device has run A's push in its window, so all are allowed, and each is reserved). Every device was sent in both runs.`,
      '',
    );
    out.push(
      md([
        [
          'run',
          'launch → `sent`',
          'target',
          'verdict',
          'devices/s',
          'first push',
          'audience queries per wave',
          'item writes per delivered device',
          'target',
          'verdict',
        ],
        ...d.runs.map((x) => {
          const t = deliveryTargets(x);
          return [
            x.label,
            `**${x.toSentS.toFixed(1)} s**`,
            t.secondsLabel,
            secondsVerdict(x),
            fmtInt(x.devicesPerS),
            `${x.firstPushS.toFixed(1)} s`,
            `${x.audienceQueriesPerWave} (${x.waves} wave${x.waves === 1 ? '' : 's'})`,
            `**${x.writesPerDevice.toFixed(3)}** (${fmtInt(x.itemWrites)})`,
            `≤ ${t.writes}`,
            verdict(x.writesPerDevice <= t.writes),
          ];
        }),
      ]),
      '',
    );
    out.push(
      "Item writes are counted on the product's DynamoDB client (every table goes through it): PutItem, UpdateItem and DeleteItem 1 each, BatchWriteItem and TransactWriteItems the number of items they carry, conditional writes whether or not their condition held. " +
        `The items of the local queue and scheduler (SQS and EventBridge Scheduler in AWS) are left out: ${d.runs.map((x) => `${x.label.split(' ')[0]} ${fmtInt(x.standInWrites)} (${(x.standInWrites / x.sent).toFixed(3)} per device)`).join(', ')}.`,
      '',
    );
    out.push(
      `The sender use case alone (\`sendBatch\` over in-memory ports and a no-op gateway, ${d.senderAlone.batchConcurrency} batches in parallel): **${fmtInt(d.senderAlone.devicesPerS)} devices/s** over ${fmtInt(d.senderAlone.devices)} devices.`,
      '',
    );
    out.push('### Where the delivery time goes', '');
    out.push(
      'Per run, every port call the trigger and the senders made, timed (summed over concurrent calls, so the total exceeds wall time), then the DynamoDB (dynalite) commands behind them with the items they wrote (local queue and scheduler included).',
      '',
    );
    for (const x of d.runs) {
      out.push(`#### ${x.label}`, '');
      out.push(
        md([
          ['port call', 'calls', 'per device', 'mean', 'total'],
          ...x.ports
            .filter((p) => p.calls > 0)
            .slice(0, 12)
            .map((p) => [p.name, fmtInt(p.calls), p.perDevice.toFixed(3), fmtMs(p.meanMs), `${p.totalS.toFixed(1)} s`]),
        ]),
        '',
      );
      out.push(
        md([
          ['command', 'calls', 'per device', 'mean', 'items written'],
          ...x.dynamo.map((c) => [
            c.command,
            fmtInt(c.calls),
            c.perDevice.toFixed(3),
            fmtMs(c.meanMs),
            c.itemWrites > 0 ? fmtInt(c.itemWrites) : '',
          ]),
        ]),
        '',
      );
    }
  }
  if (r.api) {
    const a = r.api;
    out.push('## Ingestion and API latency', '');
    out.push(`A fresh local world with the demo-size tenant (20,000 devices, 90 days; seeded in ${a.seedS.toFixed(0)} s).`, '');
    out.push(
      `Ingestion: ${fmtInt(a.ingest.events)} events as ${a.ingest.batchSize}-event \`POST /v1/events\` batches from ${a.ingest.concurrency} concurrent clients (recent events, as an SDK flushes them): **${fmtInt(a.ingest.eventsPerS)} events/s**, request p50 ${fmtMs(a.ingest.requestP50Ms)}, p99 ${fmtMs(a.ingest.requestP99Ms)}; ${fmtInt(a.ingest.visibleInLake)} of them read back from the lake afterwards. Each request is answered only after its NDJSON file is fsynced and renamed into place.`,
      '',
    );
    out.push('Latency, one client, sequential requests after a warm-up:', '');
    out.push(
      md([
        ['route', 'requests', 'p50', 'p99', 'max'],
        ...a.latency.map((l) => [l.route, String(l.requests), fmtMs(l.p50Ms), fmtMs(l.p99Ms), fmtMs(l.maxMs)]),
      ]),
      '',
    );
  }
  if (r.automations) out.push(...automationsSection(r.automations));
  if (r.bundles) {
    const b = r.bundles;
    out.push('## Lambda bundle sizes', '');
    out.push('```', `npx cdk synth --quiet -o ${relative(b.outDir)} && npx tsx scripts/bundle-sizes.ts ${relative(b.outDir)}`, '```', '');
    out.push(
      b.rows.length > 0
        ? md([
            ['stack', 'function', 'KB (minified, no source maps)', `≤ ${b.budgetKb} KB`],
            ...b.rows.map((x) => [x.stack, x.fn, (x.bytes / 1024).toFixed(1), x.status]),
          ])
        : '```\n' + b.output.trim() + '\n```',
      '',
    );
  }
  return out.join('\n');
}

function automationsSection(au: AutomationsResult): string[] {
  const d = au.due;
  const out: string[] = ['## Automated campaigns', ''];
  out.push(
    `Each part on a fresh local world (its defaults, compaction off) with ${fmtInt(au.devices)} opted-in devices (the demo generator's mix) in dynalite and the lake. ` +
      'The automation is a cart reminder: `{type: "event", event: "add_to_cart", delayMinutes, exitOn: ["purchase"]}`, launched (`active`).',
    '',
  );
  out.push(
    `**Events through the automation path.** ${au.batches} \`POST /v1/events\` batches of ${au.batchSize} add_to_cart events (device after device over the fleet, timestamped now) from ${au.concurrency} concurrent clients, after ${au.warmupBatches} warm-up batches; ` +
      `first with no automation active, then the same shape (fresh event ids) with the cart reminder active (due an hour later, so nothing is swept meanwhile; every event enters a due item: ${fmtInt(au.entered)} were found waiting afterwards).`,
    '',
  );
  out.push(
    md([
      ['run', 'events', 'events/s', 'request p50', 'request p99'],
      ...[au.without, au.with].map((x) => [
        x.label,
        fmtInt(x.events),
        `**${fmtInt(x.eventsPerS)}**`,
        fmtMs(x.requestP50Ms),
        fmtMs(x.requestP99Ms),
      ]),
    ]),
    '',
  );
  out.push(
    `**Due time → push.** One add_to_cart per device, timestamped so that all ${fmtInt(d.devices)} fall due at one instant (\`delayMinutes: ${d.delayMinutes}\`); entering them took ${d.entryS.toFixed(1)} s and the last was in ${d.marginS.toFixed(1)} s before the due time. ` +
      `The world's own sweep loop (every ${d.sweepMs / 1000} s, the default \`automationSweepMs\`) hands due devices to the send queue and its senders push them into the recording gateway's outbox; each device's delay is its outbox time minus the due time.`,
    '',
  );
  out.push(
    md([
      ['devices', 'hand-overs to the queue (after due)', 'first push', 'p50', 'p95', 'max = last push', 'pushed (duplicates)'],
      [
        fmtInt(d.devices),
        `${d.handoverBatches} batches, ${d.firstHandoverS.toFixed(1)}–${d.lastHandoverS.toFixed(1)} s`,
        `${d.firstPushS.toFixed(1)} s`,
        `**${d.p50S.toFixed(1)} s**`,
        `**${d.p95S.toFixed(1)} s**`,
        `**${d.maxS.toFixed(1)} s**`,
        `${fmtInt(d.pushed)} (${d.duplicates})`,
      ],
    ]),
    '',
  );
  return out;
}

const labelOf = (area: Area) => AREAS.find((a) => a.key === area)!.label;

export function summaryTable(rows: { area: Area | undefined; label?: string; row: Row | string[] }[]): string {
  return md([
    ['area', 'benchmark', 'figure', 'target', 'verdict'],
    ...rows.map((x) => [x.area ? labelOf(x.area) : (x.label ?? ''), ...x.row]),
  ]);
}
