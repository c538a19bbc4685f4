import type { Database, SqlJsStatic } from 'sql.js';
import { rowidName } from './largestRowid';

/** The parts of the sql.js module (Emscripten's exports) that sql.js's typings leave out. */
interface SqlJsModule {
  addFunction(
    fn: (arg: number, op: number, db: number, table: number, rowid: bigint) => void,
    signature: string,
  ): number;
  _sqlite3_update_hook(db: number, fn: number, arg: number): number;
  UTF8ToString(ptr: number): string;
}

/** SQLite's operation codes as the update hook passes them. */
export const ROW_INSERT = 18;
export const ROW_DELETE = 9;
export const ROW_UPDATE = 23;

/**
 * Told of every row a connection inserts, updates or deletes in a rowid table (not what the hook
 * cannot see), while it listens: the table's name is decoded only then.
 */
export interface RowListener {
  readonly listening: boolean;
  row(op: number, table: string, rowid: bigint): void;
}

/** A rowid this large is the only way towards the largest one (largestRowid.ts); ordinary rows never get near. */
const LARGE_ROWID = 1n << 62n;
const LARGE_ROWID_TEXT = String(LARGE_ROWID);

let seen = false;
let wrote = false;
const hooks = new WeakMap<SqlJsStatic, number>();
/** Each watched connection's listener, by the number its hook is registered with. */
const listeners = new Map<number, RowListener>();
let nextId = 1;

/**
 * Watch every row this connection inserts or updates in a rowid table (SQLite's update hook; a
 * trigger's rows included) for a rowid of 2^62 or more. A statement that leaves a table holding
 * the largest rowid must have written it, so a statement during which none was seen cannot need
 * the largest-rowid check or the savepoint that undoes it: a batch of plain writes runs without
 * them, and is applied again with them in the rare case one was seen. A listener, if given, is
 * also told of each row (contentCache.ts keeps the content hash up to date with it).
 */
export function watchRowids(SQL: SqlJsStatic, db: Database, listener?: RowListener): number {
  const m = SQL as unknown as SqlJsModule;
  let fn = hooks.get(SQL);
  if (fn === undefined) {
    fn = m.addFunction((arg, op, _db, table, rowid) => {
      wrote = true;
      if (rowid >= LARGE_ROWID) seen = true;
      if (arg === 0) return;
      const l = listeners.get(arg);
      if (l?.listening) l.row(op, m.UTF8ToString(table), rowid);
    }, 'viiiij');
    hooks.set(SQL, fn);
  }
  const id = listener ? nextId++ : 0;
  if (listener) listeners.set(id, listener);
  m._sqlite3_update_hook((db as unknown as { db: number }).db, fn, id);
  return id;
}

/** Stop telling the listener `watchRowids` returned `id` for (its connection is closing). */
export function unwatchRowids(id: number): void {
  listeners.delete(id);
}

/** Start watching for one statement (statements run one at a time, on one connection at a time). */
export function resetLargeRowid(): void {
  seen = false;
  wrote = false;
}

/**
 * Whether a watched connection wrote any row of a rowid table since resetLargeRowid(). A statement
 * that failed without writing one left nothing to undo (a WITHOUT ROWID table always has a key
 * to check, so SQLite keeps a statement journal for it and undoes a failed statement itself).
 */
export function wroteRows(): boolean {
  return wrote;
}

/** Whether a watched connection wrote a rowid of 2^62 or more since resetLargeRowid(). */
export function sawLargeRowid(): boolean {
  return seen;
}

/** Whether some rowid table of the main database already holds a rowid of 2^62 or more (a restored snapshot). */
export function holdsLargeRowid(db: Database): boolean {
  const tables = db.exec(
    "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND wr = 0 AND name NOT LIKE 'sqlite_%'",
  );
  for (const [name] of tables[0]?.values ?? []) {
    // No name for the rowid (every alias hidden, no INTEGER PRIMARY KEY): no statement can set it either.
    const rowid = rowidName(db, String(name));
    if (rowid === null) continue;
    const r = db.exec(
      `SELECT max(${rowid}) >= ${LARGE_ROWID_TEXT} FROM "${String(name).replace(/"/g, '""')}"`,
    );
    if (r[0]?.values[0]?.[0] === 1) return true;
  }
  return false;
}
