/**
 * The work estimate from SQLite's own plan and this database's row counts (cost.ts), on a small
 * database where each rule gives a different number: aliases, equality probes on unique and
 * non-unique keys, ranges, table-valued functions, recursive CTEs in views, and the two limits
 * (rows visited, bytes built) at their edges.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { costReason, estimate, MAX_BUILT_BYTES, MAX_VISITED_ROWS } from '../../src/db/cost';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const upTo = (n: number) => `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s LIMIT ${n})`;

/** big: 100 rows, k in 5 groups of 20, u unique; small: 3 rows; w: 40 rows keyed (a, b), a in 4 groups of 10; tk: 10 rows. */
function sample(): Database {
  const db = new SQL.Database();
  db.run(`CREATE TABLE big(id INTEGER PRIMARY KEY, k INT, u INT UNIQUE, v TEXT); CREATE INDEX bk ON big(k);
    CREATE TABLE small(id INTEGER PRIMARY KEY, k INT);
    CREATE TABLE w(a, b, c, PRIMARY KEY (a, b)) WITHOUT ROWID;
    CREATE TABLE tk(k TEXT PRIMARY KEY, v);
    ${upTo(100)} INSERT INTO big SELECT n, n % 5, n, 'v' FROM s;
    INSERT INTO small VALUES (1, 1), (2, 2), (3, 3);
    ${upTo(40)} INSERT INTO w SELECT n % 4, n, n FROM s;
    ${upTo(10)} INSERT INTO tk SELECT 'k' || n, n FROM s;`);
  return db;
}

describe('the rows each loop of the plan visits', () => {
  it('finds the table behind an alias, with or without AS, quoted or not', () => {
    const db = sample();
    // 3 rows of small, then 100 of big for each: a name taken for no table would count as the largest table.
    for (const sql of ['SELECT count(*) FROM big AS x, small y', 'SELECT count(*) FROM big "x", small AS "y"']) {
      expect(estimate(db, sql), sql).toEqual({ visited: 3 + 300, produced: 300 });
    }
    expect(estimate(db, 'SELECT * FROM small JOIN big b ON b.k = small.k')).toEqual({ visited: 3 + 60, produced: 60 });
    // A keyword after the table is no alias.
    expect(estimate(db, 'SELECT * FROM big WHERE k = 3')).toEqual({ visited: 20, produced: 20 });
  });

  it('an equality probe on a unique key or the integer primary key finds one row', () => {
    const db = sample();
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN big WHERE big.u = small.k')).toEqual({ visited: 6, produced: 3 });
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN big WHERE big.id = small.k')).toEqual({ visited: 6, produced: 3 });
    expect(estimate(db, "SELECT * FROM tk WHERE k = 'k1'")).toEqual({ visited: 1, produced: 1 });
    // A WITHOUT ROWID primary key: unique only when the probe covers every key column.
    expect(estimate(db, 'SELECT * FROM w WHERE a = 1 AND b = 5')).toEqual({ visited: 1, produced: 1 });
    expect(estimate(db, 'SELECT * FROM w WHERE a = 1')).toEqual({ visited: 10, produced: 10 });
  });

  it('a probe on a UNIQUE index finds one row even when many rows hold NULL there', () => {
    const db = sample();
    db.run(`CREATE TABLE nu(u INT UNIQUE, v); ${upTo(50)} INSERT INTO nu SELECT NULL, n FROM s; INSERT INTO nu VALUES (1, 1)`);
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN nu WHERE nu.u = small.k')).toEqual({ visited: 3 + 3, produced: 3 });
  });

  it('a probe on a non-unique index finds its largest group of equal keys, after a LEFT JOIN too', () => {
    const db = sample();
    db.run('UPDATE big SET k = 0 WHERE id <= 30'); // key 0: 30 rows and its 14 among the rest; the other keys 14 each
    const [[largest]] = db.exec('SELECT count(*) FROM big GROUP BY k ORDER BY 1 DESC LIMIT 1')[0].values;
    expect(largest).toBe(44);
    expect(estimate(db, 'SELECT * FROM big WHERE k = 4')).toEqual({ visited: 44, produced: 44 });
    expect(estimate(db, 'SELECT * FROM small LEFT JOIN big ON big.k = small.k')).toEqual({ visited: 3 + 132, produced: 132 });
  });

  it('a range counts the whole table', () => {
    expect(estimate(sample(), 'SELECT * FROM small CROSS JOIN big WHERE big.id > small.k')).toEqual({ visited: 303, produced: 300 });
  });

  it('a table-valued function counts 1000 rows, whatever it will return', () => {
    expect(estimate(sample(), "SELECT count(*) FROM json_each('[1]') CROSS JOIN small")).toEqual({ visited: 1000 + 3000, produced: 3000 });
  });

  it('a recursive CTE inside a view counts the LIMIT written in the view; the largest when names collide', () => {
    const db = sample();
    db.run(`CREATE VIEW v5 AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5) SELECT x FROM c`);
    const five = estimate(db, 'SELECT * FROM v5')!;
    db.run(`CREATE VIEW v50 AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 50) SELECT x FROM c`);
    const fifty = estimate(db, 'SELECT * FROM v5')!;
    expect(fifty.produced).toBe(50);
    expect(fifty.visited).toBeGreaterThan(five.visited);
    expect(five.produced).toBe(5);
    expect(costReason(db, 'SELECT * FROM v50')).toBeNull();
    // A view with no LIMIT for the same name makes every use of the name unbounded.
    db.run(`CREATE VIEW vx AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c`);
    expect(costReason(db, 'SELECT * FROM v5')).toBe(
      'recursive query "c" refused: no LIMIT of at most 1000000 rows could be read for it (in the statement or the view that holds it), so it could run for ever; add LIMIT n to its recursive part',
    );
  });

  it('a recursive CTE in a view is bounded by a LIMIT up to the cap (and costed by it), not above it', () => {
    const view = (name: string, limit: number) =>
      `CREATE VIEW ${name} AS WITH RECURSIVE ${name}c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM ${name}c LIMIT ${limit}) SELECT x FROM ${name}c`;
    const db = sample();
    db.run(view('at', 1_000_000));
    db.run(view('over', 1_000_001));
    // setup 1, a million steps of one row, then the outer scan of a million rows.
    expect(costReason(db, 'SELECT count(*) FROM at')).toMatch(/^statement refused: it would visit about 2000001 rows/);
    expect(costReason(db, 'SELECT count(*) FROM over')).toMatch(/^recursive query "overc" refused: no LIMIT of at most 1000000 rows/);
  });
});

