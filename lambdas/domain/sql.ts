/**
 * A compiled, parameterised SQL query and the rows it answers: the compiler's output and the query
 * engine port's input (ports/query-engine.ts). Values travel only as bound parameters.
 */
export type SqlParam = string | number | boolean | null;

export interface SqlQuery {
  sql: string;
  params: SqlParam[];
}

export type Row = Record<string, string | number | boolean | null>;
