export type SqlValue = number | string | null | Uint8Array;
export type SqlParam = SqlValue | boolean;

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
  last_insert_id?: number;
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