describe('a recursive CTE whose quoted name holds a line break', () => {
  it('is still counted step by step (SQLite prints the name as it is, line break included)', () => {
    const db = sample();
    // A correlated scan of small (3 rows) in each of a million steps: over the limit whatever the name.
    const walk = (name: string) =>
      `WITH RECURSIVE "${name}"(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "${name}" WHERE (SELECT count(*) FROM small WHERE k > i) >= 0 LIMIT 1000000) SELECT count(*) FROM "${name}"`;
    expect(costReason(db, walk('c'))).toMatch(/^statement refused: it would visit about \d+ rows/);
    expect(costReason(db, walk('c\nx'))).toMatch(/^statement refused: it would visit about \d+ rows/);
  });
});

describe('the limits', () => {
  it(`visits at most ${MAX_VISITED_ROWS} rows`, () => {
    const db = new SQL.Database();
    db.run(`CREATE TABLE t(v); ${upTo(1999)} INSERT INTO t SELECT n FROM s`);
    const sql = "SELECT count(*) FROM json_each('[1]') CROSS JOIN t";
    expect(estimate(db, sql)).toEqual({ visited: 1000 + 1000 * 1999, produced: 1999000 });
    expect(costReason(db, sql)).toBeNull();
    db.run('INSERT INTO t VALUES (0)');
    expect(costReason(db, sql)).toBe(
      'statement refused: it would visit about 2001000 rows, more than the 2000000 that take about a second here. Narrow it with a WHERE on an indexed column, join on indexed keys, or LIMIT a recursive query.',
    );
  });

  it(`builds at most ${MAX_BUILT_BYTES} bytes over all rows`, () => {
    const db = sample();
    expect(MAX_BUILT_BYTES).toBe(100 * 1048576);
    expect(costReason(db, 'SELECT zeroblob(1048576) FROM big')).toBeNull();
    db.run("INSERT INTO big VALUES (101, 0, 101, 'v')");
    expect(costReason(db, 'SELECT zeroblob(1048576) FROM big')).toBe(
      'statement refused: it would build about 105906176 bytes (1048576 per row over about 101 rows); at most 100 MB. Build smaller values or fewer rows.',
    );
    // Values of no known size build nothing this can count.
    expect(costReason(db, 'SELECT zeroblob(k) FROM big')).toBeNull();
  });

  it('passes what has no SELECT, or only the word in a string, without asking the planner', () => {
    const db = sample();
    expect(costReason(db, "INSERT INTO small VALUES (9, 'select')")).toBeNull();
    expect(costReason(db, 'SELECT * FROM nosuch')).toBeNull(); // does not prepare: running it fails the same way
    expect(estimate(db, 'SELECT * FROM nosuch')).toBeNull();
  });
});
