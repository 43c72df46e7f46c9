/**
 * Reference semantics of segment definitions in plain TypeScript over in-memory rows, written
 * from API.md without looking at the SQL. The property test holds the compiled SQL to it.
 */
import type { DeviceRow, EventRow } from '../../../../lambdas/domain/lake-schema';
import type { Condition, Criterion, SegmentDefinition } from '../../../../lambdas/domain/segments/criteria';
import { compareVersions } from '../../../../lambdas/domain/version-key';

const DAY = 86_400_000;

interface Order {
  ts: number;
  amount: number | null;
}

/** Everything precomputed for one tenant's data at one "now". */
export class ReferenceWorld {
  readonly latest = new Map<string, DeviceRow>();
  private readonly eventsByDevice = new Map<string, EventRow[]>();
  private readonly ordersByOwner = new Map<string, Map<string, Order>>();

  constructor(
    devices: readonly DeviceRow[],
    events: readonly EventRow[],
    readonly now: Date,
    readonly segments: ReadonlyMap<string, SegmentDefinition> = new Map(),
  ) {
    for (const d of devices) {
      const cur = this.latest.get(d.device_id);
      if (!cur || Date.parse(d.updated_at) > Date.parse(cur.updated_at)) this.latest.set(d.device_id, d);
    }
    const seen = new Set<string>();
    for (const e of events) {
      if (seen.has(e.event_id) || !this.latest.has(e.device_id)) continue;
      seen.add(e.event_id);
      const list = this.eventsByDevice.get(e.device_id) ?? [];
      list.push(e);
      this.eventsByDevice.set(e.device_id, list);
      if (e.type === 'purchase' && e.order_id !== null) {
        const owner = this.ownerOf(e.device_id);
        const orders = this.ordersByOwner.get(owner) ?? new Map<string, Order>();
        const ts = Date.parse(e.ts);
        const prev = orders.get(e.order_id);
        if (!prev) orders.set(e.order_id, { ts, amount: e.amount });
        else orders.set(e.order_id, { ts: Math.min(prev.ts, ts), amount: maxNullable(prev.amount, e.amount) });
        this.ordersByOwner.set(owner, orders);
      }
    }
  }

  private ownerOf(deviceId: string): string {
    const c = this.latest.get(deviceId)?.customer_id;
    return c ? `customer:${c}` : `device:${deviceId}`;
  }

  private bound(days: number): number {
    return this.now.getTime() - days * DAY;
  }

  private events(deviceId: string, type: string): EventRow[] {
    return (this.eventsByDevice.get(deviceId) ?? []).filter((e) => e.type === type);
  }

  private orders(deviceId: string): Order[] {
    return [...(this.ordersByOwner.get(this.ownerOf(deviceId))?.values() ?? [])];
  }

  /** Latest ts (ms) behind a date filter, or null. */
  latestTs(deviceId: string, filter: string): number | null {
    const times =
      filter === 'last_purchase_date'
        ? this.orders(deviceId).map((o) => o.ts)
        : this.events(deviceId, filter === 'last_app_open' ? 'app_open' : 'push_open').map((e) => Date.parse(e.ts));
    return times.length === 0 ? null : Math.max(...times);
  }

  /** Count or spend behind a numeric filter. */
  numeric(deviceId: string, c: Condition): number {
    const since = c.withinDays === undefined ? -Infinity : this.bound(c.withinDays);
    switch (c.filter) {
      case 'app_opens':
        return this.events(deviceId, 'app_open').filter((e) => Date.parse(e.ts) >= since).length;
      case 'custom_event':
        return this.events(deviceId, 'custom').filter((e) => e.name === c.event && Date.parse(e.ts) >= since).length;
      case 'total_orders':
        return this.orders(deviceId).filter((o) => o.ts >= since).length;
      case 'total_spend': {
        const sum = this.orders(deviceId)
          .filter((o) => o.ts >= since)
          .reduce((s, o) => s + (o.amount ?? 0), 0);
        return Math.round(sum * 100) / 100;
      }
      default:
        throw new Error(c.filter);
    }
  }

  abandoned(deviceId: string, withinDays = 7): boolean {
    const carts = this.events(deviceId, 'add_to_cart').map((e) => Date.parse(e.ts));
    if (carts.length === 0) return false;
    const lastCart = Math.max(...carts);
    if (lastCart < this.bound(withinDays)) return false;
    return !this.events(deviceId, 'purchase').some((e) => Date.parse(e.ts) >= lastCart);
  }

