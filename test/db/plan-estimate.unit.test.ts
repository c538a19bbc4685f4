/**
 * estimateWork on hand-built EXPLAIN QUERY PLAN trees, one plan shape at a time: nested loops,
 * constant rows, materialized subqueries, recursive CTEs, correlated and scalar subqueries, and
 * alternatives that add up. Each pins a rule of plan.ts that mutation testing found unchecked.
 */
import { describe, expect, it } from 'vitest';
import { estimateWork, type PlanRow, type PlanSizes } from '../../src/db/plan';

const TABLES: Record<string, number> = { big: 10, mid: 5, small: 3, four: 4, six: 6, seven: 7 };

/** Sizes from TABLES; a name it does not know is a test failure, not a silent estimate. */
function sizes(limits: Record<string, number> = {}): PlanSizes {
  return {
    resolve: (name) => name,
    knows: (name) => name in TABLES || name in limits,
    loopRows: (table) => {
      if (!(table in TABLES)) throw new Error(`no such table in this plan: ${table}`);
      return TABLES[table];
    },
    recursionLimit: (name) => limits[name] ?? 0,
  };
}

/** Rows from an indented outline: two spaces per level, as `.eqp on` prints a plan. */
function plan(outline: string): PlanRow[] {
  const rows: PlanRow[] = [];
  const parents: number[] = [0];
  outline
    .split('\n')
    .filter((l) => l.trim() !== '')
    .forEach((line, i) => {
      const depth = (line.length - line.trimStart().length) / 2;
      const id = i + 1;
      rows.push({ id, parent: parents[depth], detail: line.trim() });
      parents[depth + 1] = id;
    });
  return rows;
}

