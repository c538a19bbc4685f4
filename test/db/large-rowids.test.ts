/**
 * When a node knows its tables may hold a rowid of 2^62 or more (rowidWatch.ts): written through
 * its own connection (SQLite's update hook, a trigger's rows included) or found in the snapshot it
 * was restored from. A checkpoint image records it, so the largest-rowid check stays on after a
 * restore; these tests read it from there.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const LARGE = 2n ** 62n;
const cmd = (...sql: string[]) => ({ statements: sql.map((s) => ({ sql: s })), transaction: false, ts: 0 });

function node(...sql: string[]): NodeDatabase {
  const d = NodeDatabase.create(SQL);
  const r = d.execute(cmd(...sql));
  expect(r.filter((x) => x.error !== undefined)).toEqual([]);
  return d;
}

const large = (d: NodeDatabase) => d.image()!.largeRowids;
/** A copy restored from the snapshot alone, as a restarted node is: it must find the large rowid itself. */
const restored = (d: NodeDatabase) => NodeDatabase.create(SQL, d.export());

describe('a large rowid written on this connection', () => {
  it('is seen from 2^62 up, not below', () => {
    expect(large(node('CREATE TABLE t(v)', `INSERT INTO t(rowid, v) VALUES (${LARGE - 1n}, 1)`))).toBe(false);
    expect(large(node('CREATE TABLE t(v)', `INSERT INTO t(rowid, v) VALUES (${LARGE}, 1)`))).toBe(true);
    expect(large(node('CREATE TABLE t(v)', 'INSERT INTO t(v) VALUES (1)', `UPDATE t SET rowid = ${LARGE + 5n}`))).toBe(true);
  });

  it('is seen when a trigger writes it', () => {
    const d = node('CREATE TABLE t(v)', 'CREATE TABLE log(v)', `CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log(rowid, v) VALUES (${LARGE}, new.v); END`);
    expect(large(d)).toBe(false);
    d.execute(cmd('INSERT INTO t VALUES (1)'));
    expect(large(d)).toBe(true);
  });

  it('is seen inside a batch of plain writes too', () => {
    const d = node('CREATE TABLE t(v)');
    expect(d.beginBatch()).toBe(true);
    d.execute(cmd(`INSERT INTO t(rowid, v) VALUES (${LARGE}, 1)`), false);
    d.endBatch();
    expect(large(d)).toBe(true);
    expect(d.query([{ sql: 'SELECT count(*) FROM t' }])[0].values).toEqual([[1]]);
  });
});

describe('a large rowid in a restored snapshot', () => {
  it('is found in any rowid table, from 2^62 up', () => {
    expect(large(restored(node('CREATE TABLE t(v)', `INSERT INTO t(rowid, v) VALUES (${LARGE - 1n}, 1)`)))).toBe(false);
    expect(large(restored(node('CREATE TABLE a(v)', 'CREATE TABLE b(v)', 'INSERT INTO a VALUES (1)', `INSERT INTO b(rowid, v) VALUES (${LARGE}, 1)`)))).toBe(true);
    expect(large(restored(node('CREATE TABLE "q""t"(v)', `INSERT INTO "q""t"(rowid, v) VALUES (${LARGE}, 1)`)))).toBe(true);
  });

  it('is not looked for in a WITHOUT ROWID table, nor in a column that only hides a rowid alias', () => {
    expect(large(restored(node(`CREATE TABLE w(k PRIMARY KEY) WITHOUT ROWID`, `INSERT INTO w VALUES (${LARGE})`)))).toBe(false);
    expect(large(restored(node('CREATE TABLE a(_rowid_)', `INSERT INTO a VALUES (${LARGE})`)))).toBe(false);
    const later = node('CREATE TABLE a(_rowid_)', 'INSERT INTO a VALUES (1)', 'CREATE TABLE b(v)', `INSERT INTO b(rowid, v) VALUES (${LARGE}, 1)`);
    expect(large(restored(later))).toBe(true);
  });
});

describe('a column that hides a rowid alias', () => {
  const MAX = '9223372036854775807';

  it('does not hide the largest rowid: it is refused through the alias left free', () => {
    for (const table of ['a(_rowid_, v)', 'a(_rowid_ INTEGER, "RowId", v)']) {
      const d = node(`CREATE TABLE ${table}`);
      const alias = table.includes('RowId') ? 'oid' : 'rowid';
      expect(d.execute(cmd(`INSERT INTO a(${alias}, v) VALUES (${MAX}, 1)`))[0].error, table).toMatch(/largest rowid/);
      // Had it stayed, SQLite would give the next row a random rowid, different on every node.
      expect(d.query([{ sql: `SELECT count(*) FROM a` }])[0].values, table).toEqual([[0]]);
    }
  });

  it('is refused through the INTEGER PRIMARY KEY when every alias is hidden', () => {
    const d = node('CREATE TABLE a(id INTEGER PRIMARY KEY, _rowid_, rowid, oid)');
    expect(d.execute(cmd(`INSERT INTO a(id) VALUES (${MAX})`))[0].error).toMatch(/largest rowid/);
  });

  it('does not hide a large rowid in a restored snapshot', () => {
    const d = node('CREATE TABLE a(_rowid_)', `INSERT INTO a(rowid, _rowid_) VALUES (${LARGE}, 1)`);
    expect(large(restored(d))).toBe(true);
  });
});

describe('a table a trigger rolls back', () => {
  it('leaves the largest-rowid check working: RAISE(ROLLBACK) undoes a CREATE the check had named', () => {
    const MAX = '9223372036854775807';
    const d = node('CREATE TABLE t(v)', `INSERT INTO t(rowid, v) VALUES (${LARGE}, 1)`, 'CREATE TABLE r(v)', "CREATE TRIGGER no AFTER INSERT ON r BEGIN SELECT RAISE(ROLLBACK, 'undone'); END");
    const r = d.execute(cmd('BEGIN', 'CREATE TABLE t2(v)', `INSERT INTO t2(rowid, v) VALUES (${LARGE + 1n}, 1)`, 'INSERT INTO r VALUES (1)', `INSERT INTO t(rowid, v) VALUES (${MAX}, 2)`));
    expect(r[3].error).toBe('undone');
    expect(r[4].error).toMatch(/largest rowid/);
    expect(d.query([{ sql: `SELECT count(*) FROM t WHERE rowid = ${MAX}` }])[0].values).toEqual([[0]]);
  });

  it('with no rowid table left, a write to a WITHOUT ROWID table is not refused', () => {
    const d = node('CREATE TABLE t(v)', `INSERT INTO t(rowid, v) VALUES (${LARGE}, 1)`, 'DROP TABLE t', 'CREATE TABLE w(k PRIMARY KEY) WITHOUT ROWID');
    expect(large(d)).toBe(true);
    expect(d.execute(cmd('INSERT INTO w VALUES (1)'))[0]).toMatchObject({ rows_affected: 1 });
    expect(d.query([{ sql: 'SELECT k FROM w' }])[0].values).toEqual([[1]]);
  });
});
