/**
 * Per-device facts a tree needs, registered once each (one column per distinct need), then
 * emitted as one aggregation pass over `events` (device level) and one over the owners' orders
 * (customer level). Keys de-duplicate needs shared by several conditions.
 */
import type { SqlDialect } from './dialect';
import { constant, joinFrags, paramList, raw, sql, type Frag } from './sql-fragment';

const DAY_MS = 86_400_000;

interface Column {
  alias: string;
  expr: Frag;
}

/** The columns of the facts the compiled predicate reads, by scope. */
export class FactRegistry {
  private readonly device = new Map<string, Column>();
  private readonly owner = new Map<string, Column>();
  readonly eventTypes = new Set<string>();

  constructor(
    private readonly dialect: SqlDialect,
    private readonly now: Date,
  ) {}

  /** `now − days×24h` as a timestamp parameter. */
  since(days: number): Frag {
    return this.dialect.timestamp(new Date(this.now.getTime() - days * DAY_MS));
  }

  private add(map: Map<string, Column>, prefix: string, key: string, build: () => Frag): Frag {
    let col = map.get(key);
    if (!col) {
      col = { alias: `${prefix}${map.size}`, expr: build() };
      map.set(key, col);
    }
    return raw(col.alias);
  }

  private typed(type: string, extra: Frag | null, withinDays: number | undefined): Frag {
    this.eventTypes.add(type);
    let cond = sql`type = ${constant(type)}`;
    if (extra) cond = sql`${cond} AND ${extra}`;
    if (withinDays !== undefined) cond = sql`${cond} AND ts >= ${this.since(withinDays)}`;
    return cond;
  }

  /** Latest ts of the device's own events of a type. */
  latest(type: string): Frag {
    return this.add(this.device, 'e_', `max:${type}`, () => sql`max(CASE WHEN ${this.typed(type, null, undefined)} THEN ts END)`);
  }

  /** Distinct event ids of a type (optionally a custom event name) within N days. */
  count(type: string, withinDays: number | undefined, name?: string): Frag {
    const key = `count:${type}:${withinDays ?? ''}:${name ?? ''}`;
    return this.add(this.device, 'e_', key, () => {
      const cond = this.typed(type, name === undefined ? null : sql`name = ${name}`, withinDays);
      return sql`count(DISTINCT CASE WHEN ${cond} THEN event_id END)`;
    });
  }

  private productCondition(type: string, products: readonly string[], withinDays: number | undefined): Frag {
    return this.typed(type, sql`product_id IN ${paramList(products)}`, withinDays);
  }

  /** 1 when the device had an event of the type on one of the products (within N days), else 0. */
  anyProduct(type: string, products: readonly string[], withinDays: number | undefined): Frag {
    const key = `product:${type}:${withinDays ?? ''}:${JSON.stringify([...products].sort())}`;
    return this.add(this.device, 'e_', key, () => sql`max(CASE WHEN ${this.productCondition(type, products, withinDays)} THEN 1 ELSE 0 END)`);
  }

  /** JSON array of the listed products the device had such events on (explain only). */
  productsHit(type: string, products: readonly string[], withinDays: number | undefined): Frag {
    const key = `hits:${type}:${withinDays ?? ''}:${JSON.stringify([...products].sort())}`;
    return this.add(this.device, 'e_', key, () => this.dialect.jsonArrayAgg(raw('product_id'), this.productCondition(type, products, withinDays)));
  }

  /** Distinct orders of the device's owner (within N days of the order's first purchase event). */
  orders(withinDays: number | undefined): Frag {
    return this.add(this.owner, 'o_', `orders:${withinDays ?? ''}`, () =>
      withinDays === undefined ? sql`count(*)` : sql`count(CASE WHEN ots >= ${this.since(withinDays)} THEN 1 END)`,
    );
  }

  /** The owner's spend: each order's amount once, rounded to cents. */
  spend(withinDays: number | undefined): Frag {
    return this.add(this.owner, 'o_', `spend:${withinDays ?? ''}`, () =>
      withinDays === undefined
        ? sql`round(coalesce(sum(amt), 0), 2)`
        : sql`round(coalesce(sum(CASE WHEN ots >= ${this.since(withinDays)} THEN amt END), 0), 2)`,
    );
  }

  /** Latest order time of the device's owner. */
  lastOrder(): Frag {
    return this.add(this.owner, 'o_', 'last', () => sql`max(ots)`);
  }

  /** Column list of the device aggregation (`expr AS alias`), empty when none is needed. */
  deviceColumns(): Frag[] {
    return [...this.device.values()].map((c) => sql`${c.expr} AS ${raw(c.alias)}`);
  }

  /** Column list of the owner aggregation. */
  ownerColumns(): Frag[] {
    return [...this.owner.values()].map((c) => sql`${c.expr} AS ${raw(c.alias)}`);
  }

  /** Aliases of all fact columns, to carry them into the joined facts row. */
  deviceAliases(): string[] {
    return [...this.device.values()].map((c) => c.alias);
  }

  ownerAliases(): string[] {
    return [...this.owner.values()].map((c) => c.alias);
  }

  /** `type IN ('app_open', ...)` for pruning the event scan to the types the tree reads. */
  typeFilter(): Frag {
    return sql`type IN (${joinFrags([...this.eventTypes].sort().map(constant), ', ')})`;
  }
}
