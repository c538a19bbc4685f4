/**
 * The backstop behind guard.ts (cost.ts `unboundedRecursion`): a recursive CTE that SQLite's own
 * plan shows, whatever the text says, is refused unless a LIMIT of at most MAX_RECURSION_ROWS can
 * be read for it. Each case here is one the text check alone would let through, one where the
 * plan holds more than one recursive CTE, or a co-routine that is no recursion. Then what every
 * estimate must also get right: a statement's own LIMIT, no statement left open, an empty database.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { costReason, estimate } from '../../src/db/cost';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const refusal = (name: string) =>
  `recursive query "${name}" refused: no LIMIT of at most 1000000 rows could be read for it (in the statement or the view that holds it), so it could run for ever; add LIMIT n to its recursive part`;

const empty = (): Database => new SQL.Database();

describe('the recursion backstop reads the plan, not the spelling', () => {
  it('refuses a recursive CTE whose name holds a newline and whose self-reference is a string literal', () => {
    // SQLite reads the string as the CTE. guard.ts reads it too now; the plan is the second line.
    const sql = `WITH RECURSIVE "a\nb"(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM 'a\nb') SELECT count(*) FROM "a\nb"`;
    expect(costReason(empty(), sql)).toBe(refusal('a\nb'));
  });

  it('refuses a recursive CTE whose self-reference is a string literal, whatever the text check reads', () => {
    const sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM 'c') SELECT count(*) FROM c";
    expect(costReason(empty(), sql)).toBe(refusal('c'));
  });

  it('names the unbounded CTE when a bounded one comes first in the plan', () => {
    const sql =
      'WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a LIMIT 5), b(y) AS (SELECT 1 UNION ALL SELECT y + 1 FROM b) SELECT count(*) FROM a, b';
    expect(costReason(empty(), sql)).toBe(refusal('b'));
  });

  it('a view without LIMIT makes the name unbounded whichever view was created first', () => {
    const db = empty();
    const view = (name: string, limit: string) =>
      `CREATE VIEW ${name} AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c${limit}) SELECT x FROM c`;
    db.run(view('vx', ''));
    db.run(view('v5', ' LIMIT 5'));
    expect(costReason(db, 'SELECT * FROM v5')).toBe(refusal('c'));
  });

  it('a materialized CTE or a subquery that does not refer to itself is no recursion', () => {
    const db = empty();
    db.run('CREATE TABLE t(v); INSERT INTO t VALUES (1), (2)');
    expect(costReason(db, 'WITH m AS MATERIALIZED (SELECT v FROM t) SELECT * FROM m, m AS n')).toBeNull();
    expect(costReason(db, 'SELECT * FROM (SELECT v FROM t ORDER BY v LIMIT 1) CROSS JOIN t')).toBeNull();
  });
});

describe('the estimate of a statement', () => {
  it('a recursive CTE of the statement runs its step as many times as its own LIMIT says', () => {
    // setup 1 row, 5 steps of one row each, then the outer scan of 5 rows.
    expect(estimate(empty(), 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5) SELECT * FROM c')).toEqual({ visited: 11, produced: 5 });
  });

  it('leaves no statement open: a savepoint can follow the estimate of a query or of a write', () => {
    const db = empty();
    db.run('CREATE TABLE t(v)');
    for (const sql of ['SELECT * FROM t', 'INSERT INTO t SELECT ? + 1']) {
      expect(costReason(db, sql)).toBeNull();
      expect(() => db.run('SAVEPOINT s; RELEASE s'), sql).not.toThrow();
    }
  });

  it('with no table at all, a loop it cannot name counts one row', () => {
    // The CTE's one row built once, then a scan SQLite names x, which is neither the CTE nor a table.
    expect(estimate(empty(), "WITH c(v) AS MATERIALIZED (SELECT 1) SELECT * FROM c 'x'")).toEqual({ visited: 1 + 1, produced: 1 });
  });
});
