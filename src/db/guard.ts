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

export function recursiveCtes(sql: string): RecursiveCte[] {
  if (!/recursive/i.test(sql)) return [];
  const toks = significant(tokenize(sql));
  const out: RecursiveCte[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!isWord(toks[i], 'with') || !isWord(toks[i + 1], 'recursive')) continue;
    // Each CTE: name [(cols)] AS ( body ) — check every body that refers to itself through UNION.
    let j = i + 2;
    while (j < toks.length) {
      const name = unquote(toks[j].text).toLowerCase();
      const asAt = findAs(toks, j);
      if (asAt < 0 || toks[asAt + 1]?.text !== '(') break;
      const end = matching(toks, asAt + 1);
      const body = toks.slice(asAt + 2, end);
      if (body.some((t) => isWord(t, 'union'))) out.push({ name, limit: topLevelLimit(body) });
      j = end + 1;
      if (toks[j]?.text !== ',') break;
      j++;
    }
  }
  return out;
}

function unquote(name: string): string {
  return /^["`[]/.test(name) ? name.slice(1, -1) : name;
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

/** The literal LIMIT at the body's top level; Infinity when it is not a literal. */
function topLevelLimit(body: Token[]): number | null {
  let depth = 0;
  for (let k = 0; k < body.length; k++) {
    if (body[k].text === '(') depth++;
    else if (body[k].text === ')') depth--;
    else if (depth === 0 && isWord(body[k], 'limit')) {
      const n = body[k + 1];
      return n?.kind === 'number' ? Number(n.text) : Infinity;
    }
  }
  return null;
}
