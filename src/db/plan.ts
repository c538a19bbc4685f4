/** One row of EXPLAIN QUERY PLAN: SQLite's own description of the loops a statement will run. */
export interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/** What the estimate needs to know about the data, answered from the database. */
export interface PlanSizes {
  /** The table or CTE an alias in the plan stands for (the plan prints aliases), else the name. */
  resolve(name: string): string;
  /** Whether the statement or the schema knows this name (a table, view, CTE or alias), lower case. */
  knows(name: string): boolean;
  /** Rows a `SCAN table` / `SEARCH table …` line visits per pass. */
  loopRows(table: string, detail: string): number;
  /** The LIMIT of a recursive CTE (guard.ts has already refused one without). */
  recursionLimit(name: string): number;
}

export interface Work {
  /** Rows visited in all: the sum over loop levels of the nested-loop product. */
  visited: number;
  /** Rows the outermost loops produce: what a subquery hands to whoever scans it. */
  produced: number;
}

interface Node {
  detail: string;
  children: Node[];
}

function tree(rows: PlanRow[]): Node[] {
  const byId = new Map<number, Node>();
  const roots: Node[] = [];
  for (const r of rows) {
    const n: Node = { detail: r.detail, children: [] };
    byId.set(r.id, n);
    (byId.get(r.parent)?.children ?? roots).push(n);
  }
  return roots;
}

/**
 * Estimate the work of a statement from its plan, without running it. Sibling loops nest, so a
 * level visits the product of the loops above and including it; a correlated subquery runs once
 * per row of the loops before it; a materialized subquery or co-routine runs once and is then
 * scanned as a table of its produced rows; a recursive CTE runs its step LIMIT times.
 * Conservative where SQLite's plan hides the answer (a range search counts the whole table).
 */
export function estimateWork(rows: PlanRow[], sizes: PlanSizes): Work {
  return level(tree(rows), sizes, new Map());
}

/**
 * The name a SCAN or SEARCH line's loop goes by. The plan prints names unquoted ("big data AS
 * big 1 USING INDEX …"), so a name with a space cannot be read up to the first space: the longest
 * known name wins, an alias after AS before a table. Reading "big" there counted a 2,000-row table
 * as a 1-row one, and a join of three let eight billion row visits through as three.
 */
function loopName(rest: string, sizes: PlanSizes, subqueries: Map<string, number>): string {
  const known = (n: string) => subqueries.has(n) || sizes.knows(n);
  const longestKnown = (text: string): string | undefined => {
    for (let end = text.length; end > 0; end = text.lastIndexOf(' ', end - 1)) {
      const name = text.slice(0, end);
      if (known(name)) return name;
    }
    return undefined;
  };
  for (let at = rest.indexOf(' as '); at >= 0; at = rest.indexOf(' as ', at + 1)) {
    const alias = longestKnown(rest.slice(at + 4));
    if (alias !== undefined && known(rest.slice(0, at))) return alias;
  }
  return longestKnown(rest) ?? rest.split(' ')[0];
}

function level(nodes: Node[], sizes: PlanSizes, subqueries: Map<string, number>): Work {
  let loop = 1;
  let visited = 0;
  const enter = (n: number) => {
    loop *= Math.max(1, n);
    visited += loop;
  };
  for (const n of nodes) {
    const d = n.detail;
    // `s`: a quoted CTE name may hold a line break, and a recursive CTE must not hide behind one.
    const sub = /^(?:CO-ROUTINE|MATERIALIZE) (.+)/s.exec(d);
    const loopLine = /^(?:SCAN|SEARCH) (.+)/s.exec(d);
    if (d === 'SCAN CONSTANT ROW') enter(1);
    else if (sub) {
      const name = sub[1].toLowerCase();
      const step = n.children.find((c) => c.detail === 'RECURSIVE STEP');
      if (step) {
        const setup = level(n.children.find((c) => c.detail === 'SETUP')?.children ?? [], sizes, subqueries);
        const limit = sizes.recursionLimit(name);
        // Inside its step, the CTE's own name is the queue: one row per iteration.
        subqueries.set(name, 1);
        const each = level(step.children, sizes, subqueries);
        subqueries.set(name, limit);
        visited += setup.visited + limit * Math.max(1, each.visited);
      } else {
        const w = level(n.children, sizes, subqueries);
        subqueries.set(name, w.produced);
        visited += w.visited;
      }
    } else if (loopLine) {
      const name = sizes.resolve(loopName(loopLine[1].toLowerCase(), sizes, subqueries));
      enter(subqueries.get(name) ?? sizes.loopRows(name, d));
    } else if (/^CORRELATED /.test(d)) {
      visited += loop * level(n.children, sizes, subqueries).visited;
    } else if (d === 'MULTI-INDEX OR' || /^(?:COMPOUND QUERY|MERGE )/.test(d)) {
      // Alternatives run one after the other: their rows add up.
      let produced = 0;
      for (const part of n.children) {
        const w = level(part.children, sizes, subqueries);
        produced += w.produced;
        visited += loop * w.visited;
      }
      enter(produced);
    } else if (n.children.length > 0) {
      // SCALAR / LIST SUBQUERY, RIGHT-JOIN and whatever else holds loops: runs once here.
      visited += level(n.children, sizes, subqueries).visited;
    }
    // Leaves such as USE TEMP B-TREE or BLOOM FILTER add no loop of their own.
  }
  return { visited, produced: loop };
}
