/**
 * How a node's writes are grouped into transactions (src/db/writes.ts): what the connection is told
 * (BEGIN, COMMIT, ROLLBACK; a write alone is its own transaction, told nothing). apply-later.test.ts
 * holds every grouping to "reads as if each write were applied at once"; these hold the grouping
 * itself, which no read can see: its cost.
 */
import type { BindParams, Database, SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MIN_BATCH } from '../../src/db/batch';
import { MAX_DEFERRED, NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const insert = (i: number): Command => ({ statements: [{ sql: `INSERT INTO t(v) VALUES (${i}), (${i})` }], transaction: false, ts: 1_700_000_000_000 + i, seed: i });

function fresh(): NodeDatabase {
  const db = NodeDatabase.create(SQL);
  db.execute({ statements: [{ sql: 'CREATE TABLE t(v)' }], transaction: false, ts: 1_700_000_000_000, seed: 0 });
  db.query([{ sql: 'SELECT 1' }]);
  return db;
}

/** From now on, the BEGINs, COMMITs and ROLLBACKs every connection is told, in order. */
function told(): string[] {
  const out: string[] = [];
  const original = SQL.Database.prototype.run;
  vi.spyOn(SQL.Database.prototype, 'run').mockImplementation(function (this: Database, sql: string, params?: BindParams) {
    if (sql === 'BEGIN' || sql === 'COMMIT' || sql === 'ROLLBACK') out.push(sql);
    return original.call(this, sql, params);
  });
  return out;
}

const count = (db: NodeDatabase) => db.query([{ sql: 'SELECT count(*), sum(v) FROM t' }])[0].values?.[0];

describe('the writes of a node', () => {
  it('a follower lets wait are applied in one transaction when read, past MIN_BATCH of them only', () => {
    const db = fresh();
    const t = told();
    for (let i = 1; i < MIN_BATCH; i++) db.applyLater(insert(i));
    expect(count(db)).toEqual([2 * (MIN_BATCH - 1), (MIN_BATCH - 1) * MIN_BATCH]);
    expect(t).toEqual([]);
    for (let i = 1; i <= MIN_BATCH; i++) db.applyLater(insert(i));
    expect(t).toEqual([]);
    count(db);
    expect(t).toEqual(['BEGIN', 'COMMIT']);
  });

  it('a follower lets wait are applied together at MAX_DEFERRED, read or not', () => {
    const db = fresh();
    const t = told();
    for (let i = 1; i < MAX_DEFERRED; i++) db.applyLater(insert(i));
    expect(t).toEqual([]);
    db.applyLater(insert(MAX_DEFERRED));
    expect(t).toEqual(['BEGIN', 'COMMIT']);
  });

  it('a follower hashed after each (the safety monitor does) are held in one transaction of MAX_DEFERRED', () => {
    const db = fresh();
    const t = told();
    const hashes = new Set<string>();
    for (let i = 1; i <= MAX_DEFERRED; i++) {
      db.applyLater(insert(i));
      hashes.add(db.hash());
    }
    // Each hash read the write before it, inside the one transaction.
    expect(hashes.size).toBe(MAX_DEFERRED);
    expect(t).toEqual(['BEGIN']);
    db.applyLater(insert(MAX_DEFERRED + 1));
    db.hash();
    expect(t).toEqual(['BEGIN', 'COMMIT', 'BEGIN']);
    expect(count(db)).toEqual([2 * (MAX_DEFERRED + 1), (MAX_DEFERRED + 1) * (MAX_DEFERRED + 2)]);
    expect(t).toEqual(['BEGIN', 'COMMIT', 'BEGIN', 'COMMIT']);
  });

  it('a leader answers are held in one transaction of MAX_DEFERRED, each answer its own', () => {
    const db = fresh();
    const t = told();
    const answers = [];
    for (let i = 1; i <= MAX_DEFERRED; i++) answers.push(db.execute(insert(i)));
    expect(answers).toEqual(Array.from({ length: MAX_DEFERRED }, (_, i) => [{ last_insert_id: 2 * i + 2, rows_affected: 2 }]));
    expect(t).toEqual(['BEGIN']);
    expect(db.execute(insert(0))).toEqual([{ last_insert_id: 2 * MAX_DEFERRED + 2, rows_affected: 2 }]);
    expect(t).toEqual(['BEGIN', 'COMMIT', 'BEGIN']);
    // A command that is not a plain write runs alone, after the batch is committed.
    expect(db.execute({ statements: [{ sql: 'CREATE TABLE v(x)' }], transaction: false, ts: 1_700_000_000_000, seed: 1 })).toEqual([{ last_insert_id: 2 * MAX_DEFERRED + 2 }]);
    expect(t).toEqual(['BEGIN', 'COMMIT', 'BEGIN', 'COMMIT']);
  });
});
