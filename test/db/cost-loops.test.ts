/**
 * Which table each loop of SQLite's plan counts, and how many rows one probe of it finds (cost.ts
 * `TableSizes`): aliases next to names that look like keywords, punctuation or probes, a column
 * named rowid, probes on several columns, automatic indexes, empty tables. Every estimate here is
 * the exact one; a loop counted against the wrong table or group would change it.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { costReason, estimate } from '../../src/db/cost';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const upTo = (n: number) => `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s LIMIT ${n})`;

/** big: 100 rows (the largest table), k in 5 groups of 20; small: 3 rows, k = 1, 2, 3. */
function sample(): Database {
  const db = new SQL.Database();
  db.run(`CREATE TABLE big(id INTEGER PRIMARY KEY, k INT, v TEXT); CREATE INDEX bk ON big(k);
    CREATE TABLE small(id INTEGER PRIMARY KEY, k INT);
    ${upTo(100)} INSERT INTO big SELECT n, n % 5, 'v' FROM s;
    INSERT INTO small VALUES (1, 1), (2, 2), (3, 3);`);
  return db;
}

describe('the table behind each loop', () => {
  it('an alias after FROM, of any letters, and after a quoted table name', () => {
    const db = sample();
    // small, then big for each of its 3 rows: 3 + 300.
    for (const sql of ['SELECT count(*) FROM small AS s, big', 'SELECT count(*) FROM "small" e CROSS JOIN big']) {
      expect(estimate(db, sql), sql).toEqual({ visited: 303, produced: 300 });
    }
  });

  it('a number in the select list is no table, even when an alias after it names one', () => {
    expect(estimate(sample(), 'SELECT count(*), 0 small FROM big CROSS JOIN small')).toEqual({ visited: 400, produced: 300 });
  });

  it('tables named like a keyword or a comma are counted as themselves, not as the table before that word', () => {
    const db = sample();
    db.run(`CREATE TABLE "where"(v); ${upTo(50)} INSERT INTO "where" SELECT n FROM s; CREATE TABLE ","(v); ${upTo(40)} INSERT INTO "," SELECT n FROM s`);
    expect(estimate(db, 'SELECT count(*) FROM "where" CROSS JOIN small WHERE 1')).toEqual({ visited: 50 + 150, produced: 150 });
    expect(estimate(db, 'SELECT count(*) FROM "," CROSS JOIN small, big')).toEqual({ visited: 40 + 120 + 12000, produced: 12000 });
  });

  it('a table whose name holds a double quote is counted as itself', () => {
    const db = sample();
    db.run(`CREATE TABLE "q""t"(v); INSERT INTO "q""t" VALUES (1), (2)`);
    expect(estimate(db, 'SELECT count(*) FROM "q""t" CROSS JOIN small')).toEqual({ visited: 2 + 6, produced: 6 });
  });

  it('a loop whose name is no table it can count (an alias written as a string) counts as the largest table', () => {
    const db = sample();
    expect(estimate(db, "SELECT * FROM small 'b'")).toEqual({ visited: 100, produced: 100 });
    db.run(`${upTo(150)} INSERT INTO small SELECT 10 + n, n FROM s`);
    expect(estimate(db, "SELECT * FROM big 'b'")).toEqual({ visited: 153, produced: 153 });
  });
});

describe('the rows one loop visits', () => {
  it('a table named like a probe is scanned whole, and searched by the probe SQLite prints last', () => {
    const db = sample();
    db.run(`CREATE TABLE "p(k=?)"(k INT, v INT); CREATE INDEX pv ON "p(k=?)"(v); ${upTo(30)} INSERT INTO "p(k=?)" SELECT n, n % 2 FROM s`);
    expect(estimate(db, 'SELECT * FROM "p(k=?)"')).toEqual({ visited: 30, produced: 30 });
    expect(estimate(db, 'SELECT * FROM "p(k=?)" WHERE v = 1')).toEqual({ visited: 15, produced: 15 });
  });

  it('the integer primary key finds one row even when a column is named rowid', () => {
    const db = sample();
    db.run(`CREATE TABLE r(id INTEGER PRIMARY KEY, rowid INT); ${upTo(60)} INSERT INTO r SELECT n, 0 FROM s`);
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN r WHERE r.id = small.k')).toEqual({ visited: 6, produced: 3 });
  });

  it('a min/max read through an index (a SEARCH with no probe) counts the whole table', () => {
    expect(estimate(sample(), 'SELECT max(k) FROM big')).toEqual({ visited: 100, produced: 100 });
  });

  it('a probe on a column of several letters counts its largest group', () => {
    const db = sample();
    db.run(`CREATE TABLE g(grp INT, v INT); CREATE INDEX gg ON g(grp); ${upTo(20)} INSERT INTO g SELECT n % 2, n FROM s`);
    expect(estimate(db, 'SELECT * FROM g WHERE grp = 1')).toEqual({ visited: 10, produced: 10 });
  });

  it('an automatic index SQLite builds for a join is no unique key: its largest group counts', () => {
    const db = sample();
    db.run(`CREATE TABLE na(x INT, y INT); ${upTo(200)} INSERT INTO na SELECT n % 4, n FROM s`);
    // SEARCH na USING AUTOMATIC COVERING INDEX (x=?): 50 rows per key.
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN na WHERE na.x = small.k')).toEqual({ visited: 3 + 150, produced: 150 });
  });

  it('a UNIQUE index finds one row per probe beside a non-unique index of the same table', () => {
    const db = sample();
    db.run(`CREATE TABLE nu(u INT UNIQUE, w INT, v INT); CREATE INDEX nw ON nu(w); ${upTo(50)} INSERT INTO nu SELECT NULL, n, n FROM s; INSERT INTO nu VALUES (1, 1, 1)`);
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN nu WHERE nu.u = small.k')).toEqual({ visited: 3 + 3, produced: 3 });
  });

  it('each probe of a statement has its own largest group, on several columns too', () => {
    const db = sample();
    db.run(`CREATE TABLE m(a INT, b INT, c INT); CREATE INDEX mab ON m(a, b); ${upTo(60)} INSERT INTO m SELECT n % 2, n % 3, n FROM s;
      CREATE TABLE t(a INT, b INT, ab INT); CREATE INDEX tab ON t(a, b); CREATE INDEX tab2 ON t(ab); ${upTo(40)} INSERT INTO t SELECT n % 2, 1, n % 8 FROM s`);
    // big.k: 20 rows per key, then m.a: 30.
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN big CROSS JOIN m WHERE big.k = small.k AND m.a = small.k')).toEqual({
      visited: 3 + 60 + 1800,
      produced: 1800,
    });
    // (a, b) of t: 20 rows per key pair; ab of the same table: 5 per key.
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN t CROSS JOIN t AS t2 WHERE t.a = small.k AND t.b = small.k AND t2.ab = small.k')).toEqual({
      visited: 3 + 60 + 300,
      produced: 300,
    });
    expect(estimate(db, 'SELECT * FROM m WHERE a = 1 AND b = 1')).toEqual({ visited: 10, produced: 10 });
  });

  it('a probe into an empty table finds at most one row, not an unknown number', () => {
    const db = sample();
    db.run('CREATE TABLE e(k INT); CREATE INDEX ek ON e(k)');
    expect(estimate(db, 'SELECT * FROM small CROSS JOIN e WHERE e.k = small.k')).toEqual({ visited: 6, produced: 3 });
  });
});