describe('estimateWork', () => {
  it('sibling loops nest: each level visits the product of the loops down to it', () => {
    expect(estimateWork(plan('SCAN big\nSEARCH mid USING INDEX i (k=?)'), sizes())).toEqual({
      visited: 10 + 50,
      produced: 50,
    });
  });

  it('a constant row is one pass, not a table called "constant"', () => {
    expect(estimateWork(plan('SCAN CONSTANT ROW'), sizes())).toEqual({ visited: 1, produced: 1 });
  });

  it('a materialized subquery runs once and is then scanned as a table of its produced rows', () => {
    const p = plan('MATERIALIZE sub\n  SCAN big\n  SEARCH small\nSCAN sub');
    expect(estimateWork(p, sizes())).toEqual({ visited: 10 + 30 + 30, produced: 30 });
    expect(estimateWork(plan('CO-ROUTINE sub\n  SCAN mid\nSCAN sub'), sizes())).toEqual({
      visited: 5 + 5,
      produced: 5,
    });
  });

  it('a recursive CTE runs its setup once and its step LIMIT times, one queued row per step', () => {
    const p = plan(
      'MATERIALIZE walk\n  SETUP\n    SCAN CONSTANT ROW\n  RECURSIVE STEP\n    SCAN walk\nSCAN walk',
    );
    expect(estimateWork(p, sizes({ walk: 100 }))).toEqual({ visited: 1 + 100 * 1 + 100, produced: 100 });
    // No SETUP line (SQLite prints none when the anchor is folded away): the step alone.
    const bare = plan('MATERIALIZE walk\n  RECURSIVE STEP\n    SCAN walk\n    SEARCH small\nSCAN walk');
    expect(estimateWork(bare, sizes({ walk: 20 }))).toEqual({ visited: 20 * (1 + 3) + 20, produced: 20 });
  });

  it('a correlated subquery runs once per row of the loops before it; a scalar one runs once', () => {
    expect(estimateWork(plan('SCAN big\nCORRELATED SCALAR SUBQUERY 1\n  SEARCH small'), sizes())).toEqual({
      visited: 10 + 10 * 3,
      produced: 10,
    });
    expect(estimateWork(plan('SCAN big\nSCALAR SUBQUERY 1\n  SCAN seven'), sizes())).toEqual({
      visited: 10 + 7,
      produced: 10,
    });
  });

  it('alternatives run one after the other: their rows add up, then the loops below run over them', () => {
    const or = plan('MULTI-INDEX OR\n  INDEX 1\n    SEARCH four\n  INDEX 2\n    SEARCH six\nSEARCH small');
    expect(estimateWork(or, sizes())).toEqual({ visited: 4 + 6 + 10 + 30, produced: 30 });
    const union = plan('COMPOUND QUERY\n  LEFT-MOST SUBQUERY\n    SCAN four\n  UNION ALL\n    SCAN six');
    expect(estimateWork(union, sizes())).toEqual({ visited: 4 + 6 + 10, produced: 10 });
    const merge = plan('MERGE (UNION)\n  LEFT\n    SCAN four\n  RIGHT\n    SCAN six');
    expect(estimateWork(merge, sizes())).toEqual({ visited: 4 + 6 + 10, produced: 10 });
    // Inside a loop, each alternative runs once per outer row.
    const inner = plan('SCAN mid\nMULTI-INDEX OR\n  INDEX 1\n    SEARCH four\n  INDEX 2\n    SEARCH six');
    expect(estimateWork(inner, sizes())).toEqual({ visited: 5 + 5 * 4 + 5 * 6 + 50, produced: 50 });
  });

  it('a line is read by its first words: a name holding SCAN, MATERIALIZE, CORRELATED or MERGE changes nothing', () => {
    // As SQLite 3.54 prints `FROM big AS "big MATERIALIZE six"`: a scan of big, not a subquery.
    expect(estimateWork(plan('SCAN big MATERIALIZE six'), sizes())).toEqual({ visited: 10, produced: 10 });
    // A RIGHT JOIN's pass over unmatched rows is printed `RIGHT-JOIN <table name>`: it runs once.
    for (const name of ['x SCAN four', 'x CORRELATED four', 'x MERGE four', 'x COMPOUND QUERY four']) {
      const p = plan(`SCAN mid\nSCAN small\nRIGHT-JOIN ${name}\n  SCAN small`);
      expect(estimateWork(p, sizes()), name).toEqual({ visited: 5 + 15 + 3, produced: 15 });
    }
  });

  it('a CTE whose quoted name holds a line break never stands in for the table its name begins with', () => {
    // SQLite 3.54 prints such a name as it is: WITH "big<newline>x" AS MATERIALIZED (SELECT … FROM small)
    // SELECT … FROM big, "big<newline>x". Read as a CTE called big, it would make the table big look
    // three rows long. Read whole, the scan of it is the 3 materialized rows, once per row of big.
    const rows: PlanRow[] = [
      { id: 3, parent: 0, detail: 'MATERIALIZE big\nx' },
      { id: 6, parent: 3, detail: 'SCAN small' },
      { id: 16, parent: 0, detail: 'SCAN big' },
      { id: 18, parent: 0, detail: 'SCAN big\nx' },
    ];
    expect(estimateWork(rows, sizes())).toEqual({ visited: 3 + 10 + 10 * 3, produced: 30 });
  });

  it('a recursive CTE whose quoted name holds a line break still runs its step LIMIT times', () => {
    const rows: PlanRow[] = [
      { id: 2, parent: 0, detail: 'MATERIALIZE small\nx' },
      { id: 3, parent: 2, detail: 'SETUP' },
      { id: 4, parent: 3, detail: 'SCAN CONSTANT ROW' },
      { id: 5, parent: 2, detail: 'RECURSIVE STEP' },
      // The scan of the queue (one row an iteration, read by its whole name, not as the table
      // `small`), and a correlated scan of big per row.
      { id: 6, parent: 5, detail: 'SCAN small\nx' },
      { id: 7, parent: 5, detail: 'CORRELATED SCALAR SUBQUERY 1' },
      { id: 8, parent: 7, detail: 'SCAN big' },
      { id: 9, parent: 0, detail: 'SCAN small\nx' },
    ];
    expect(estimateWork(rows, sizes({ 'small\nx': 100 }))).toEqual({ visited: 1 + 100 * (1 + 10) + 100, produced: 100 });
  });

  it('leaves such as a temporary b-tree add no loop', () => {
    expect(estimateWork(plan('SCAN big\nUSE TEMP B-TREE FOR ORDER BY'), sizes())).toEqual({
      visited: 10,
      produced: 10,
    });
  });
});