  productsHit(deviceId: string, c: Condition): string[] {
    const type = c.filter === 'product_viewed' ? 'product_view' : 'product_favorite';
    const since = c.withinDays === undefined ? -Infinity : this.bound(c.withinDays);
    const wanted = new Set(c.value as string[]);
    const hits = this.events(deviceId, type).filter((e) => e.product_id !== null && wanted.has(e.product_id) && Date.parse(e.ts) >= since);
    return [...new Set(hits.map((e) => e.product_id as string))].sort();
  }

  /** Whether one condition holds for a registered device. */
  holds(deviceId: string, c: Condition, trail: string[] = []): boolean {
    const dev = this.latest.get(deviceId)!;
    switch (c.filter) {
      case 'last_app_open':
      case 'last_push_open':
      case 'last_purchase_date': {
        const t = this.latestTs(deviceId, c.filter);
        if (c.operator === 'exists') return t !== null;
        if (c.operator === 'not_exists') return t === null;
        if (t === null) return false;
        if (c.operator === 'within_last_days') return t >= this.bound(c.value as number);
        if (c.operator === 'more_than_days_ago') return t < this.bound(c.value as number);
        const v = String(c.value);
        const d = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : /Z|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
        return c.operator === 'before' ? t < d : t >= d;
      }
      case 'app_opens':
      case 'custom_event':
      case 'total_orders':
      case 'total_spend': {
        const n = this.numeric(deviceId, c);
        const v = c.value as number;
        switch (c.operator) {
          case 'gt':
            return n > v;
          case 'gte':
            return n >= v;
          case 'lt':
            return n < v;
          case 'lte':
            return n <= v;
          case 'eq':
            return n === v;
          case 'neq':
            return n !== v;
          case 'between':
            return n >= (c.value as number[])[0] && n <= (c.value as number[])[1];
        }
        throw new Error(c.operator);
      }
      case 'abandoned_cart':
        return this.abandoned(deviceId, c.withinDays) === c.value;
      case 'product_viewed':
      case 'product_favorited': {
        const any = this.productsHit(deviceId, c).length > 0;
        return c.operator === 'any_of' ? any : !any;
      }
      case 'device_country': {
        const codes = (c.value as string[]).map((x) => x.toUpperCase());
        const inList = dev.country !== null && codes.includes(dev.country.toUpperCase());
        return c.operator === 'in' ? inList : !inList;
      }
      case 'platform': {
        const inList = (c.value as string[]).includes(dev.platform);
        return c.operator === 'in' ? inList : !inList;
      }
      case 'app_version': {
        if (dev.app_version === null) return false;
        const cmp = compareVersions(dev.app_version, String(c.value));
        const ops: Record<string, boolean> = { eq: cmp === 0, neq: cmp !== 0, gt: cmp > 0, gte: cmp >= 0, lt: cmp < 0, lte: cmp <= 0 };
        return ops[c.operator];
      }
      case 'in_segment': {
        const id = String(c.value);
        if (trail.includes(id)) throw new Error('cycle');
        const def = this.segments.get(id);
        const member = def ? this.matches(deviceId, def.match, def.criteria, [...trail, id]) : false;
        return c.operator === 'is_member' ? member : !member;
      }
    }
  }

  /** Whether a list of criteria holds (empty = true). */
  matches(deviceId: string, match: 'all' | 'any', criteria: readonly Criterion[], trail: string[] = []): boolean {
    if (criteria.length === 0) return true;
    const one = (c: Criterion): boolean => {
      if ('criteria' in c) {
        const inner = this.matches(deviceId, c.match, c.criteria, trail);
        return c.negate ? !inner : inner;
      }
      return this.holds(deviceId, c, trail);
    };
    return match === 'all' ? criteria.every(one) : criteria.some(one);
  }

  /** Opted-in universe and the sorted matching device ids. */
  evaluate(def: SegmentDefinition): { total: number; matched: string[] } {
    const universe = [...this.latest.values()].filter((d) => d.opted_in === true).map((d) => d.device_id);
    const matched = universe.filter((id) => this.matches(id, def.match, def.criteria)).sort();
    return { total: universe.length, matched };
  }
}

function maxNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
