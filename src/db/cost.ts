import type { Database } from 'sql.js';
import { MAX_RECURSION_ROWS, recursiveCtes } from './guard';
import { estimateWork, type PlanRow, type PlanSizes, type Work } from './plan';
import { builtValues } from './size';
import { significant, tokenize, type Token } from './tokenizer';

/**
 * Rows a statement may visit. Measured in sql.js on the 2-core development machine (two tables of
 * 2,000 rows cross-joined, 4,000,000 row visits): a bare count(*) ran 15 M rows/s, a comparison per
 * row 6.5 M/s, string work 11 M/s, LIKE 2.9 M/s, ORDER BY 2.1 M/s, printf 3 M/s, GROUP BY 1.3 M/s;
 * a recursive CTE counts 5.6 M rows/s. Two million visits is then 0.15–1.5 s, about 0.7 s at a
 * typical 3 M rows/s: the page freezes for about a second at most.
 */
export const MAX_VISITED_ROWS = 2_000_000;
/** Bytes all the rows of a statement may build through zeroblob / randomblob / printf widths. */
export const MAX_BUILT_BYTES = 100 * 1024 * 1024;
/** Rows assumed for a table-valued function (json_each, …): its size is not known before it runs. */
const FUNCTION_ROWS = 1000;

/**
 * Why a statement would take too long or build too much, found before it runs from SQLite's own
 * plan (EXPLAIN QUERY PLAN runs nothing) and the row counts of the tables it reads. A pure function
 * of the statement and the database content, so every node refuses a committed statement alike.
 * Only statements with a SELECT (queries, INSERT … SELECT, subqueries, CTEs) can multiply rows;
 * others go through untouched, so plain INSERTs pay nothing.
 */
export function costReason(db: Database, sql: string): string | null {
  if (!/select/i.test(sql)) return null;
  const toks = significant(tokenize(sql));
  if (!toks.some((t) => t.kind === 'word' && t.text.toLowerCase() === 'select')) return null;
  const plan = explain(db, sql);
  if (plan === null) return null; // it does not prepare: running it fails the same way
  const sizes = new TableSizes(db, sql, toks);
  const endless = unboundedRecursion(plan, sizes);
  if (endless !== null) {
    return `recursive query "${endless}" refused: no LIMIT of at most ${MAX_RECURSION_ROWS} rows could be read for it (in the statement or the view that holds it), so it could run for ever; add LIMIT n to its recursive part`;
  }
  const work = estimateWork(plan, sizes);
  if (work.visited > MAX_VISITED_ROWS) {
    return (
      `statement refused: it would visit about ${Math.round(work.visited)} rows, more than the ${MAX_VISITED_ROWS} ` +
      'that take about a second here. Narrow it with a WHERE on an indexed column, join on indexed keys, or LIMIT a recursive query.'
    );
  }
  const perRow = builtValues(sql).reduce((s, v) => s + v.bytes, 0);
  const bytes = perRow * Math.max(1, work.produced);
  if (perRow > 0 && bytes > MAX_BUILT_BYTES) {
    return `statement refused: it would build about ${Math.round(bytes)} bytes (${perRow} per row over about ${Math.round(work.produced)} rows); at most ${MAX_BUILT_BYTES / 1024 / 1024} MB. Build smaller values or fewer rows.`;
  }
  return null;
}

/** The work estimate alone, for tests and the UI. */
export function estimate(db: Database, sql: string): Work | null {
  const plan = explain(db, sql);
  return plan === null ? null : estimateWork(plan, new TableSizes(db, sql, significant(tokenize(sql))));
}

/**
 * A recursive CTE in SQLite's own plan (its co-routine has a RECURSIVE STEP, whatever the SQL's
 * spelling, and through views) whose LIMIT the text does not bound: the backstop behind guard.ts.
 */
