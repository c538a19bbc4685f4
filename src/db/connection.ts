import type { Database, SqlJsStatic } from 'sql.js';
import { ContentHashCache } from './contentCache';
import { installFunctions } from './functions';
import { unwatchRowids, watchRowids } from './rowidWatch';
import { applySettings, splitSettings } from './settings';
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
  if (!bytes || bytes.length === 0) db = new SQL.Database();
  else {
    const { file, settings } = splitSettings(bytes);
    db = new SQL.Database(file);
    applySettings(db, settings);
  }
  const content = new ContentHashCache(db);
  // Without these, every transaction probes sql.js's in-memory file system for a hot journal (and
  // each write creates and deletes one), and every failed probe throws an ENOENT error inside
  // Emscripten: at 50 writes/s on 9 nodes that was the page's largest cost. One connection owns
  // each database, so an exclusive lock and an in-memory journal lose nothing.
  db.run('PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY');
  installFunctions(SQL, db);
  const watchId = watchRowids(SQL, db, content);
  return { db, content, watchId, runner: new StatementRunner(db, largeRowids) };
}

export function closeConnection(c: Connection): void {
  unwatchRowids(c.watchId);
  c.db.close();
}
