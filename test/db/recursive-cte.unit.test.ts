/**
 * recursiveCtes and runawayReason (guard.ts) on the spellings SQLite accepts: the LIMIT and OFFSET
 * forms, MATERIALIZED, quoted names, column lists and several CTEs. Each pins a rule that mutation
 * testing found unchecked.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RECURSION_ROWS, recursiveCtes, runawayReason } from '../../src/db/guard';

const counter = (tail: string, name = 'c', ref = name) =>
  `WITH RECURSIVE ${name}(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM ${ref} ${tail}) SELECT count(*) FROM ${ref}`;

describe('the LIMIT a recursive CTE lets through', () => {
  it('counts OFFSET in, in both spellings', () => {
    expect(recursiveCtes(counter('LIMIT 10 OFFSET 5'))).toEqual([{ name: 'c', limit: 15 }]);
    expect(recursiveCtes(counter('LIMIT 5, 10'))).toEqual([{ name: 'c', limit: 15 }]);
    expect(recursiveCtes(counter('LIMIT 10'))).toEqual([{ name: 'c', limit: 10 }]);
  });

  it('reads a parenthesised OFFSET, and a comma inside parentheses separates nothing', () => {
    expect(recursiveCtes(counter('LIMIT 10 OFFSET (5)'))).toEqual([{ name: 'c', limit: 15 }]);
    expect(recursiveCtes(counter('LIMIT (10) OFFSET 5'))).toEqual([{ name: 'c', limit: 15 }]);
    expect(recursiveCtes(counter('LIMIT max(10, 20)'))).toEqual([{ name: 'c', limit: Infinity }]);
  });

  it('LIMIT 0 is a limit; a negative LIMIT is none (SQLite reads it as no limit)', () => {
    expect(recursiveCtes(counter('LIMIT 0'))).toEqual([{ name: 'c', limit: 0 }]);
    expect(recursiveCtes(counter('LIMIT -1'))).toEqual([{ name: 'c', limit: null }]);
    expect(runawayReason(counter('LIMIT -1'))).toMatch(/without LIMIT refused/);
    expect(runawayReason(counter(`LIMIT ${MAX_RECURSION_ROWS + 1}`))).toMatch(
      /LIMIT 1000001 refused: at most 1000000 rows/,
    );
    expect(runawayReason(counter(`LIMIT ${MAX_RECURSION_ROWS}`))).toBeNull();
  });
});

describe('finding the recursive CTEs', () => {
  it('through AS MATERIALIZED and AS NOT MATERIALIZED', () => {
    const m = 'WITH RECURSIVE c(x) AS MATERIALIZED (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT * FROM c';
    expect(recursiveCtes(m)).toEqual([{ name: 'c', limit: null }]);
    expect(recursiveCtes(m.replace('MATERIALIZED', 'NOT MATERIALIZED'))).toEqual([
      { name: 'c', limit: null },
    ]);
  });

  it('by its name however quoted, in the declaration or in the reference', () => {
    expect(recursiveCtes(counter('LIMIT 3', '"Walk"', 'walk'))).toEqual([{ name: 'walk', limit: 3 }]);
    expect(recursiveCtes(counter('LIMIT 3', 'walk', '"walk"'))).toEqual([{ name: 'walk', limit: 3 }]);
    expect(recursiveCtes(counter('LIMIT 3', '[walk]', '`walk`'))).toEqual([{ name: 'walk', limit: 3 }]);
  });

  it("named by a string, as SQLite allows ('c'), referred to by name or by string in FROM", () => {
    const bare = "WITH 'c'(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
    expect(recursiveCtes(bare)).toEqual([{ name: 'c', limit: null }]);
    expect(recursiveCtes("WITH 'c'(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t JOIN 'c' LIMIT 3) SELECT 1")).toEqual([
      { name: 'c', limit: 3 },
    ]);
    // In a trigger body no plan shows the recursion: this text is all that stands before a hang.
    expect(runawayReason(`CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log ${bare}; END`)).toMatch(
      /without LIMIT refused/,
    );
    // A string elsewhere is a value, not a reference.
    expect(recursiveCtes("WITH c AS (SELECT 'c' UNION SELECT 'd') SELECT * FROM c")).toEqual([]);
  });

  it('the second of several CTEs, after one with a column list and one without', () => {
    const sql =
      'WITH a(p, q) AS (SELECT 1, 2), b AS (SELECT 3), c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 7) SELECT * FROM a, b, c';
    expect(recursiveCtes(sql)).toEqual([{ name: 'c', limit: 7 }]);
  });

  it('only a reference in FROM: not a column or a string value of the same name', () => {
    for (const body of [
      'SELECT total FROM orders UNION ALL SELECT 0',
      'SELECT sum(total) FROM orders UNION ALL SELECT 0',
      'SELECT a, total FROM orders UNION ALL SELECT 0, 0',
      'SELECT a FROM orders WHERE b IN (1, total) UNION ALL SELECT 0',
      'SELECT a FROM orders ORDER BY a, total UNION ALL SELECT 0',
      'SELECT 0, 0 FROM orders UNION ALL SELECT a, total FROM items',
      'SELECT a FROM orders WHERE total > 0 UNION ALL SELECT 0',
      'SELECT a, (SELECT 1 FROM t), total FROM orders UNION ALL SELECT 0, 0, 0',
      "VALUES ('a'), ('total') UNION ALL SELECT 'b'",
      'SELECT a FROM orders GROUP BY a, total UNION ALL SELECT 0',
      'SELECT sum(a) OVER w FROM orders WINDOW w AS (ORDER BY a), total AS (ORDER BY b) UNION ALL SELECT 0',
      "SELECT upper('total') FROM orders UNION ALL SELECT 0",
    ]) {
      const sql = `WITH total AS (${body}) SELECT * FROM total`;
      expect(recursiveCtes(sql), body).toEqual([]);
      expect(runawayReason(sql), body).toBeNull();
    }
    // In a FROM list, after a join's ON or a table's INDEXED BY, it is one.
    for (const from of [
      'orders JOIN items ON items.o = orders.id, total',
      'orders INDEXED BY oi, total',
      'orders, (total)',
      '(SELECT 1) AS s, total',
    ]) {
      expect(recursiveCtes(`WITH total(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ${from} LIMIT 9) SELECT 1`), from).toEqual([
        { name: 'total', limit: 9 },
      ]);
    }
  });

  it('none without WITH, and none for a CTE that does not refer to itself', () => {
    expect(recursiveCtes('SELECT 1 UNION SELECT 2')).toEqual([]);
    expect(recursiveCtes('WITH a AS (SELECT 1 UNION SELECT 2) SELECT * FROM a')).toEqual([]);
  });
});

describe('edges of the LIMIT and of the CTE list', () => {
  it('a negative OFFSET counts as none, in both spellings (SQLite reads it as 0)', () => {
    expect(recursiveCtes(counter('LIMIT 10 OFFSET -5'))).toEqual([{ name: 'c', limit: 10 }]);
    expect(recursiveCtes(counter('LIMIT -5, 10'))).toEqual([{ name: 'c', limit: 10 }]);
  });

  it('a LIMIT computed by a call is not a constant, whatever its arguments', () => {
    expect(recursiveCtes(counter('LIMIT max(1, -1)'))).toEqual([{ name: 'c', limit: Infinity }]);
    // …and a comma inside the OFFSET's call does not turn the LIMIT before it into a count.
    expect(recursiveCtes(counter('LIMIT -1 OFFSET max(2, 3)'))).toEqual([{ name: 'c', limit: null }]);
  });

  it('refers to itself by name only: a number in the body is not the CTE called "1"', () => {
    expect(recursiveCtes('WITH "1"(x) AS (SELECT 1 UNION ALL SELECT 2) SELECT * FROM "1"')).toEqual([]);
  });

  it('in parentheses, as SQLite allows in FROM: (c), (\'c\'), ((\'c\'))', () => {
    expect(recursiveCtes(counter('LIMIT 3', 'c', '(c)'))).toEqual([{ name: 'c', limit: 3 }]);
    for (const ref of ["('c')", "(('c'))"]) {
      expect(recursiveCtes(`WITH 'c'(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM ${ref}) SELECT 1`), ref).toEqual([
        { name: 'c', limit: null },
      ]);
    }
  });

  it('a string refers to the CTE right after FROM or a comma of the FROM list', () => {
    expect(recursiveCtes("WITH 'c'(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM 'c' LIMIT 4) SELECT 1")).toEqual([
      { name: 'c', limit: 4 },
    ]);
    expect(recursiveCtes("WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM t, 'c') SELECT 1")).toEqual([
      { name: 'c', limit: null },
    ]);
  });

  it('the list ends at the first CTE not followed by a comma, even with another WITH later in the text', () => {
    const sql =
      'WITH a AS (SELECT 1) SELECT b FROM a; WITH b(x) AS (SELECT 1 UNION SELECT x + 1 FROM b LIMIT 5) SELECT x FROM b';
    expect(recursiveCtes(sql)).toEqual([{ name: 'b', limit: 5 }]);
  });
});

describe('a malformed or cut-short WITH names no CTE and throws nothing (SQLite reports the syntax error)', () => {
  it.each([
    'WITH',
    'SELECT 1 WITH RECURSIVE',
    'WITH c AS',
    'WITH c AS NOT',
    // No AS outside the parentheses: the AS inside them is not the CTE's.
    'WITH c (x AS (SELECT 1 UNION SELECT 2 FROM c)) SELECT 1',
    '(SELECT 1 UNION SELECT x FROM c) WITH c',
    // A number is no name, even one the body quotes; a body cannot open with a string.
    'WITH 5 AS (SELECT 1 UNION SELECT x FROM "5")',
    "WITH c AS ('c' UNION SELECT 1)",
    // A body not in parentheses.
    'WITH c AS SELECT 1 UNION SELECT x FROM c',
  ])('%s', (sql) => {
    expect(recursiveCtes(sql)).toEqual([]);
    expect(runawayReason(sql)).toBeNull();
  });

  it('a text that ends right after the body still has its CTE', () => {
    expect(recursiveCtes('WITH c AS (SELECT 1 UNION SELECT 1 FROM c)')).toEqual([{ name: 'c', limit: null }]);
  });
});
