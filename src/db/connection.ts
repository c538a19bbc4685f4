import type { Database, SqlJsStatic } from 'sql.js';
import { ContentHashCache } from './contentCache';
import { installFunctions } from './functions';
import { unwatchRowids, watchRowids } from './rowidWatch';
import { settingsSql, splitSettings } from './settings';
import { StatementRunner } from './statementRunner';

/** A node's open sql.js connection, and what runs and watches statements on it (database.ts). */
export interface Connection {
  readonly db: Database;
  /** hash(), kept up to date from the rows each statement touched (contentCache.ts). */
  readonly content: ContentHashCache;
  /** Runs each command's statements and keeps the counters its answers come from. */
  readonly runner: StatementRunner;
  readonly watchId: number;
}

/**
 * A connection to a new empty database, or to one restored from a snapshot made by `export()`
 * (the SQLite file and the settings it runs under). `largeRowids`: whether a table holds a rowid
 * of 2^62 or more, when known (else the tables are scanned for one).
 */
export function openConnection(SQL: SqlJsStatic, bytes: Uint8Array | undefined, largeRowids: boolean | undefined): Connection {
  let db: Database;
  let settings: string[] = [];
  if (!bytes || bytes.length === 0) db = new SQL.Database();
  else {
    const split = splitSettings(bytes);
    db = new SQL.Database(split.file);
    settings = settingsSql(split.settings);
  }
  const content = new ContentHashCache(db);
  // Without the last two, every transaction probes sql.js's in-memory file system for a hot
  // journal (and each write creates and deletes one), and every failed probe throws an ENOENT error
  // inside Emscripten: at 50 writes/s on 9 nodes that was the page's largest cost. One connection
  // owns each database, so an exclusive lock and an in-memory journal lose nothing. One call with the
  // snapshot's settings (set first, as they were when they had a call of their own): each call into
  // sql.js costs more than the pragma it runs.
  db.run([...settings, 'PRAGMA locking_mode=EXCLUSIVE', 'PRAGMA journal_mode=MEMORY'].join('; '));
  installFunctions(SQL, db);
  const watchId = watchRowids(SQL, db, content);
  return { db, content, watchId, runner: new StatementRunner(db, largeRowids) };
}

export function closeConnection(c: Connection): void {
  unwatchRowids(c.watchId);
  c.db.close();
}
