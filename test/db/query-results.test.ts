/**
 * A read shaped as rqlite answers it (rows.ts, values.ts): the row cap, the column types (declared,
 * else seen in the first row), blobs as base64, bound parameters, and integers exact past 2^53.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { exactInteger } from '../../src/db/values';
import type { SqlParam } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const cmd = (...sql: string[]) => ({ statements: sql.map((s) => ({ sql: s })), transaction: false, ts: 0 });
const query = (d: NodeDatabase, sql: string, params?: SqlParam[], maxRows?: number) => d.query([{ sql, params }], maxRows)[0];

describe('the row cap', () => {
  it('answers exactly maxRows rows, and refuses one more', () => {
    const d = NodeDatabase.create(SQL);
    const upTo = (n: number) => `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${n}) SELECT x FROM c`;
    expect(query(d, upTo(3), undefined, 3).values).toEqual([[1], [2], [3]]);
    expect(query(d, upTo(4), undefined, 3)).toEqual({ error: 'query result exceeds 3 rows' });
  });
});

describe('column types', () => {
  it("are the table's declared types, lower-cased, for a simple SELECT … FROM t", () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE "my t"(a VARCHAR(10), b INTEGER, c)', "INSERT INTO \"my t\" VALUES (1, 'x', 2.5)"));
    // Declared types win over the values; an untyped column falls back to what its first value is.
    expect(query(d, 'SELECT a, b, c FROM "my t"')).toEqual({ columns: ['a', 'b', 'c'], types: ['varchar(10)', 'integer', 'real'], values: [['1', 'x', 2.5]] });
    expect(query(d, 'SELECT C, B FROM "my t"').types).toEqual(['real', 'integer']);
    d.execute(cmd('CREATE TABLE "q""t"(a VARCHAR(10))', 'INSERT INTO "q""t" VALUES (1)'));
    expect(query(d, 'SELECT a FROM "q""t"').types).toEqual(['varchar(10)']);
    // A CTE is no table to describe: its values decide, whatever its columns are called.
    expect(query(d, 'WITH c(t) AS (SELECT 1) SELECT t FROM c').types).toEqual(['integer']);
  });

  it('are the first row’s types otherwise, and empty for NULL or no rows', () => {
    const d = NodeDatabase.create(SQL);
    expect(query(d, "SELECT 1, 1.5, 'a', x'00', NULL").types).toEqual(['integer', 'real', 'text', 'blob', '']);
    expect(query(d, 'SELECT 1 AS a WHERE 0')).toEqual({ columns: ['a'], types: [''] });
    // A table-valued function cannot be described: its values decide.
    expect(query(d, 'SELECT value FROM json_each(\'[2]\')').types).toEqual(['integer']);
  });

  it('of a join or a list of tables are the values’, not one table’s', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(v TEXT)', 'CREATE TABLE u(w)', "INSERT INTO t VALUES ('1')", 'INSERT INTO u VALUES (2)'));
    expect(query(d, 'SELECT v FROM t').types).toEqual(['text']);
    expect(query(d, 'SELECT w AS v FROM u, t').types).toEqual(['integer']);
  });
});

describe('values', () => {
  it('binds false as 0 and true as 1, and no params as none', () => {
    const d = NodeDatabase.create(SQL);
    expect(query(d, 'SELECT ?, ?', [false, true]).values).toEqual([[0, 1]]);
    expect(query(d, 'SELECT 7', []).values).toEqual([[7]]);
  });

  it('answers a blob of any length as base64', () => {
    const d = NodeDatabase.create(SQL);
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const [row] = query(d, 'SELECT ?', [bytes]).values!;
    expect(row[0]).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('keeps an INTEGER a number exactly up to ±(2^53 − 1), a bigint past it', () => {
    expect(exactInteger('9007199254740991')).toBe(9007199254740991);
    expect(exactInteger('-9007199254740991')).toBe(-9007199254740991);
    expect(exactInteger('9007199254740992')).toBe(9007199254740992n);
    expect(exactInteger('-9007199254740992')).toBe(-9007199254740992n);
    expect(exactInteger(5n)).toBe(5);
    const d = NodeDatabase.create(SQL);
    expect(query(d, 'SELECT -9007199254740993, 9007199254740991 + 0').values).toEqual([[-9007199254740993n, 9007199254740991]]);
  });
});
