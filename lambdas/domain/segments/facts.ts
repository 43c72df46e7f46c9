/**
 * Per-device facts a tree needs, registered once each (one column per distinct need), then
 * emitted as one aggregation pass over `events` (device level) and one over the owners' orders
 * (customer level). Keys de-duplicate needs shared by several conditions.
 *
 * Over rollups (`rolled`), the pass reads the `src` relation of rollups.ts instead: rows of one
 * device, day and (type, name, product, order) with their distinct `events`, `first_ts` and
 * `last_ts`. A raw event is such a row of one event. A windowed condition tests `last_ts`, which is
 * exact because a rolled day is never a window's boundary day: its rows are all inside or all outside.
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
  /**
   * The earliest event time any device fact reads (epoch ms), or null once a fact needs the whole
   * history. When every fact is windowed, the event scan is limited to that window: fewer partitions
   * read, far fewer rows grouped.
   */
  private earliest: number | null | undefined = undefined;

  /** The windows (in days) facts were registered with: their boundary days are read raw over rollups. */
  readonly windows = new Set<number>();

  constructor(
    private readonly dialect: SqlDialect,
    private readonly now: Date,
    /** Facts over the `src` relation of rollups (rolled days and raw events), not over `events`. */
    readonly rolled = false,
  ) {}

  /** The timestamp a condition tests and `latest` takes: an event's `ts`, a rolled row's `last_ts`. */
  private get tsCol(): Frag {
    return raw(this.rolled ? 'last_ts' : 'ts');
  }

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
    if (withinDays !== undefined) this.windows.add(withinDays);
    const from = withinDays === undefined ? null : this.now.getTime() - withinDays * DAY_MS;
    this.earliest = from === null || this.earliest === null ? null : Math.min(this.earliest ?? from, from);
    let cond = sql`type = ${constant(type)}`;
    if (extra) cond = sql`${cond} AND ${extra}`;
    if (withinDays !== undefined) cond = sql`${cond} AND ${this.tsCol} >= ${this.since(withinDays)}`;
    return cond;
  }

  /** Latest ts of the device's own events of a type. */
  latest(type: string): Frag {
    return this.add(
      this.device,
      'e_',
      `max:${type}`,
      () => sql`max(CASE WHEN ${this.typed(type, null, undefined)} THEN ${this.tsCol} END)`,
    );
  }

  /**
   * Latest ts of the device's own events of a type, among those of the last N days (null when none):
   * all `within_last_days N` needs, and it lets the event scan skip older partitions.
   */
  latestWithin(type: string, withinDays: number): Frag {
    return this.add(
      this.device,
      'e_',
      `max:${type}:${withinDays}`,
      () => sql`max(CASE WHEN ${this.typed(type, null, withinDays)} THEN ${this.tsCol} END)`,
    );
  }

  /** Distinct event ids of a type (optionally a custom event name) within N days. */
  count(type: string, withinDays: number | undefined, name?: string): Frag {
    const key = `count:${type}:${withinDays ?? ''}:${name ?? ''}`;
    return this.add(this.device, 'e_', key, () => {
      const cond = this.typed(type, name === undefined ? null : sql`name = ${name}`, withinDays);
      // A rolled row counts its distinct events; a raw row (deduplicated in `src`) is one.
      return this.rolled ? sql`sum(CASE WHEN ${cond} THEN events END)` : sql`count(DISTINCT CASE WHEN ${cond} THEN event_id END)`;
    });
  }

  private productCondition(type: string, products: readonly string[], withinDays: number | undefined): Frag {
    return this.typed(type, sql`product_id IN ${paramList(products)}`, withinDays);
  }

  /** 1 when the device had an event of the type on one of the products (within N days), else 0. */
  anyProduct(type: string, products: readonly string[], withinDays: number | undefined): Frag {
    const key = `product:${type}:${withinDays ?? ''}:${JSON.stringify([...products].sort())}`;
    return this.add(
      this.device,
      'e_',
      key,
      () => sql`max(CASE WHEN ${this.productCondition(type, products, withinDays)} THEN 1 ELSE 0 END)`,
    );
  }

  /** JSON array of the listed products the device had such events on (explain only). */
  productsHit(type: string, products: readonly string[], withinDays: number | undefined): Frag {
    const key = `hits:${type}:${withinDays ?? ''}:${JSON.stringify([...products].sort())}`;
    return this.add(this.device, 'e_', key, () =>
      this.dialect.jsonArrayAgg(raw('product_id'), this.productCondition(type, products, withinDays)),
    );
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
    return this.selectList(this.device);
  }

  /** Column list of the owner aggregation. */
  ownerColumns(): Frag[] {
    return this.selectList(this.owner);
  }

  // Select-list aggregates sit outside any WHERE clause: the dialect decides how their values travel.
  private selectList(map: Map<string, Column>): Frag[] {
    return [...map.values()].map((c) => sql`${this.dialect.outsideWhere(c.expr)} AS ${raw(c.alias)}`);
  }

  /** Aliases of all fact columns, to carry them into the joined facts row. */
  deviceAliases(): string[] {
    return [...this.device.values()].map((c) => c.alias);
  }

  ownerAliases(): string[] {
    return [...this.owner.values()].map((c) => c.alias);
  }

  /**
   * ` AND ts >= … AND dt >= …` when every device fact is windowed (dt is the UTC day of ts), else
   * nothing; over rollups the row's `last_ts` (a rolled day lies wholly inside or outside the window).
   */
  windowFilter(): Frag {
    const from = this.windowStart();
    if (from === null) return raw('');
    return sql` AND ${this.tsCol} >= ${this.dialect.timestamp(from)} AND dt >= ${from.toISOString().slice(0, 10)}`;
  }

  /** The earliest instant a device fact reads when every one is windowed, else null (the whole history). */
  windowStart(): Date | null {
    return typeof this.earliest === 'number' ? new Date(this.earliest) : null;
  }

  /** `type IN ('app_open', ...)` for pruning the event scan to the types the tree reads. */
  typeFilter(): Frag {
    return sql`type IN (${joinFrags([...this.eventTypes].sort().map(constant), ', ')})`;
  }
}
