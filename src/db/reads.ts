import type { Database } from 'sql.js';
import { withEnvironment } from './clock';
import { costReason } from './cost';
import { staticRefusal } from './facts';
import { RandomSource, seedOf } from './random';
import { isReadOnly } from './readonly';
import { readRows } from './rows';
import { message } from './statementRunner';
import type { QueryResult, Statement } from './types';

export const DEFAULT_MAX_ROWS = 10_000;

/** Where a query runs: the node's clock, and its applied index to seed random() (same index, same draws). */
export interface QueryEnvironment {
  ts: number;
  seed: number;
}

/**
 * Run reads on a connection (NodeDatabase.query, once the writes waiting there are applied). Writes
 * are refused, and any side effect is rolled back. The clock is `env.ts`, the time zone UTC, and
 * random() is seeded by the applied index and the text.
 */
export function runReads(db: Database, statements: readonly Statement[], maxRows: number, env: QueryEnvironment): QueryResult[] {
  const random = new RandomSource(seedOf(`${env.seed}\u0000${statements.map((s) => s.sql).join('\u0000')}`));
  return withEnvironment({ ts: env.ts, random }, () => statements.map((s) => readChecked(db, s, maxRows)));
}

function readChecked(db: Database, s: Statement, maxRows: number): QueryResult {
  if (!isReadOnly(s.sql)) return { error: syntaxError(db, s.sql) ?? 'attempt to change database via query operation' };
  const refused = staticRefusal(s.sql, 'query') ?? costReason(db, s.sql);
  if (refused !== null) return { error: refused };
  db.run('SAVEPOINT raftlite_query');
  try {
    return readRows(db, s, maxRows);
  } catch (e) {
    return { error: message(e) };
  } finally {
    db.run('ROLLBACK TO raftlite_query');
    db.run('RELEASE raftlite_query');
  }
}

/** SQLite's own error for text that does not prepare (`SELEC 1`: a syntax error), or null. */
function syntaxError(db: Database, sql: string): string | null {
  if (staticRefusal(sql, 'query') !== null) return null;
  try {
    // Preparing runs nothing; a pragma, whose setting happens while it is prepared, never gets here.
    db.prepare(sql).free();
    return null;
  } catch (e) {
    return message(e);
  }
}
