/**
 * The backstop behind guard.ts (cost.ts `unboundedRecursion`): a recursive CTE that SQLite's own
 * plan shows, whatever the text says, is refused unless a LIMIT of at most MAX_RECURSION_ROWS can
 * be read for it. Each case here is one the text check alone would let through, or one where the
 * plan holds more than one recursive CTE.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { costReason } from '../../src/db/cost';
import { runawayReason } from '../../src/db/guard';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const refusal = (name: string) =>
  `recursive query "${name}" refused: no LIMIT of at most 1000000 rows could be read for it (in the statement or the view that holds it), so it could run for ever; add LIMIT n to its recursive part`;

const empty = (): Database => new SQL.Database();

describe('the recursion backstop reads the plan, not the spelling', () => {
  it('refuses a recursive CTE whose name holds a newline and whose text the guard cannot read', () => {
    // The self-reference written as a string literal: SQLite reads it as the CTE, guard.ts does not.
    const sql = `WITH RECURSIVE "a\nb"(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM 'a\nb') SELECT count(*) FROM "a\nb"`;
    expect(runawayReason(sql)).toBeNull();
    expect(costReason(empty(), sql)).toBe(refusal('a\nb'));
  });

  it('refuses a recursive CTE whose self-reference is a string literal, which guard.ts does not read', () => {
    const sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM 'c') SELECT count(*) FROM c";
    expect(runawayReason(sql)).toBeNull();
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
});
