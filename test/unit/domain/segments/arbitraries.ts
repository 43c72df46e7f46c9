/**
 * fast-check generators for the property test: small lake datasets full of edge cases and
 * random segment trees using every filter and operator.
 */
import fc from 'fast-check';
import type { DeviceRow, EventRow } from '../../../../lambdas/domain/lake-schema';
import { versionKey } from '../../../../lambdas/domain/version-key';

export const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;

export const PRODUCTS = ['p1', 'p2', 'p3', "p'4; DROP TABLE events; --", 'p5 ünï', 'p6'];
const CUSTOM_NAMES = ['signup', 'level_up', 'share'];
const VERSIONS = ['5.9.3', '5.10', '5.10.0', '6', '10.0.1', '5'];
const COUNTRIES_DATA = ['US', 'CA', 'DE', 'de', 'FR', 'GB'];
const ZONES = ['America/New_York', 'Europe/Paris', 'Asia/Tokyo'];
const DAY_CHOICES = [0, 1, 3, 7, 14, 30, 60, 90, 200];

const iso = (ms: number) => new Date(ms).toISOString();

/** A timestamp within 120 days before now and up to a day after, often on an exact day boundary. */
const tsArb = fc.oneof(
  fc.integer({ min: -120 * DAY, max: DAY }).map((off) => NOW.getTime() + off),
  fc.integer({ min: 0, max: 120 }).map((d) => NOW.getTime() - d * DAY),
  // Exactly on the bounds the trees use ("within N days" is inclusive).
  fc.constantFrom(0, 1, 3, 7, 14, 30, 60, 90).map((d) => NOW.getTime() - d * DAY),
  // Whole hours of the last 10 days: ties between events (cart vs purchase at the same instant).
  fc.integer({ min: -24, max: 240 }).map((h) => NOW.getTime() - h * 3_600_000),
);

export const registrationArb = fc.record({
  platform: fc.constantFrom('ios', 'android'),
  opted_in: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  country: fc.option(fc.constantFrom(...COUNTRIES_DATA), { nil: null, freq: 4 }),
  timezone: fc.option(fc.constantFrom(...ZONES), { nil: null, freq: 4 }),
  app_version: fc.option(fc.constantFrom(...VERSIONS), { nil: null, freq: 4 }),
  // 'd01' is also a device id: a customer must never be confused with a device of the same id.
  customer_id: fc.option(fc.constantFrom('c0', 'c1', 'c2', 'c3', 'd01'), { nil: null, freq: 2 }),
});

/** Devices d00..dNN, each registered once or twice (the later registration wins). */
export const devicesArb = fc.integer({ min: 8, max: 40 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, () => fc.array(registrationArb, { minLength: 1, maxLength: 2 }))).map((regs) =>
    regs.flatMap((list, i) =>
      list.map((r, j): DeviceRow => ({
        device_id: `d${String(i).padStart(2, '0')}`,
        platform: r.platform,
        opted_in: r.opted_in,
        country: r.country,
        timezone: r.timezone,
        locale: null,
        app_version: r.app_version,
        app_version_key: r.app_version === null ? null : versionKey(r.app_version),
        customer_id: r.customer_id,
        updated_at: iso(NOW.getTime() - 200 * DAY + i * 1000 + j * DAY),
      })),
    ),
  ),
);

const eventSeedArb = fc.record({
  // Mostly a few busy devices (rich histories), sometimes any id, a few beyond the registered ones (unknown devices).
  device: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 7 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 42 }) }),
  type: fc.constantFrom('app_open', 'product_view', 'product_favorite', 'add_to_cart', 'purchase', 'push_open', 'custom'),
  ts: tsArb,
  product: fc.constantFrom(...PRODUCTS),
  order: fc.integer({ min: 0, max: 6 }), // few order ids: the same order reported twice, or by two devices
  cents: fc.oneof(fc.constantFrom(0, 1000, 1999, 2550, 10000), fc.integer({ min: 0, max: 50_000 })),
  tie: fc.integer({ min: 0, max: 5 }), // 0: same device and instant as the previous event (ties)
  name: fc.constantFrom(...CUSTOM_NAMES),
  duplicate: fc.integer({ min: 0, max: 9 }),
  pick: fc.nat(),
});

/** Events of every type; ~10 % are exact re-deliveries of an earlier event (same event_id). */
export const eventsArb = fc.array(eventSeedArb, { minLength: 80, maxLength: 260 }).map((seeds) => {
  const out: EventRow[] = [];
  seeds.forEach((s, i) => {
    if (s.duplicate === 0 && out.length > 0) {
      out.push({ ...out[s.pick % out.length], received_at: iso(NOW.getTime()) });
      return;
    }
    const needsProduct = ['product_view', 'product_favorite', 'add_to_cart'].includes(s.type);
    const prev = s.tie === 0 ? out[out.length - 1] : undefined;
    out.push({
      event_id: `e${i}`,
      device_id: prev ? prev.device_id : `d${String(s.device).padStart(2, '0')}`,
      type: s.type,
      ts: prev ? prev.ts : iso(s.ts),
      product_id: needsProduct ? s.product : null,
      order_id: s.type === 'purchase' ? `o${s.order}` : null,
      amount: s.type === 'purchase' ? s.cents / 100 : null,
      currency: s.type === 'purchase' ? 'USD' : null,
      campaign_id: s.type === 'push_open' ? 'camp-1' : null,
      name: s.type === 'custom' ? s.name : null,
      properties: null,
      received_at: iso(s.ts),
    });
  });
  return out;
});

export const datasetArb = fc.record({ devices: devicesArb, events: eventsArb });

