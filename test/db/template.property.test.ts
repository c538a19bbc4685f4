/**
 * A write run from its template (template.ts, prepared.ts) against the same text run by plain
 * sql.js, over random INSERT … VALUES of every literal kind (fast-check). The unit cases of
 * templateOf are in template.unit.test.ts.
 */
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
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
          // In autocommit, as rqlite runs each statement outside a transaction: a statement that
          // fails leaves nothing behind, not even the rows of a STRICT multi-row INSERT before the
          // row that failed (the node undoes them: statementRunner.ts).
          try {
            raw.run(sql);
          } catch (e) {
            error = (e as Error).message;
          }
          expect(got.error, sql).toBe(error);
          if (error === undefined) expect(got.rows_affected ?? 0, sql).toBe(raw.getRowsModified());
        });
        const want = CONTENT.map((q) => raw.exec(q.sql)[0]?.values ?? []);
        expect(node.query(CONTENT).map((r) => r.error ?? r.values ?? [])).toEqual(want);
        node.close();
        raw.close();
      }),
      // The case this property once missed by chance: a STRICT table's second row fails after its first was stored.
      { numRuns: 200, examples: [[["INSERT INTO st VALUES (1, 'a'), ('x', 'b')"]]] },
    );
  });
});
