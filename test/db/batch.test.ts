import fc from 'fast-check';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchable } from '../../src/db/batch';
import { NodeDatabase } from '../../src/db/database';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const cmd = (sql: string, transaction = false): Command => ({ statements: [{ sql }], transaction, ts: 0 });

describe('which commands may share a batch transaction', () => {
  it('takes plain single writes', () => {
    for (const sql of ['INSERT INTO t VALUES (1)', "update t set v = 'x' where k = 2", 'DELETE FROM t', 'REPLACE INTO t VALUES (1, 2)']) {
      expect(batchable(cmd(sql)), sql).toBe(true);
    }
  });

  it('leaves out anything that could end, open or roll back a transaction, or that is not a plain write', () => {
    const out = [
      'INSERT OR ROLLBACK INTO t VALUES (1)',
      'INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)',
      'BEGIN',
      'SELECT 1',
      'CREATE TABLE u(v)',
      "UPDATE t SET v = CASE WHEN k > 1 THEN 'a' ELSE 'b' END",
      '-- a comment first\nINSERT INTO t VALUES (1)',
      'PRAGMA foreign_keys = ON',
    ];
    for (const sql of out) expect(batchable(cmd(sql)), sql).toBe(false);
    expect(batchable(cmd('INSERT INTO t VALUES (1)', true))).toBe(false);
  });

  it('refuses to open a batch when the schema or settings could make it end differently', () => {
    const setups = [
      "CREATE TABLE t(k PRIMARY KEY, v); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT RAISE(ROLLBACK, 'no'); END",
      'CREATE TABLE t(k PRIMARY KEY ON CONFLICT ROLLBACK, v)',
      'PRAGMA foreign_keys = ON',
      'PRAGMA max_page_count = 100',
    ];
    for (const setup of setups) {
      const db = NodeDatabase.create(SQL);
      db.execute(cmd(setup));
      expect(db.beginBatch(), setup).toBe(false);
      db.close();
    }
    const db = NodeDatabase.create(SQL);
    db.execute(cmd('CREATE TABLE t(k PRIMARY KEY, v)'));
    expect(db.beginBatch()).toBe(true);
    db.endBatch();
    // The answer is kept across plain writes, and read again after anything else.
    db.execute(cmd('INSERT INTO t VALUES (1, 1)'));
    expect(db.beginBatch()).toBe(true);
    db.endBatch();
    db.execute(cmd("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT RAISE(ROLLBACK, 'no'); END"));
    expect(db.beginBatch()).toBe(false);
    db.query([{ sql: 'PRAGMA foreign_keys' }]);
    expect(db.beginBatch()).toBe(false);
    db.close();
  });
});

// Writes to a table with a primary key, a NOT NULL and a CHECK constraint, so that many of them fail
// part-way (conflicts, constraint errors, a missing table) — the cases where batching could differ.
const write = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 9 })).map(([k, v]) => `INSERT INTO t(k, v) VALUES (${k}, ${v})`),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 9 })).map(([k, v]) => `INSERT OR REPLACE INTO t(k, v) VALUES (${k}, ${v})`),
  fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 9 })).map(([k, v]) => `INSERT OR IGNORE INTO t(k, v) VALUES (${k}, ${v})`),
  fc.tuple(fc.integer({ min: -3, max: 9 }), fc.integer({ min: 0, max: 6 })).map(([v, k]) => `UPDATE t SET v = ${v} WHERE k >= ${k}`),
  fc.integer({ min: 0, max: 6 }).map((k) => `UPDATE OR FAIL t SET k = ${k} WHERE v > 2`),
  fc.integer({ min: 0, max: 6 }).map((k) => `DELETE FROM t WHERE k = ${k}`),
  fc.constant('INSERT INTO t(k) VALUES (100)'),
  fc.constant('INSERT INTO missing VALUES (1)'),
);

describe('a batch ends exactly like the same writes one by one', () => {
  it('same results per statement and the same database, failures included', () => {
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 40 }), (sqls) => {
        const setup = cmd('CREATE TABLE t(k INTEGER PRIMARY KEY, v INTEGER NOT NULL CHECK (v >= 0))');
        const alone = NodeDatabase.create(SQL);
        const batched = NodeDatabase.create(SQL);
        alone.execute(setup);
        batched.execute(setup);
        const one = sqls.map((s) => alone.execute(cmd(s)));
        expect(batched.beginBatch()).toBe(true);
        const many = sqls.map((s) => batched.execute(cmd(s)));
        batched.endBatch();
        expect(many).toEqual(one);
        expect(batched.hash()).toBe(alone.hash());
        alone.close();
        batched.close();
      }),
      { numRuns: 300 },
    );
  });
});
