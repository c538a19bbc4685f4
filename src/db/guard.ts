import { constant } from './size';
import { matching, significant, tokenize, type Token } from './tokenizer';

/** Largest LIMIT a recursive CTE may have: about a second of work in sql.js. */
export const MAX_RECURSION_ROWS = 1_000_000;

/**
 * sql.js has no progress handler, so a statement that never ends would freeze the page and every
 * node applying it. Refuse the classic runaway, a recursive CTE with no (or a huge) LIMIT, before
 * it runs. The check is pure, so every node refuses the same committed statement the same way.
 */
export function runawayReason(sql: string): string | null {
  for (const { limit } of recursiveCtes(sql)) {
    if (limit === null) return 'recursive query without LIMIT refused: it could run for ever (add LIMIT n to the recursive part)';
    if (limit > MAX_RECURSION_ROWS) return `recursive query LIMIT ${limit} refused: at most ${MAX_RECURSION_ROWS} rows`;
  }
  return null;
}

/** A CTE of WITH RECURSIVE that refers to itself through UNION, with its top-level LIMIT. */
export interface RecursiveCte {
  /** Lower-cased, unquoted: how EXPLAIN QUERY PLAN names its co-routine. */
  name: string;
  /** null without LIMIT; Infinity when the LIMIT is not a literal. */
  limit: number | null;
}

/**
 * Every CTE that refers to itself through a compound SELECT, however it is spelled: with or without
 * the RECURSIVE keyword (SQLite needs none), a quoted name, `AS [NOT] MATERIALIZED`, nested in a
 * subquery, a view or a trigger body.
 */
export function recursiveCtes(sql: string): RecursiveCte[] {
  if (!/with/i.test(sql)) return [];
  const toks = significant(tokenize(sql));
  const out: RecursiveCte[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'with')) continue;
    // Each CTE: name [(cols)] AS [NOT] [MATERIALIZED] ( body ), separated by commas.
    let j = isWord(toks[i + 1], 'recursive') ? i + 2 : i + 1;
    while (j < toks.length && isName(toks[j])) {
      const name = unquote(toks[j].text).toLowerCase();
      const asAt = findAs(toks, j);
      if (asAt < 0) break;
      let open = asAt + 1;
      if (isWord(toks[open], 'not')) open++;
      if (isWord(toks[open], 'materialized')) open++;
      if (toks[open]?.text !== '(') break;
      const end = matching(toks, open);
      const body = toks.slice(open + 1, end);
      const refersToItself = body.some((t, k) => isName(t) && unquote(t.text).toLowerCase() === name && inFrom(body, k));
      if (refersToItself && body.some((t) => isWord(t, 'union'))) out.push({ name, limit: topLevelLimit(body) });
      j = end + 1;
      if (toks[j]?.text !== ',') break;
      j++;
    }
  }
  return out;
}

/** A word, a quoted identifier, or a string: SQLite takes `'c'` as a name where a name must go. */
function isName(t: Token): boolean {
  return t.kind === 'word' || t.kind === 'quoted' || t.kind === 'string';
}

/**
 * The lists other than the FROM list whose commas a CTE's body can hold at the level of a name: the
 * result columns, GROUP BY, ORDER BY, WINDOW. (VALUES and function arguments are in parentheses.)
 */
const NOT_FROM = new Set(['select', 'group', 'order', 'window']);

/**
 * Whether the token at `k` is a table's place in a FROM clause: right after FROM or JOIN, after a
 * comma of the FROM list, or in parentheses there (`FROM (c)`). SQLite allows a CTE's recursive
 * reference nowhere else; elsewhere its name is a column (`SELECT total … UNION …` in a CTE called
 * total) or, quoted 'so', a value.
 */
function inFrom(body: Token[], k: number): boolean {
  const before = body[k - 1];
  if (isWord(before, 'from') || isWord(before, 'join')) return true;
  if (before?.text === '(') return inFrom(body, k - 1);
  if (before?.text !== ',') return false;
  // Back along the same level, over parentheses, to what opened the list.
  for (let m = k - 2, depth = 0; m >= 0; m--) {
    const t = body[m];
    if (t.text === ')') depth++;
    else if (t.text === '(' && depth-- === 0) return false;
    else if (depth === 0 && isWord(t, 'from')) return true;
    else if (depth === 0 && t.kind === 'word' && NOT_FROM.has(t.text.toLowerCase())) return false;
  }
  return false;
}

function unquote(name: string): string {
  return /^["'`[]/.test(name) ? name.slice(1, -1) : name;
}

function isWord(t: Token | undefined, w: string): boolean {
  return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === w;
}

function findAs(toks: Token[], from: number): number {
  for (let k = from; k < toks.length; k++) {
    if (isWord(toks[k], 'as')) return k;
    if (toks[k].text === '(') k = matching(toks, k);
  }
  return -1;
}

/**
 * The rows the body's top-level LIMIT lets through, OFFSET included (`LIMIT n OFFSET m`, `LIMIT m, n`);
 * null without LIMIT or with a negative one (SQLite's "no limit"); Infinity when it is not a constant.
 */
function topLevelLimit(body: Token[]): number | null {
  let depth = 0;
  for (let k = 0; k < body.length; k++) {
    if (body[k].text === '(') depth++;
    else if (body[k].text === ')') depth--;
    else if (depth === 0 && isWord(body[k], 'limit')) {
      const parts: Token[][] = [[]];
      let d = 0;
      let comma = false;
      for (const t of body.slice(k + 1)) {
        if (t.text === '(') d++;
        else if (t.text === ')') d--;
        if (d === 0 && (t.text === ',' || isWord(t, 'offset'))) {
          comma = t.text === ',';
          parts.push([]);
        } else parts[parts.length - 1].push(t);
      }
      const [a, b] = parts.map((p) => constant(p) ?? Infinity);
      const count = comma ? b : a;
      const offset = parts.length > 1 ? (comma ? a : b) : 0;
      if (count < 0) return null;
      return count + Math.max(0, offset);
    }
  }
  return null;
}
