/**
 * The answers around a write refused for reaching the largest rowid (statementRunner.ts): the check
 * follows tables created since it was built, a refused write leaves the counters the next statement
 * answers from as they were, and a statement that changes no row is never refused, whatever a table
 * holds. And an empty parameter list is no parameters: the text runs, and is undone, as a whole.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command, Statement } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const MAX = '9223372036854775807';
const LARGE = '4611686018427387904';
const cmd = (...statements: (string | Statement)[]): Command => ({
  statements: statements.map((s) => (typeof s === 'string' ? { sql: s } : s)),
  transaction: false,
  ts: 0,
});
const largest = /^statement refused: it gives a row the largest rowid/;

describe('the largest-rowid check', () => {
  it('covers a table created after it was first used', () => {
    const d = NodeDatabase.create(SQL);
    // A large rowid makes the node check every write from here on, over the tables there are now…
    expect(
      d.execute(cmd('CREATE TABLE a(v)', `INSERT INTO a(rowid, v) VALUES (${LARGE}, 1)`))[1].error,
    ).toBeUndefined();
    // …and over those created since, in the same command or a later one.
    const [, r] = d.execute(cmd('CREATE TABLE b(v)', `INSERT INTO b(rowid, v) VALUES (${MAX}, 1)`));
    expect(r.error).toMatch(largest);
    d.execute(cmd('CREATE TABLE c(v)'));
    expect(d.execute(cmd(`INSERT INTO c(rowid, v) VALUES (${MAX}, 1)`))[0].error).toMatch(largest);
    expect(d.query([{ sql: 'SELECT (SELECT count(*) FROM b), (SELECT count(*) FROM c)' }])[0].values).toEqual(
      [[0, 0]],
    );
  });

  it('leaves the next statement of the command answering from the counters before the refused one', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(v)'));
    const r = d.execute(
      cmd(
        'INSERT INTO t VALUES (5)',
        `INSERT INTO t(rowid, v) VALUES (${MAX}, 1)`,
        'UPDATE t SET v = v',
        'INSERT INTO t VALUES (6)',
      ),
    );
    expect(r).toEqual([
      { last_insert_id: 1, rows_affected: 1 },
      { error: expect.stringMatching(largest) },
      { last_insert_id: 1, rows_affected: 1 },
      { last_insert_id: 2, rows_affected: 1 },
    ]);
  });

  it('refuses no statement that changes no row, even once a table holds the largest rowid', () => {
    const d = NodeDatabase.create(SQL);
    // Written in a transaction of the user's, which the per-statement check cannot wrap.
    d.execute(cmd('CREATE TABLE t(v)', `BEGIN; INSERT INTO t(rowid, v) VALUES (${MAX}, 1); COMMIT`));
    const [none, some] = d.execute(cmd('UPDATE t SET v = 2 WHERE 0', 'INSERT INTO t VALUES (1)'));
    expect(none).toEqual({ last_insert_id: BigInt(MAX) });
    expect(some.error).toMatch(largest);
  });

  it('undoes what a failed statement kept or ran again, if it reached the largest rowid', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(
      cmd(
        'CREATE TABLE t(v INTEGER) STRICT',
        'CREATE TABLE u(k INTEGER PRIMARY KEY, v)',
        'INSERT INTO u VALUES (1, 1)',
      ),
    );
    // The statement before the failing one is run again (autocommit would have kept it), and OR FAIL keeps the rows before its conflict.
    const r = d.execute(
      cmd(
        `INSERT INTO t(rowid, v) VALUES (${MAX}, 1); INSERT INTO t(v) VALUES ('x')`,
        `INSERT OR FAIL INTO u VALUES (${MAX}, 2), (1, 3)`,
      ),
    );
    expect(r.map((x) => x.error)).toEqual([
      'cannot store TEXT value in INTEGER column t.v',
      'UNIQUE constraint failed: u.k',
    ]);
    expect(d.query([{ sql: 'SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM u)' }])[0].values).toEqual(
      [[0, 1]],
    );
    // So no table holds it, and the next rows are numbered as usual.
    expect(d.execute(cmd('INSERT INTO t(v) VALUES (2)', 'INSERT INTO u(v) VALUES (4)'))).toEqual([
      { last_insert_id: 1, rows_affected: 1 },
      { last_insert_id: 2, rows_affected: 1 },
    ]);
  });
});

describe('rows INSERT OR FAIL keeps', () => {
  it('are undone, as any write is refused, once a table holds the largest rowid', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(
      cmd('CREATE TABLE u(k INTEGER PRIMARY KEY, v)', 'INSERT INTO u VALUES (1, 1)', 'CREATE TABLE t(v)'),
    );
    // Written in a transaction of the user's, which the per-statement check cannot wrap.
    d.execute(cmd(`BEGIN; INSERT INTO t(rowid, v) VALUES (${MAX}, 1); COMMIT`));
    expect(d.execute(cmd('INSERT INTO u VALUES (2, 2)'))[0].error).toMatch(largest);
    expect(d.execute(cmd('INSERT OR FAIL INTO u VALUES (2, 2), (1, 3)'))[0].error).toBe(
      'UNIQUE constraint failed: u.k',
    );
    expect(d.query([{ sql: 'SELECT k, v FROM u' }])[0].values).toEqual([[1, 1]]);
  });
});

describe('a failed statement that no savepoint wraps', () => {
  it('is not undone nor run again: what it did before failing stands, once', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(v)'));
    const [r] = d.execute(cmd('INSERT INTO t VALUES (1); UPDATE t SET v = 2 WHERE 0; COMMIT'));
    expect(r.error).toBe('cannot commit - no transaction is active');
    expect(d.query([{ sql: 'SELECT v FROM t' }])[0].values).toEqual([[1]]);
  });
});

describe('an empty parameter list', () => {
  it('is no parameters: a text of several statements keeps those before the one that failed', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(a INTEGER) STRICT'));
    const [r] = d.execute(
      cmd({ sql: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2), ('x')", params: [] }),
    );
    expect(r.error).toMatch(/cannot store TEXT value/);
    expect(d.query([{ sql: 'SELECT a FROM t' }])[0].values).toEqual([[1]]);
  });

  it('unlike a real one, with which only the first statement runs: nothing of it is run again unbound', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(a INTEGER) STRICT'));
    const [r] = d.execute(cmd({ sql: 'INSERT INTO t VALUES (?); INSERT INTO t VALUES (2)', params: ['x'] }));
    expect(r.error).toMatch(/cannot store TEXT value/);
    expect(d.query([{ sql: 'SELECT count(*) FROM t' }])[0].values).toEqual([[0]]);
  });
});