function unboundedRecursion(plan: PlanRow[], sizes: TableSizes): string | null {
  for (const step of plan) {
    if (step.detail !== 'RECURSIVE STEP') continue;
    const parent = plan.find((r) => r.id === step.parent);
    // `s`: a quoted name may hold a newline, and `.` alone would then match no name at all.
    const name = /^(?:CO-ROUTINE|MATERIALIZE) (.+)$/s.exec(parent?.detail ?? '')?.[1]?.toLowerCase();
    if (name === undefined) continue;
    const limit = sizes.textLimit(name);
    if (limit === undefined || limit === null || limit > MAX_RECURSION_ROWS) return name;
  }
  return null;
}

function explain(db: Database, sql: string): PlanRow[] | null {
  let stmt;
  try {
    stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  } catch {
    return null;
  }
  try {
    const rows: PlanRow[] = [];
    while (stmt.step()) {
      const [id, parent, , detail] = stmt.get();
      rows.push({ id: Number(id), parent: Number(parent), detail: String(detail) });
    }
    return rows;
  } catch {
    return null;
  } finally {
    stmt.free();
  }
}

const NOT_ALIAS = new Set(
  'where join inner left right full cross natural on using group order limit union except intersect window having outer set values indexed not returning as select from'.split(' '),
);

/** Words after which a comma no longer separates the tables of a FROM clause. */
const FROM_ENDS = new Set('select where group order limit having window union except intersect returning values set'.split(' '));

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;
const unquote = (t: Token) => (t.kind === 'quoted' ? t.text.slice(1, -1) : t.text).toLowerCase();

/** Answers the plan's questions from this database, each at most once per statement. */
class TableSizes implements PlanSizes {
  private counts = new Map<string, number>();
  private fanouts = new Map<string, number>();
  private aliases = new Map<string, string>();
  private limits = new Map<string, number>();
  private written: Map<string, number | null> | null = null;
  /** Every name in the schema, lower case (asked only when a plan line's name is in doubt). */
  private names: Set<string> | null = null;

  constructor(
    private readonly db: Database,
    private readonly sql: string,
    toks: Token[],
  ) {
    for (const cte of recursiveCtes(sql)) this.limits.set(cte.name, Math.min(cte.limit ?? MAX_RECURSION_ROWS, MAX_RECURSION_ROWS));
    // `FROM t AS x` / `JOIN t x` / `FROM a, t x`: the plan names the loop x. A comma separates
    // tables only in a FROM clause: `SELECT v small FROM …` names a column, not a table.
    const inFrom: boolean[] = [false];
    for (let i = 1; i + 1 < toks.length; i++) {
      const before = toks[i - 1].text.toLowerCase();
      if (before === '(') inFrom.push(false);
      else if (before === ')') inFrom.length = Math.max(1, inFrom.length - 1);
      else if (before === 'from' || before === 'join') inFrom[inFrom.length - 1] = true;
      else if (FROM_ENDS.has(before)) inFrom[inFrom.length - 1] = false;
      if (before !== 'from' && before !== 'join' && !(before === ',' && inFrom[inFrom.length - 1])) continue;
      if (toks[i].kind !== 'word' && toks[i].kind !== 'quoted') continue;
      let a = i + 1;
      if (toks[a].text.toLowerCase() === 'as') a++;
      const alias = toks[a];
      if (alias && (alias.kind === 'quoted' || (alias.kind === 'word' && !NOT_ALIAS.has(alias.text.toLowerCase())))) {
        this.aliases.set(unquote(alias), unquote(toks[i]));
      }
    }
  }