const withinDaysArb = fc.option(fc.constantFrom(1, 7, 30, 60, 90, 730), { nil: undefined });
const dateValueArb = fc.oneof(
  fc.integer({ min: 0, max: 130 }).map((d) => iso(NOW.getTime() - d * DAY).slice(0, 10)),
  tsArb.map(iso),
  tsArb.map((ms) => iso(ms).slice(0, 19)),
);
const countArb = fc.integer({ min: 0, max: 6 });
// Sums of the common amounts (10, 19.99, 25.5, 100), so eq/gte/between land on real totals.
const spendArb = fc.oneof(
  fc.constantFrom(0, 10, 19.99, 20, 25.5, 29.99, 35.5, 45.49, 100, 110, 119.99, 125.5),
  fc.integer({ min: 0, max: 100_000 }).map((c) => c / 100),
);

function numericValueArb(valueArb: fc.Arbitrary<number>) {
  return fc.oneof(
    fc.record({ operator: fc.constantFrom('gt', 'gte', 'lt', 'lte', 'eq', 'neq'), value: valueArb }),
    fc.tuple(valueArb, valueArb).map(([a, b]) => ({ operator: 'between', value: [Math.min(a, b), Math.max(a, b)] })),
  );
}

const subset = <T>(items: T[]) => fc.subarray(items, { minLength: 1 });
const opt = <T extends object>(key: string, v: unknown): T => (v === undefined ? ({} as T) : ({ [key]: v } as T));

/** Any condition of API.md's filter table, as raw JSON input. `segmentIds` feed in_segment. */
export function conditionArb(segmentIds: string[]): fc.Arbitrary<Record<string, unknown>> {
  type Raw = fc.Arbitrary<Record<string, unknown>>;
  const date = fc
    .constantFrom('last_app_open', 'last_purchase_date', 'last_push_open')
    .chain((filter) =>
      fc
        .oneof(
          fc.record({ operator: fc.constantFrom('within_last_days', 'more_than_days_ago'), value: fc.constantFrom(...DAY_CHOICES) }),
          fc.record({ operator: fc.constantFrom('before', 'after'), value: dateValueArb }),
          fc.record({ operator: fc.constantFrom('exists', 'not_exists') }),
        )
        .map((o) => ({ filter, ...o })),
    );
  const numeric = fc.oneof(
    fc
      .tuple(fc.constantFrom('app_opens', 'total_orders'), numericValueArb(countArb), withinDaysArb)
      .map(([filter, o, w]) => ({ filter, ...o, ...opt('withinDays', w) })),
    fc.tuple(numericValueArb(spendArb), withinDaysArb).map(([o, w]) => ({ filter: 'total_spend', ...o, ...opt('withinDays', w) })),
    fc
      .tuple(numericValueArb(countArb), withinDaysArb, fc.constantFrom(...CUSTOM_NAMES, 'never_sent'))
      .map(([o, w, event]) => ({ filter: 'custom_event', ...o, event, ...opt('withinDays', w) })),
  );
  const cart = fc
    .tuple(fc.boolean(), withinDaysArb)
    .map(([value, w]) => ({ filter: 'abandoned_cart', operator: 'is', value, ...opt('withinDays', w) }));
  const product = fc
    .tuple(
      fc.constantFrom('product_viewed', 'product_favorited'),
      fc.constantFrom('any_of', 'none_of'),
      subset([...PRODUCTS, 'p-none']),
      withinDaysArb,
    )
    .map(([filter, operator, value, w]) => ({ filter, operator, value, ...opt('withinDays', w) }));
  const country = fc
    .tuple(fc.constantFrom('in', 'not_in'), subset(['US', 'ca', 'DE', 'fr', 'JP']))
    .map(([operator, value]) => ({ filter: 'device_country', operator, value }));
  const platform = fc
    .tuple(fc.constantFrom('in', 'not_in'), subset(['ios', 'android']))
    .map(([operator, value]) => ({ filter: 'platform', operator, value }));
  const version = fc
    .tuple(fc.constantFrom('eq', 'neq', 'gt', 'gte', 'lt', 'lte'), fc.constantFrom(...VERSIONS, '5.10.1', '0'))
    .map(([operator, value]) => ({ filter: 'app_version', operator, value }));
  const arbs: Raw[] = [date, numeric, cart, product, country, platform, version];
  if (segmentIds.length > 0) {
    arbs.push(
      fc
        .tuple(fc.constantFrom('is_member', 'is_not_member'), fc.constantFrom(...segmentIds))
        .map(([operator, value]) => ({ filter: 'in_segment', operator, value })),
    );
  }
  return fc.oneof(...arbs);
}

/** A random definition: nested (negated) groups up to depth 4, at most ~12 conditions. */
export function definitionArb(segmentIds: string[]): fc.Arbitrary<{ match: string; criteria: unknown[] }> {
  const cond = conditionArb(segmentIds);
  const criteriaAt = (depth: number): fc.Arbitrary<unknown[]> => {
    const item: fc.Arbitrary<unknown> =
      depth >= 4
        ? cond
        : fc.oneof(
            { weight: 3, arbitrary: cond },
            {
              weight: 1,
              arbitrary: fc
                .tuple(
                  fc.constantFrom('all', 'any'),
                  fc.boolean(),
                  fc.constant(null).chain(() => criteriaAt(depth + 1).filter((c) => c.length > 0)),
                )
                .map(([match, negate, criteria]) => ({ match, criteria, ...(negate ? { negate: true } : {}) })),
            },
          );
    return fc.array(item, { minLength: depth === 1 ? 0 : 1, maxLength: depth === 1 ? 4 : 3 });
  };
  return fc.record({ match: fc.constantFrom('all', 'any'), criteria: criteriaAt(1) });
}
