import { MAX_RANDOMBLOB_BYTES } from './size';
import { significant, stringValue, tokenize, type Token } from './tokenizer';

export interface RewriteEnv {
  nowMs: number;
  randomInt64: () => bigint;
  randomBytes: (n: number) => Uint8Array;
}

/** Cheap pre-check: SQL without any of these words cannot need a rewrite. */
const MAYBE = /random|current_|now/i;
const DATE_FUNCS = new Set(['date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime']);
const CURRENT: Record<string, (iso: string) => string> = {
  current_timestamp: (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
  current_date: (iso) => iso.slice(0, 10),
  current_time: (iso) => iso.slice(11, 19),
};

interface Edit {
  start: number;
  end: number;
  text: string;
}

const HEX_DIGITS = new TextEncoder().encode('0123456789ABCDEF');
const ascii = new TextDecoder();
/**
 * Upper-case hex of `b`, written as bytes and decoded once: a string per byte made a 1 MB
 * randomblob() cost the leader about 0.35 s of CPU (warm) before its write was even proposed; this is about 10 ms.
 */
function hex(b: Uint8Array): string {
  const out = new Uint8Array(b.length * 2);
  for (let i = 0; i < b.length; i++) {
    out[2 * i] = HEX_DIGITS[b[i] >> 4];
    out[2 * i + 1] = HEX_DIGITS[b[i] & 15];
  }
  return ascii.decode(out);
}

/**
 * Token ranges of column DEFAULT expressions: evaluated at apply time, left alone. DEFAULT is a
 * reserved word, so unquoted it can only start a column's default (CREATE TABLE, ALTER TABLE ADD
 * COLUMN, in whichever statement of the text) or be `DEFAULT VALUES`, whose range holds nothing to
 * rewrite.
 */
function defaultRanges(toks: Token[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].kind !== 'word' || toks[i].text.toLowerCase() !== 'default') continue;
    let j = i + 1;
    if (toks[j]?.text === '(') {
      let depth = 0;
      for (; j < toks.length; j++) {
        if (toks[j].text === '(') depth++;
        else if (toks[j].text === ')' && --depth === 0) break;
      }
    } else if (toks[j]?.text === '-' || toks[j]?.text === '+') j++;
    if (j < toks.length) ranges.push([toks[i].start, toks[j].end]);
  }
  return ranges;
}

/**
 * Replace RANDOM(), RANDOMBLOB(N), CURRENT_TIMESTAMP/DATE/TIME and 'now' in date functions with
 * values computed by the leader, as rqlite does, so every node applies identical SQL. Works on
 * tokens: literals, quoted identifiers and comments are never touched, and all other text is
 * kept byte for byte.
 */
export function rewriteSql(sql: string, env: RewriteEnv): string {
  if (!MAYBE.test(sql)) return sql;
  const all = tokenize(sql);
  const toks = significant(all);
  const exempt = defaultRanges(toks);
  const inDefault = (t: Token) => exempt.some(([a, b]) => t.start >= a && t.end <= b);
  const iso = new Date(env.nowMs).toISOString();
  const edits: Edit[] = [];
  const calls: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const word = t.kind === 'word' ? t.text.toLowerCase() : '';
    const next = toks[i + 1];
    const isCall = next?.text === '(' && toks[i - 1]?.text !== '.';
    if (t.text === '(') calls.push(toks[i - 1]?.kind === 'word' ? toks[i - 1].text.toLowerCase() : '');
    else if (t.text === ')') calls.pop();
    if (inDefault(t)) continue;
    if (word === 'random' && isCall && toks[i + 2]?.text === ')') {
      const v = env.randomInt64();
      edits.push({ start: t.start, end: toks[i + 2].end, text: v < 0n ? `(${v})` : `${v}` });
      i += 2;
    } else if (word === 'randomblob' && isCall && toks[i + 2]?.kind === 'number' && toks[i + 3]?.text === ')' && Number(toks[i + 2].text) <= MAX_RANDOMBLOB_BYTES) {
      // A larger size is left as written: every node then refuses it alike (size.ts), with a
      // clear error, instead of the leader writing megabytes of hex into the log.
      const n = Math.max(1, Math.floor(Number(toks[i + 2].text)));
      edits.push({ start: t.start, end: toks[i + 3].end, text: `X'${hex(env.randomBytes(n))}'` });
      i += 3;
    } else if (word in CURRENT && !isCall) {
      edits.push({ start: t.start, end: t.end, text: `'${CURRENT[word](iso)}'` });
    } else if (t.kind === 'string' && stringValue(t).toLowerCase() === 'now' && DATE_FUNCS.has(calls[calls.length - 1] ?? '')) {
      edits.push({ start: t.start, end: t.end, text: `'${iso.slice(0, 10)} ${iso.slice(11, 23)}'` });
    }
  }
  if (edits.length === 0) return sql;
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += sql.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + sql.slice(at);
}

/** Whether the leader would rewrite this SQL (for the UI to point it out). */
export function isNonDeterministic(sql: string): boolean {
  const probe: RewriteEnv = { nowMs: 0, randomInt64: () => 0n, randomBytes: (n) => new Uint8Array(n) };
  return rewriteSql(sql, probe) !== sql;
}
