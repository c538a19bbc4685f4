/** A value as it leaves the database: an INTEGER beyond ±(2^53 − 1) is a bigint, exact (values.ts). */
export type SqlValue = number | bigint | string | null | Uint8Array;
/** A bound parameter: scenario files and run files are JSON, so a parameter is never a bigint. */
export type SqlParam = number | string | null | Uint8Array | boolean;

export interface Statement {
  sql: string;
  params?: SqlParam[];
}

/** A committed write: `ts` is the leader's simulated clock (ms since the Unix epoch) at proposal. */
export interface Command {
  statements: Statement[];
  transaction: boolean;
  ts: number;
  /** Seeds random() and randomblob() while it applies: the entry's log index (defaults to `ts`). */
  seed?: number;
}

/** rqlite's shapes; zero-valued fields are left out as rqlite does. */
export interface ExecuteResult {
  last_insert_id?: number | bigint;
  rows_affected?: number;
  error?: string;
}

export interface QueryResult {
  columns?: string[];
  types?: string[];
  values?: SqlValue[][];
  error?: string;
}

export interface TableView {
  name: string;
  columns: string[];
  rows: SqlValue[][];
  total: number;
}
