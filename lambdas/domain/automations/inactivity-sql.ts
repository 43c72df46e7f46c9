/**
 * The inactivity trigger's query: opted-in devices whose latest `app_open` lies in
 * [from, to) (the devices that crossed `days` of inactivity in the last 24 hours), with that
 * latest open, which names their spell of inactivity. Only day partitions from `from` on are
 * read: a later open of a device is in them, so its latest open is known exactly for the window.
 */
import type { SqlQuery } from '../sql';
import type { SqlDialect } from '../segments/dialect';
import { constant, raw, sql, toQuery } from '../segments/sql-fragment';

export interface InactivityQueryInput {
  tenantId: string;
  from: Date;
  to: Date;
}

/** Rows `{ device_id, last_open }` (ISO text), ordered by device id. */
export function compileInactivity(input: InactivityQueryInput, dialect: SqlDialect): SqlQuery {
  if (!(input.from < input.to)) throw new Error('from must be before to');
  const fromDay = input.from.toISOString().slice(0, 10);
  return toQuery(
    sql`WITH reg AS (SELECT device_id, opted_in, row_number() OVER (PARTITION BY device_id ORDER BY updated_at DESC) AS rn FROM devices WHERE tenant_id = ${input.tenantId}),\nopens AS (SELECT device_id, max(ts) AS last_open FROM events WHERE tenant_id = ${input.tenantId} AND dt >= ${fromDay} AND type = ${constant('app_open')} GROUP BY device_id)\nSELECT o.device_id, ${dialect.isoText(raw('o.last_open'))} AS last_open FROM opens o JOIN reg r ON r.device_id = o.device_id WHERE r.rn = 1 AND r.opted_in = TRUE AND o.last_open >= ${dialect.timestamp(input.from)} AND o.last_open < ${dialect.timestamp(input.to)} ORDER BY o.device_id`,
  );
}
