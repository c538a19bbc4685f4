import { matching, significant, stringValue, tokenize, type Token } from './tokenizer';

/** Largest value one call may build: far above real use, far below what would stall sql.js. */
export const MAX_VALUE_BYTES = 10 * 1024 * 1024;
/** randomblob(N) is written into the log as a hex literal by the leader, so its cap is smaller. */
export const MAX_RANDOMBLOB_BYTES = 1024 * 1024;

/** The largest value a statement builds, as far as its literal arguments tell. */
export interface BuiltValue {
  bytes: number;
  /** The call, as the user wrote it, for the message. */
  call: string;
  limit: number;
}

const SIZED = new Set(['zeroblob', 'randomblob']);
const PRINTF = new Set(['printf', 'format']);

/**
 * sql.js cannot interrupt a statement, and building one huge value (randomblob(1e9) takes 14 s,
 * printf('%.*c', 1e9, 'x') a second and then runs out of memory) freezes the page and every node
 * applying it. Find the size each amplifying call would build from its constant arguments; a pure
 * function of the text, so every node refuses the same committed statement alike.
 */
export function builtValues(sql: string): BuiltValue[] {
  if (!/blob|printf|format/i.test(sql)) return [];
  const toks = significant(tokenize(sql));
  const out: BuiltValue[] = [];
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'word' || toks[i + 1].text !== '(' || toks[i - 1]?.text === '.') continue;
    const name = t.text.toLowerCase();
    if (!SIZED.has(name) && !PRINTF.has(name)) continue;
    const close = matching(toks, i + 1);
    const args = splitArgs(toks.slice(i + 2, close));
    const call = sql.slice(t.start, toks[close]?.end ?? sql.length);
    if (SIZED.has(name)) {
      const n = args.length === 1 ? constant(args[0]) : null;
      if (n !== null) out.push({ bytes: Math.max(0, Math.trunc(n)), call, limit: name === 'randomblob' ? MAX_RANDOMBLOB_BYTES : MAX_VALUE_BYTES });
    } else if (args[0]?.length === 1 && args[0][0].kind === 'string') {
      const bytes = printfSize(stringValue(args[0][0]), args.slice(1));
      if (bytes !== null) out.push({ bytes, call, limit: MAX_VALUE_BYTES });
    }
  }
  return out;
}

/** A refusal for a call that would build a value above its cap, or null. */
export function sizeReason(sql: string): string | null {
  const over = builtValues(sql).find((v) => v.bytes > v.limit);
  if (!over) return null;
  return `${short(over.call)} refused: it would build a value of ${over.bytes} bytes; at most ${over.limit / 1024 / 1024} MB (${over.limit} bytes). Use a smaller size.`;
}

function short(call: string): string {
  return call.length > 60 ? `${call.slice(0, 57)}...` : call;
}

/**
 * Bytes printf builds from a literal format: each conversion takes at least its width and its
 * precision (`%.5c` repeats the character five times). A `*` width takes the next argument;
 * when that is not a constant the size is unknown (null).
 */
function printfSize(format: string, args: Token[][]): number | null {
  let total = 0;
  let next = 0;
  const star = (): number | null => {
    const a = args[next++];
    return a ? constant(a) : 0;
  };
  const spec = /%([-+ 0#!,]*)(\*|\d+)?(?:\.(\*|\d+))?(l{0,2})([a-zA-Z%])/g;
  let last = 0;
  for (let m = spec.exec(format); m !== null; m = spec.exec(format)) {
    total += m.index - last;
    last = m.index + m[0].length;
    const width = m[2] === '*' ? star() : Number(m[2] ?? 0);
    const precision = m[3] === '*' ? star() : Number(m[3] ?? 0);
    if (width === null || precision === null) return null;
    if (m[5] !== '%') next++;
    total += Math.max(Math.abs(width), Math.abs(precision), 1);
  }
  return total + format.length - last;
}

function splitArgs(toks: Token[]): Token[][] {
  const args: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (t.text === ',' && depth === 0) {
      args.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length > 0 || args.length > 0) args.push(cur);
  return args;
}

/**
 * The value of a constant arithmetic expression (numbers, + - * / %, parentheses), or null when
 * it reads anything else (a column, a parameter, a function): its size is then not known here.
 */
export function constant(toks: Token[]): number | null {
  let k = 0;
  let depth = 0;
  const peek = () => toks[k]?.text;
  const primary = (): number | null => {
    const t = toks[k++];
    // Deeper than any real size: unknown, rather than a stack overflow on 20,000 parentheses.
    if (!t || ++depth > 100) return null;
    if (t.kind === 'number') {
      depth--;
      return Number(t.text.replace(/_/g, ''));
    }
    if (t.text === '-' || t.text === '+') {
      const v = primary();
      depth--;
      return v === null ? null : t.text === '-' ? -v : v;
    }
    if (t.text === '(') {
      const v = sum();
      depth--;
      return toks[k++]?.text === ')' ? v : null;
    }
    depth--;
    return null;
  };
  const product = (): number | null => {
    let v = primary();
    while (v !== null && (peek() === '*' || peek() === '/' || peek() === '%')) {
      const op = toks[k++].text;
      const r = primary();
      if (r === null) return null;
      v = op === '*' ? v * r : op === '/' ? (r === 0 ? 0 : v / r) : r === 0 ? 0 : v % r;
    }
    return v;
  };
  const sum = (): number | null => {
    let v = product();
    while (v !== null && (peek() === '+' || peek() === '-')) {
      const op = toks[k++].text;
      const r = product();
      if (r === null) return null;
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const v = sum();
  return v !== null && k === toks.length && Number.isFinite(v) ? v : null;
}
