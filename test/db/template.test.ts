import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import { templateOf } from '../../src/db/template';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe('templateOf', () => {
  it('takes out the literals of a plain INSERT … VALUES that bind exactly, and keeps the rest in the text', () => {
    expect(templateOf("INSERT INTO t(k, v) VALUES (5, 'value-5')")).toEqual({ sql: 'INSERT INTO t(k, v) VALUES (?, ?)', values: [5, 'value-5'] });
    expect(templateOf("insert into t values (1,'a''b'),(2, NULL), (-3, -'x')")).toEqual({ sql: 'insert into t values (?,?),(?, NULL), (-?, -?)', values: [1, "a'b", 2, 3, 'x'] });
    // Past 2^31-1 sql.js binds a REAL (a BigInt as text), and a NUL ends the text SQLite reads: they stay.
    expect(templateOf("INSERT INTO t VALUES (2147483648, 'a\u0000b', 'c')")).toEqual({ sql: "INSERT INTO t VALUES (2147483648, 'a\u0000b', ?)", values: ['c'] });
    expect(templateOf('INSERT INTO "values"([values]) VALUES (1)')).toEqual({ sql: 'INSERT INTO "values"([values]) VALUES (?)', values: [1] });
    expect(templateOf('REPLACE INTO t /* c */ VALUES (1, -- x\n 2)')).toEqual({ sql: 'REPLACE INTO t /* c */ VALUES (?, -- x\n ?)', values: [1, 2] });
  });

  it('leaves alone what is not one INSERT of literal rows', () => {
    for (const sql of [
      'INSERT INTO t VALUES (1) RETURNING *',
      'INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING',
      'INSERT INTO t SELECT 1',
      'INSERT INTO t SELECT * FROM (VALUES (1))',
      'WITH c AS (SELECT 1) INSERT INTO t VALUES (1)',
      "INSERT INTO t VALUES ('abc",
      'INSERT INTO t VALUES (1 + 2)',
      'INSERT INTO t VALUES (abs(1))',
      'INSERT INTO t VALUES (+1)',
      'INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)',
      'INSERT INTO t VALUES (NULL)',
      'INSERT INTO t VALUES (1.5)',
      'INSERT INTO t VALUES (1e3)',
      'INSERT INTO t VALUES (0x10)',
      'INSERT INTO t VALUES (1_000)',
      "INSERT INTO t VALUES (x'00')",
      'INSERT INTO t VALUES (TRUE)',
      'INSERT INTO t VALUES (1)\u00a0',
      'INSERT INTO t(a, VALUES (1)',
      'INSERT INTO t VALUES (1) /* open',
      'UPDATE t SET v = 1',
      'INSERT INTO t DEFAULT VALUES',
    ]) expect(templateOf(sql), sql).toBeNull();
  });
});

// No rowid alias: the node refuses to reach the largest rowid, which plain sql.js does not.
const TABLES = 'CREATE TABLE a(x, y); CREATE TABLE i(x INTEGER, y INTEGER); CREATE TABLE s(x TEXT, y TEXT); CREATE TABLE r(x REAL, y NUMERIC); CREATE TABLE k(x INTEGER UNIQUE, y TEXT UNIQUE); CREATE TABLE st(x INTEGER, y TEXT) STRICT';
const literal = fc.oneof(
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map(String),
  fc.constantFrom('0', '007', '2147483647', '2147483648', '9223372036854775807', '9223372036854775808', '1.5', '1e3', '0x10', 'NULL', "x'00ff'", "'12'", "' 7 '", "'1.0'", "''"),
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => `'${s.replace(/'/g, "''")}'`),
);
const sep = fc.constantFrom(' ', '', '\n', '\t', ' /*c*/ ', ' -- c\n', '\u00a0');
const element = fc.tuple(fc.constantFrom('', '-', '- '), literal, sep, sep).map(([sign, lit, a, b]) => `${a}${sign}${lit}${b}`);
const row = fc.array(element, { minLength: 1, maxLength: 3 }).map((xs) => `(${xs.join(',')})`);
const insert = fc
  .tuple(fc.constantFrom('INSERT INTO', 'INSERT OR IGNORE INTO', 'REPLACE INTO', 'insert into'), fc.constantFrom('a', '"i"', '[s]', 'r', 'k', 'st', 'nosuch', 'a(y)', 'a (x, y)'), fc.array(row, { minLength: 1, maxLength: 3 }), sep)
  .map(([verb, t, rows, end]) => `${verb} ${t} VALUES ${rows.join(', ')}${end}`);

/** A column's type and exact value as text (the node answers blobs in base64 and large integers as BigInt, sql.js does not). */
const col = (c: string) => `typeof(${c}), CASE typeof(${c}) WHEN 'blob' THEN hex(${c}) WHEN 'real' THEN printf('%!.17g', ${c}) ELSE CAST(${c} AS TEXT) END`;
const CONTENT = ['a', 'i', 's', 'r', 'k', 'st'].map((t) => ({ sql: `SELECT rowid, ${col('x')}, ${col('y')} FROM ${t} ORDER BY rowid` }));

describe('a write run from its template', () => {
  it('stores, answers and fails exactly as the same text run by sql.js', () => {
    fc.assert(
      fc.property(fc.array(insert, { minLength: 1, maxLength: 12 }), (sqls) => {
        const node = NodeDatabase.create(SQL);
        const cmd = (sql: string, seed: number): Command => ({ statements: [{ sql }], transaction: false, ts: 0, seed });
        node.execute(cmd(TABLES, 0));
        const raw = new SQL.Database();
        raw.run(TABLES);
        sqls.forEach((sql, i) => {
          const [got] = node.execute(cmd(sql, i + 1));
          let error: string | undefined;
          // In a savepoint, as the node runs a write (in autocommit SQLite would undo the first row of
          // a STRICT multi-row INSERT that fails on its second; in a transaction it keeps it).
          raw.run('SAVEPOINT s');
          try {
            raw.run(sql);
          } catch (e) {
            error = (e as Error).message;
          } finally {
            raw.run('RELEASE s');
          }
          expect(got.error, sql).toBe(error);
          if (error === undefined) expect(got.rows_affected ?? 0, sql).toBe(raw.getRowsModified());
        });
        const want = CONTENT.map((q) => raw.exec(q.sql)[0]?.values ?? []);
        expect(node.query(CONTENT).map((r) => r.error ?? r.values ?? [])).toEqual(want);
        node.close();
        raw.close();
      }),
      { numRuns: 200 },
    );
  });
});
