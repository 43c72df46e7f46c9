/**
 * The SQL text the local engine reads the lake with: views over a table's Parquet and NDJSON files
 * (hive partitions from the paths), the rollups view, a rewrite's source. Our own file paths only,
 * never user input; values of queries stay bound parameters elsewhere.
 */
import {
  DEVICE_COLUMNS,
  LAKE_TABLES,
  ROLLUP_COLUMNS,
  type LakeColumn,
  type LakeColumnType,
  type LakeTable,
} from '../../domain/lake-schema';

export const DUCK_TYPES: Record<LakeColumnType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
};

export function viewSource(table: LakeTable, parquet: string[], ndjson: string[]): string {
  const parts: string[] = [];
  const hive = `hive_partitioning = true, hive_types = {'tenant_id': VARCHAR, 'dt': VARCHAR}`;
  if (parquet.length > 0) {
    parts.push(
      `SELECT ${columnList(table)}, tenant_id, dt FROM ${withLaterColumns(table, `read_parquet([${parquet.map(lit).join(', ')}], ${hive}, union_by_name = true)`)}`,
    );
  }
  if (ndjson.length > 0) parts.push(`SELECT ${columnList(table)}, tenant_id, dt FROM ${readJson(table, ndjson, true)}`);
  if (parts.length === 0) {
    const cols = LAKE_TABLES[table].map((c) => `CAST(NULL AS ${DUCK_TYPES[c.type]}) AS ${c.name}`);
    parts.push(`SELECT ${cols.join(', ')}, CAST(NULL AS VARCHAR) AS tenant_id, CAST(NULL AS VARCHAR) AS dt WHERE false`);
  }
  return parts.join(' UNION ALL ');
}

/** A derived table's view: its Parquet files (partition columns from the path), or no rows when none is written yet. */
function derivedSource(columns: readonly LakeColumn[], parquet: string[]): string {
  if (parquet.length === 0) {
    const empty = columns.map((c) => `CAST(NULL AS ${DUCK_TYPES[c.type]}) AS ${c.name}`).join(', ');
    return `SELECT ${empty}, CAST(NULL AS VARCHAR) AS tenant_id, CAST(NULL AS VARCHAR) AS dt WHERE false`;
  }
  const cols = columns.map((c) => `CAST(${c.name} AS ${DUCK_TYPES[c.type]}) AS ${c.name}`).join(', ');
  return `SELECT ${cols}, tenant_id, dt FROM read_parquet([${parquet.map(lit).join(', ')}], hive_partitioning = true, hive_types = {'tenant_id': VARCHAR, 'dt': VARCHAR})`;
}

/** The rollups view (domain/segments/rollups.ts). */
export const rollupSource = (parquet: string[]) => derivedSource(ROLLUP_COLUMNS, parquet);
/** The latest registrations view: the devices table's columns, one file per tenant (dt: the day it is made up to). */
export const latestSource = (parquet: string[]) => derivedSource(DEVICE_COLUMNS, parquet);

/** The table's columns (no partition columns) of exactly these files. */
export function fileSource(table: LakeTable, parquet: string[], ndjson: string[]): string {
  const parts: string[] = [];
  if (parquet.length > 0)
    parts.push(
      `SELECT ${columnList(table)} FROM ${withLaterColumns(table, `read_parquet([${parquet.map(lit).join(', ')}], union_by_name = true)`)}`,
    );
  if (ndjson.length > 0) parts.push(`SELECT ${columnList(table)} FROM ${readJson(table, ndjson, false)}`);
  return parts.join(' UNION ALL ');
}

/**
 * Parquet files written before a column was added lack it, and DuckDB fails on a column none of the
 * read files has: such columns (`addedLater`) come in by name from an empty typed row, null where a file lacks them.
 */
export function withLaterColumns(table: LakeTable, source: string): string {
  const later = LAKE_TABLES[table].filter((c) => c.addedLater);
  if (later.length === 0) return source;
  const empty = later.map((c) => `CAST(NULL AS ${DUCK_TYPES[c.type]}) AS ${c.name}`).join(', ');
  return `(SELECT * FROM ${source} UNION ALL BY NAME SELECT ${empty} WHERE false)`;
}

export function columnList(table: LakeTable): string {
  return LAKE_TABLES[table].map((c) => `CAST(${c.name} AS ${DUCK_TYPES[c.type]}) AS ${c.name}`).join(', ');
}

export function readJson(table: LakeTable, files: string[], hive: boolean): string {
  const columns = LAKE_TABLES[table]
    .map((c) => `${lit(c.name)}: ${lit(c.type === 'timestamp' ? 'VARCHAR' : DUCK_TYPES[c.type])}`)
    .join(', ');
  const hiveOpts = hive ? `, hive_partitioning = true, hive_types = {'tenant_id': VARCHAR, 'dt': VARCHAR}` : '';
  return `read_json([${files.map(lit).join(', ')}], format = 'newline_delimited', columns = {${columns}}${hiveOpts})`;
}

/** A SQL string literal for our own file paths (never user input). */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
