import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import type { Command, Statement } from '../../src/db/types';

let SQL: Awaited<ReturnType<typeof initSqlJs>>;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const cmd = (statements: (string | Statement)[], transaction = false, ts = 0): Command => ({
  statements: statements.map((s) => (typeof s === 'string' ? { sql: s } : s)),
  transaction,
  ts,
});

describe('NodeDatabase', () => {
  it('gives rqlite-shaped execute and query results', () => {
    const db = NodeDatabase.create(SQL);
    expect(db.execute(cmd(['CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)']))).toEqual([{}]);
    expect(db.execute(cmd([{ sql: 'INSERT INTO t(name) VALUES(?)', params: ['fiona'] }]))).toEqual([{ last_insert_id: 1, rows_affected: 1 }]);
    expect(db.query([{ sql: 'SELECT id, name FROM t' }])).toEqual([{ columns: ['id', 'name'], types: ['integer', 'text'], values: [[1, 'fiona']] }]);
    expect(db.query([{ sql: 'SELECT * FROM t WHERE id > 5' }])).toEqual([{ columns: ['id', 'name'], types: ['integer', 'text'] }]);
  });

  it('reports a failing statement and keeps going without a transaction', () => {
    const db = NodeDatabase.create(SQL);
    const r = db.execute(cmd(['CREATE TABLE t(v)', 'SELEC 1', 'INSERT INTO t VALUES(1)']));
    expect(r).toEqual([{}, { error: 'near "SELEC": syntax error' }, { last_insert_id: 1, rows_affected: 1 }]);
  });

  it('rolls a transaction back as a whole on the first error', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd(['CREATE TABLE t(v UNIQUE)']));
    const r = db.execute(cmd(['INSERT INTO t VALUES(1)', 'INSERT INTO t VALUES(1)', 'INSERT INTO t VALUES(2)'], true));
    expect(r).toHaveLength(2);
    expect(r[1].error).toMatch(/UNIQUE constraint failed/);
    expect(db.query([{ sql: 'SELECT count(*) FROM t' }])[0].values).toEqual([[0]]);
  });

  it('binds positional params, blobs, booleans and null', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd(['CREATE TABLE p(a, b, c, d)']));
    db.execute(cmd([{ sql: 'INSERT INTO p VALUES(?, ?, ?, ?)', params: [1.5, new Uint8Array([1, 2]), true, null] }]));
    const v = db.query([{ sql: 'SELECT a, hex(b), c, d FROM p' }])[0].values;
    expect(v).toEqual([[1.5, '0102', 1, null]]);
  });

  it('refuses writes through query and leaves the data untouched', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd(['CREATE TABLE t(v)', 'INSERT INTO t VALUES(1)']));
    expect(db.query([{ sql: 'DELETE FROM t' }])[0].error).toBe('attempt to change database via query operation');
    expect(db.query([{ sql: 'WITH x AS (SELECT 1) DELETE FROM t' }])[0].error).toMatch(/attempt to change/);
    expect(db.query([{ sql: 'SELECT count(*) FROM t' }])[0].values).toEqual([[1]]);
  });

  it('caps a huge or endless result instead of building it', () => {
    const db = NodeDatabase.create(SQL);
    const r = db.query([{ sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 50000) SELECT x FROM c' }], 1000);
    expect(r[0].error).toBe('query result exceeds 1000 rows');
  });

  it('does not let a dangling BEGIN leak into the next command', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd(['CREATE TABLE t(v)', 'BEGIN', 'INSERT INTO t VALUES(1)']));
    expect(db.execute(cmd(['INSERT INTO t VALUES(2)']))).toEqual([{ last_insert_id: 1, rows_affected: 1 }]);
  });

  it('hashes logical content: equal for a replayed and a restored copy, different otherwise', () => {
    const a = NodeDatabase.create(SQL);
    a.execute(cmd(['CREATE TABLE t(v)', "INSERT INTO t VALUES('x')", 'CREATE INDEX i ON t(v)']));
    const b = NodeDatabase.create(SQL, a.export());
    expect(b.hash()).toBe(a.hash());
    b.execute(cmd(["INSERT INTO t VALUES('y')"]));
    expect(b.hash()).not.toBe(a.hash());
    expect(a.hash()).toMatch(/^[0-9a-f]{16}$/);
  });

  it("applies with the command's clock, so defaults and 'now' are identical on every node", async () => {
    const ts = Date.UTC(2026, 0, 1, 12, 0, 0);
    const make = () => {
      const db = NodeDatabase.create(SQL);
      db.execute(cmd(['CREATE TABLE t(a, ts DEFAULT CURRENT_TIMESTAMP)', 'INSERT INTO t(a) VALUES(1)'], false, ts));
      return db;
    };
    const a = make();
    await new Promise((r) => setTimeout(r, 1100));
    const b = make();
    expect(a.hash()).toBe(b.hash());
    expect(a.query([{ sql: 'SELECT ts FROM t' }])[0].values).toEqual([['2026-01-01 12:00:00']]);
  });
});

describe('runaway SQL', () => {
  const endless = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

  it('refuses a recursive query with no LIMIT, in a query and in a committed write, leaving data intact', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd(['CREATE TABLE t(v)', 'INSERT INTO t VALUES(1)']));
    const before = db.hash();
    expect(db.query([{ sql: endless }])[0].error).toMatch(/recursive query without LIMIT refused/);
    const r = db.execute(cmd([`INSERT INTO t ${endless.replace('count(*)', 'x')}`, 'INSERT INTO t VALUES(2)']));
    expect(r[0].error).toMatch(/without LIMIT/);
    expect(r[1]).toEqual({ last_insert_id: 2, rows_affected: 1 });
    expect(db.hash()).not.toBe(before);
    expect(db.query([{ sql: 'SELECT count(*) FROM t' }])[0].values).toEqual([[2]]);
  });

  it('refuses a huge LIMIT but runs a bounded recursion', () => {
    const db = NodeDatabase.create(SQL);
    expect(db.query([{ sql: endless.replace('FROM c)', 'FROM c LIMIT 1000000000)') }])[0].error).toMatch(/LIMIT 1000000000 refused/);
    expect(db.query([{ sql: endless.replace('FROM c)', 'FROM c LIMIT 1000)') }])[0].values).toEqual([[1000]]);
  });

  it('leaves the words in strings and ordinary CTEs alone', () => {
    const db = NodeDatabase.create(SQL);
    expect(db.query([{ sql: "SELECT 'WITH RECURSIVE x AS (SELECT 1 UNION SELECT 2)'" }])[0].error).toBeUndefined();
    expect(db.query([{ sql: 'WITH RECURSIVE a(x) AS (SELECT 1) SELECT x FROM a' }])[0].values).toEqual([[1]]);
  });
});
