/**
 * What a node's database shows of itself (content.ts): the table browser's views and the content
 * hash that compares nodes. Two databases hash alike exactly when they hold the same schema and the
 * same values, told apart by type and by where one value ends and the next begins.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const cmd = (...sql: string[]) => ({ statements: sql.map((s) => ({ sql: s })), transaction: false, ts: 0 });

function db(...sql: string[]): NodeDatabase {
  const d = NodeDatabase.create(SQL);
  const r = d.execute(cmd(...sql));
  expect(r.filter((x) => x.error !== undefined)).toEqual([]);
  return d;
}

describe('table views', () => {
  it('lists user tables by name, each with its first rows in rowid order and its full count', () => {
    const d = db(
      'CREATE TABLE b(id INTEGER PRIMARY KEY AUTOINCREMENT, v)',
      "INSERT INTO b(id, v) VALUES (3, 'c'), (1, 'a'), (2, 'b')",
      'CREATE TABLE a(x)',
    );
    // sqlite_sequence (made by AUTOINCREMENT) is SQLite's, not the user's.
    expect(d.tables(2)).toEqual([
      { name: 'a', columns: ['x'], rows: [], total: 0 },
      { name: 'b', columns: ['id', 'v'], rows: [[1, 'a'], [2, 'b']], total: 3 },
    ]);
    expect(d.tables()[1].rows).toHaveLength(3);
  });

  it('shows a WITHOUT ROWID table in key order, and a name with a double quote in it', () => {
    const d = db('CREATE TABLE "we""ird"(k TEXT PRIMARY KEY, v) WITHOUT ROWID', "INSERT INTO \"we\"\"ird\" VALUES ('z', 1), ('m', 2), ('a', 3)");
    expect(d.tables(2)).toEqual([{ name: 'we"ird', columns: ['k', 'v'], rows: [['a', 3], ['m', 2]], total: 3 }]);
  });

  it('orders a rowid table by rowid, not by its first column', () => {
    expect(db('CREATE TABLE t(v)', "INSERT INTO t VALUES ('b'), ('a')").tables()[0].rows).toEqual([['b'], ['a']]);
  });

  it('gives an empty table its declared columns', () => {
    expect(db('CREATE TABLE "q""t"(a INT, "b c" TEXT)').tables()).toEqual([{ name: 'q"t', columns: ['a', 'b c'], rows: [], total: 0 }]);
  });
});

describe('the content hash', () => {
  const hashOf = (...sql: string[]) => db(...sql).hash();

  it('tells values apart by type: NULL, text, integer, blob, and text that spells the others', () => {
    const values = ['NULL', "''", "'n'", "'1'", '1', "x'31'", "x''", "'i1'", "'s1:1'"];
    const hashes = values.map((v) => hashOf('CREATE TABLE t(v)', `INSERT INTO t VALUES (${v})`));
    expect(new Set(hashes).size).toBe(values.length);
  });

  it('tells where one value ends and the next begins', () => {
    const two = (a: string, b: string) => hashOf('CREATE TABLE t(a, b)', `INSERT INTO t VALUES (${a}, ${b})`);
    expect(two('1', '23')).not.toBe(two('12', '3'));
    expect(two("'a'", "'bc'")).not.toBe(two("'ab'", "'c'"));
    // Blob bytes are kept apart too: 01 0c and 0b 02 are not both "112".
    expect(hashOf('CREATE TABLE t(v)', "INSERT INTO t VALUES (x'010c')")).not.toBe(hashOf('CREATE TABLE t(v)', "INSERT INTO t VALUES (x'0b02')"));
  });

  it('covers every row of every table, and the schema', () => {
    const base = ['CREATE TABLE a(v)', 'CREATE TABLE b(v)', 'INSERT INTO a VALUES (1)'];
    const h = hashOf(...base);
    expect(hashOf(...base, 'INSERT INTO b VALUES (1)')).not.toBe(h);
    expect(hashOf(...base, 'INSERT INTO a VALUES (1)')).not.toBe(h);
    expect(hashOf(...base, 'CREATE VIEW w AS SELECT 1')).not.toBe(h);
    // The same objects and rows, a different declaration.
    expect(hashOf('CREATE TABLE a(v)')).not.toBe(hashOf('CREATE TABLE a(v INT)'));
    // The same rows inserted in another order, with the same rowids: the same content.
    expect(hashOf('CREATE TABLE a(v)', 'CREATE TABLE b(v)', 'INSERT INTO a(rowid, v) VALUES (2, 2), (1, 1)')).toBe(
      hashOf('CREATE TABLE a(v)', 'CREATE TABLE b(v)', 'INSERT INTO a(rowid, v) VALUES (1, 1), (2, 2)'),
    );
  });

  it('reads a WITHOUT ROWID table whole', () => {
    const make = (v: number) => hashOf('CREATE TABLE t(k PRIMARY KEY, v) WITHOUT ROWID', `INSERT INTO t VALUES (1, 1), (2, ${v})`);
    expect(make(2)).not.toBe(make(3));
  });
});
