/**
 * The ways a committed write runs on a node (NodeDatabase.runChecked and the facts it is given):
 * bound parameters next to literals, a SELECT with parameters, a cost refusal on each path, and a
 * transaction the user opened and left open. Each answer is rqlite's, and the same on every node.
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

const cmd = (...statements: (string | Statement)[]): Command => ({
  statements: statements.map((s) => (typeof s === 'string' ? { sql: s } : s)),
  transaction: false,
  ts: 0,
});
const rows = (d: NodeDatabase, sql = 'SELECT * FROM t ORDER BY rowid') => d.query([{ sql }])[0].values ?? [];
/** 1000 × 1000 × 1000 rows (a table-valued function counts 1000): refused before it runs. */
const HUGE = "SELECT 1, 1 FROM json_each('[1]') a, json_each('[1]') b, json_each('[1]') c";

function node(): NodeDatabase {
  const d = NodeDatabase.create(SQL);
  d.execute(cmd('CREATE TABLE t(a, b)'));
  return d;
}

describe('parameters', () => {
  it('bind next to literals in an INSERT … VALUES, with no literal taken for a parameter', () => {
    const d = node();
    expect(d.execute(cmd({ sql: "INSERT INTO t VALUES (1, ?), (?, 'x')", params: [5, 'p'] }))).toEqual([{ last_insert_id: 2, rows_affected: 2 }]);
    // The same text again, now prepared: still its own parameters.
    d.execute(cmd({ sql: "INSERT INTO t VALUES (1, ?), (?, 'x')", params: [6, 'q'] }));
    // An empty list is no parameters: the literals alone.
    d.execute(cmd({ sql: 'INSERT INTO t VALUES (7, 8)', params: [] }));
    expect(rows(d)).toEqual([[1, 5], ['p', 'x'], [1, 6], ['q', 'x'], [7, 8]]);
  });

  it('given to a statement with no placeholder, fail as sql.js fails them, literals and all', () => {
    const d = node();
    const [r] = d.execute(cmd({ sql: 'INSERT INTO t VALUES (1, 2)', params: [5] }));
    expect(r.error).toBeDefined();
    expect(rows(d)).toEqual([]);
    // The same text without parameters is a write like any other.
    expect(d.execute(cmd('INSERT INTO t VALUES (1, 2)'))).toEqual([{ last_insert_id: 1, rows_affected: 1 }]);
  });

  it('bind in an INSERT … SELECT, which is still costed first', () => {
    const d = node();
    expect(d.execute(cmd({ sql: 'INSERT INTO t SELECT ?, ? + 1', params: [7, 1] }))).toEqual([{ last_insert_id: 1, rows_affected: 1 }]);
    expect(rows(d)).toEqual([[7, 2]]);
    const r = d.execute(cmd({ sql: `INSERT INTO t ${HUGE} WHERE ? = 1`, params: [1] }));
    expect(r[0].error).toMatch(/^statement refused: it would visit about 1001001000 rows/);
    expect(rows(d)).toEqual([[7, 2]]);
  });
});

describe('a string of statements with a SELECT', () => {
  it('runs each in turn, costed just before it runs, and stops at the first refusal', () => {
    const d = node();
    const r = d.execute(cmd(`INSERT INTO t SELECT 1, 1; INSERT INTO t ${HUGE}; INSERT INTO t VALUES (3, 3)`));
    expect(r[0].error).toMatch(/would visit about 1001001000 rows/);
    expect(rows(d)).toEqual([[1, 1]]);
    // The next command runs as usual: nothing of the stopped string is left open.
    expect(d.execute(cmd('INSERT INTO t SELECT 4, 4'))).toEqual([{ last_insert_id: 2, rows_affected: 1 }]);
  });

  it('stops at a statement that does not prepare, after running the ones before it', () => {
    const d = node();
    const r = d.execute(cmd('INSERT INTO t SELECT 1, 1; SELEC 2; INSERT INTO t VALUES (3, 3)'));
    expect(r).toEqual([{ error: 'near "SELEC": syntax error' }]);
    expect(rows(d)).toEqual([[1, 1]]);
  });
});

describe('a transaction the user leaves open', () => {
  it('is rolled back at the end of its command, whether BEGIN or SAVEPOINT opened it', () => {
    for (const open of ['BEGIN', 'SAVEPOINT s', 'begin immediate']) {
      const d = node();
      d.execute(cmd('INSERT INTO t VALUES (0, 0)'));
      expect(d.execute(cmd(open, 'INSERT INTO t VALUES (1, 1)')), open).toEqual([{ last_insert_id: 1 }, { last_insert_id: 2, rows_affected: 1 }]);
      expect(rows(d), open).toEqual([[0, 0]]);
      expect(d.execute(cmd('INSERT INTO t VALUES (2, 2)')), open).toEqual([{ last_insert_id: 2, rows_affected: 1 }]);
    }
  });

  it('is kept when the command closes it itself', () => {
    const d = node();
    d.execute(cmd('BEGIN', 'INSERT INTO t VALUES (1, 1)', 'COMMIT'));
    d.execute(cmd('SAVEPOINT s', 'INSERT INTO t VALUES (2, 2)', 'RELEASE s'));
    expect(rows(d)).toEqual([[1, 1], [2, 2]]);
  });
});

describe('writes of one shape, prepared once per connection', () => {
  it('run again after a schema change and after many other shapes, each as its text would', () => {
    const d = node();
    d.execute(cmd('INSERT INTO t VALUES (1, 1)'));
    d.execute(cmd('ALTER TABLE t ADD COLUMN c DEFAULT 9'));
    expect(d.execute(cmd('INSERT INTO t VALUES (2, 2)'))[0].error).toBe('table t has 3 columns but 2 values were supplied');
    d.execute(cmd('INSERT INTO t VALUES (3, 3, 3)'));
    // More shapes than are kept prepared: the first ones are prepared again as they come back.
    for (let i = 0; i < 70; i++) d.execute(cmd(`INSERT INTO t(${i % 2 ? 'a' : 'b'}) VALUES (${i})${' '.repeat(i)}`));
    d.execute(cmd('INSERT INTO t VALUES (4, 4, 4)'));
    expect(rows(d, 'SELECT a, b, c FROM t WHERE a IS NOT NULL AND b IS NOT NULL ORDER BY rowid')).toEqual([[1, 1, 9], [3, 3, 3], [4, 4, 4]]);
    expect(rows(d, 'SELECT count(*), sum(coalesce(a, 0) + coalesce(b, 0)) FROM t')).toEqual([[73, 2 + 6 + 8 + (69 * 70) / 2]]);
  });
});