  resolve(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  knows(name: string): boolean {
    if (this.aliases.has(name) || this.limits.has(name) || this.textLimit(name) !== undefined) return true;
    this.names ??= new Set((this.db.exec('SELECT lower(name) FROM sqlite_master')[0]?.values ?? []).map((v) => String(v[0])));
    return this.names.has(name);
  }

  /**
   * The LIMIT written for a recursive CTE of this name, in the statement or in any view (the plan
   * inlines views); the largest when several share the name; null when one has none; undefined
   * when no text names it.
   */
  textLimit(name: string): number | null | undefined {
    if (this.written === null) {
      this.written = new Map();
      const views = this.db.exec("SELECT sql FROM sqlite_master WHERE type = 'view'")[0]?.values ?? [];
      for (const text of [this.sql, ...views.map((v) => String(v[0]))]) {
        for (const cte of recursiveCtes(text)) {
          const seen = this.written.get(cte.name);
          this.written.set(cte.name, seen === null || cte.limit === null ? null : Math.max(seen ?? 0, cte.limit));
        }
      }
    }
    return this.written.get(name);
  }

  recursionLimit(name: string): number {
    return this.limits.get(name) ?? Math.min(this.textLimit(name) ?? MAX_RECURSION_ROWS, MAX_RECURSION_ROWS);
  }

  loopRows(table: string, detail: string): number {
    if (/ VIRTUAL TABLE/.test(detail)) return FUNCTION_ROWS;
    if (!detail.startsWith('SEARCH ')) return this.count(table);
    const eq = [...(/\(([^()]*)\)\s*(?:LEFT-JOIN|RIGHT-JOIN)?$/.exec(detail)?.[1] ?? '').matchAll(/(\w+)=\?/g)].map((m) => m[1].toLowerCase());
    if (eq.length === 0) return this.count(table); // a range: conservatively the whole table
    if (/INTEGER PRIMARY KEY/.test(detail) || this.uniqueOn(table, detail, eq)) return 1;
    return this.fanout(table, eq);
  }

  private count(table: string): number {
    let n = this.counts.get(table);
    if (n === undefined) {
      n = this.scalar(`SELECT count(*) FROM ${quoteId(table)}`) ?? this.largestTable();
      this.counts.set(table, n);
    }
    return n;
  }

  /** A name the plan uses that is no table we can count: assume the largest table. */
  private largestTable(): number {
    const names = this.db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? [];
    return Math.max(1, ...names.map((v) => this.scalar(`SELECT count(*) FROM ${quoteId(String(v[0]))}`) ?? 1));
  }

  /** Whether the equality columns cover a UNIQUE index or the primary key: one row per probe. */
  private uniqueOn(table: string, detail: string, eq: string[]): boolean {
    const covers = (cols: string[]) => cols.length > 0 && cols.every((c) => eq.includes(c.toLowerCase()));
    if (/USING PRIMARY KEY/.test(detail)) {
      const info = this.db.exec(`PRAGMA table_info(${quoteId(table)})`)[0]?.values ?? [];
      return covers(info.filter((r) => Number(r[5]) > 0).map((r) => String(r[1])));
    }
    const index = /USING (?:COVERING )?INDEX (\S+)/.exec(detail)?.[1];
    if (!index) return false;
    const list = this.db.exec(`PRAGMA index_list(${quoteId(table)})`)[0]?.values ?? [];
    if (!list.some((r) => String(r[1]) === index && Number(r[2]) === 1)) return false;
    const cols = this.db.exec(`PRAGMA index_info(${quoteId(index)})`)[0]?.values ?? [];
    return covers(cols.map((r) => String(r[2])));
  }

  /**
   * Rows one equality probe can return: the largest group of equal keys. An index on a column
   * where every row holds the same value is no better than a scan, and a join on it multiplies.
   */
  private fanout(table: string, eq: string[]): number {
    const key = `${table}\u0000${eq.join('\u0000')}`;
    let f = this.fanouts.get(key);
    if (f === undefined) {
      const cols = eq.map(quoteId).join(', ');
      f = Math.max(1, this.scalar(`SELECT count(*) FROM ${quoteId(table)} GROUP BY ${cols} ORDER BY 1 DESC LIMIT 1`) ?? this.count(table));
      this.fanouts.set(key, f);
    }
    return f;
  }

  private scalar(sql: string): number | null {
    try {
      const v = this.db.exec(sql)[0]?.values[0]?.[0];
      return v === undefined ? 0 : Number(v);
    } catch {
      return null;
    }
  }
}