describe('statements without SELECT', () => {
  it('a write with no SELECT is never refused for what it builds, the word in a string or not', () => {
    const db = sample();
    // 11 values of 10,000,000 bytes: over the 100 MB that all the rows of a query may build.
    const values = Array(11).fill('zeroblob(10000000)').join(', ');
    db.run(`CREATE TABLE wide(${Array.from({ length: 12 }, (_, i) => `c${i}`).join(', ')})`);
    expect(costReason(db, `INSERT INTO wide VALUES (${values}, 'x')`)).toBeNull();
    expect(costReason(db, `INSERT INTO wide VALUES (${values}, 'select')`)).toBeNull();
    // The same values read by a SELECT are refused.
    expect(costReason(db, `INSERT INTO wide SELECT ${values}, 'x'`)).toMatch(/^statement refused: it would build about 110000000 bytes/);
  });
});

describe('a name with a space in the plan', () => {
  // The plan prints names unquoted: "SCAN big data AS big 1". Read up to the first space, each
  // loop was counted as the 1-row table `big`, and eight billion row visits passed as three.
  function spaced(): Database {
    const db = new SQL.Database();
    db.run(`CREATE TABLE big(x); INSERT INTO big VALUES (1);
      CREATE TABLE "big data"(x); ${upTo(2000)} INSERT INTO "big data" SELECT n FROM s;`);
    return db;
  }

  it('is read whole, with or without an alias that holds a space too', () => {
    const db = spaced();
    expect(estimate(db, 'SELECT count(*) FROM "big data"')).toEqual({ visited: 2000, produced: 2000 });
    expect(estimate(db, 'SELECT count(*) FROM "big data" AS "big 1", big')).toEqual({ visited: 4000, produced: 2000 });
    expect(estimate(db, 'SELECT count(*) FROM big AS "big data x", "big data" AS b')).toEqual({ visited: 2001, produced: 2000 });
  });

  it('so a join of three such loops is refused as the runaway it is', () => {
    const sql = 'SELECT count(*) FROM "big data" AS "big 1", "big data" AS "big 2", "big data" AS "big 3"';
    expect(estimate(spaced(), sql)?.visited).toBe(2000 + 2000 ** 2 + 2000 ** 3);
    expect(costReason(spaced(), sql)).not.toBeNull();
  });
});

describe('a comma outside a FROM clause', () => {
  it('separates columns, not tables: a select-list alias named like a table is no table alias', () => {
    const db = sample();
    // small, then big for each of its 3 rows: 3 + 300, as without the alias.
    expect(estimate(db, 'SELECT small.id, v big FROM small CROSS JOIN big')).toEqual({ visited: 303, produced: 300 });
    expect(estimate(db, 'SELECT big.id, v small FROM big CROSS JOIN small')).toEqual(estimate(db, 'SELECT big.id FROM big CROSS JOIN small'));
  });

  it('a comma in a FROM list still separates tables, also after a subquery and a join condition', () => {
    const db = sample();
    expect(estimate(db, 'SELECT count(*) FROM (SELECT 1), small AS s, big b')).toEqual(estimate(db, 'SELECT count(*) FROM (SELECT 1), small, big'));
    expect(estimate(db, 'SELECT count(*) FROM small JOIN small t ON t.id = small.id, big AS b')).toEqual(estimate(db, 'SELECT count(*) FROM small JOIN small t ON t.id = small.id, big'));
  });
});
