/**
 * A plain INSERT … VALUES with its literals taken out: the text with `?` where they stood, and their
 * values in order. Writes of one shape (`INSERT INTO t(k, v) VALUES (1, 'a')`, `… (2, 'b')` …) then
 * share one prepared statement, so SQLite parses and plans the shape once per connection instead of
 * once per write (NodeDatabase keeps them): parsing is most of what a small INSERT costs.
 */
export interface Template {
  readonly sql: string;
  readonly values: readonly TemplateValue[];
}

export type TemplateValue = number | string;

/**
 * Only literals whose bound value SQLite stores exactly as the literal: text without NUL (SQLite
 * reads the statement text only up to one; a bound value keeps it), and integers sql.js binds as
 * integers (it binds a larger JS number as a REAL, and a BigInt as text). Every other literal stays
 * in the text, so a float, a blob, NULL or a large integer is simply part of the shape.
 */
const MAX_BOUND_INTEGER = 2 ** 31 - 1;
/** More values than this and the statement is not worth a cached statement of its own. */
const MAX_VALUES = 100;
const FIRST_WORDS = /^\s*(insert|replace)\b/i;

// Character codes: the scan below runs once per logged write, so it reads codes, not substrings.
const SPACE = 32, TAB = 9, LF = 10, FF = 12, CR = 13;
const QUOTE = 39, DQUOTE = 34, BACKTICK = 96, LBRACKET = 91, RBRACKET = 93;
const LPAREN = 40, RPAREN = 41, COMMA = 44, MINUS = 45, SLASH = 47, STAR = 42;
const ZERO = 48, NINE = 57;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
/** SQLite's identifier characters (any non-ASCII one included), so `myvalues` is one word. */
const isIdent = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || isDigit(c) || c === 36 || c > 127;

/**
 * A scan of the few tokens this shape has, by SQLite's lexical rules: whitespace is the five ASCII
 * characters SQLite skips (any other is not a token SQLite knows, and the text is left alone).
 */
class Scan {
  i = 0;
  constructor(readonly sql: string) {}

  code(): number {
    return this.i < this.sql.length ? this.sql.charCodeAt(this.i) : -1;
  }

  /** Past spaces and comments; false for an unterminated block comment. */
  skip(): boolean {
    const s = this.sql;
    for (;;) {
      const c = this.code();
      if (c === SPACE || c === TAB || c === LF || c === FF || c === CR) this.i++;
      else if (c === MINUS && s.charCodeAt(this.i + 1) === MINUS) {
        const j = s.indexOf('\n', this.i);
        this.i = j < 0 ? s.length : j + 1;
      } else if (c === SLASH && s.charCodeAt(this.i + 1) === STAR) {
        const j = s.indexOf('*/', this.i + 2);
        if (j < 0) return false;
        this.i = j + 2;
      } else return true;
    }
  }

  /** Past a quoted string or name opened at i (a doubled closing character is an escaped one); false if unterminated. */
  quoted(close: number): boolean {
    const s = this.sql;
    let j = this.i + 1;
    for (;;) {
      if (j >= s.length) return false;
      if (s.charCodeAt(j) === close) {
        if (close !== RBRACKET && s.charCodeAt(j + 1) === close) j += 2;
        else break;
      } else j++;
    }
    this.i = j + 1;
    return true;
  }

  /** Past an identifier or keyword; returns where it began. */
  word(): number {
    const from = this.i;
    while (this.i < this.sql.length && isIdent(this.sql.charCodeAt(this.i))) this.i++;
    return from;
  }

  /** Whether the word from `from` to here is `lower` (lower-case ASCII) in any case; compared in place, once per write. */
  was(from: number, lower: string): boolean {
    if (this.i - from !== lower.length) return false;
    for (let k = 0; k < lower.length; k++) if ((this.sql.charCodeAt(from + k) | 0x20) !== lower.charCodeAt(k)) return false;
    return true;
  }

  /** Whether what follows a literal ends it: a space, a comment, `,` or `)`. */
  delimited(): boolean {
    const c = this.code();
    return c === SPACE || c === TAB || c === LF || c === FF || c === CR || c === COMMA || c === RPAREN || c === MINUS || c === SLASH;
  }
}

/** Move the scan to just after the VALUES keyword of the statement; false if there is none or it is not the rows inserted. */
function toValues(p: Scan): boolean {
  const s = p.sql;
  let depth = 0;
  while (p.skip() && p.i < s.length) {
    const c = p.code();
    if (c === LPAREN || c === RPAREN) {
      depth += c === LPAREN ? 1 : -1;
      p.i++;
    } else if (c === QUOTE || c === DQUOTE || c === BACKTICK) {
      if (!p.quoted(c)) return false;
    } else if (c === LBRACKET) {
      if (!p.quoted(RBRACKET)) return false;
    } else if (isIdent(c) && !isDigit(c)) {
      const from = p.word();
      if (p.was(from, 'values')) return depth === 0;
      // A SELECT or WITH first would make any VALUES a subquery's, not the rows inserted.
      if (p.was(from, 'select') || p.was(from, 'with')) return false;
    } else p.i++;
  }
  return false;
}

/**
 * The template of `sql`, or null unless it is exactly one `INSERT`/`REPLACE … VALUES (…), (…)` whose
 * tuples hold nothing but integer and string literals and NULL (a `-` before a literal allowed),
 * with nothing after the last tuple (no upsert, no RETURNING: their column names and plans could
 * depend on the literals). What precedes VALUES is kept as written: an error it causes is raised
 * the same when the template is prepared.
 */
export function templateOf(sql: string): Template | null {
  if (!FIRST_WORDS.test(sql) || sql.includes(';')) return null;
  const p = new Scan(sql);
  if (!toValues(p)) return null;
  let out = '';
  let from = 0;
  const values: TemplateValue[] = [];
  for (;;) {
    if (!p.skip() || p.code() !== LPAREN) return null;
    p.i++;
    for (;;) {
      if (!p.skip()) return null;
      if (p.code() === MINUS) {
        p.i++;
        if (!p.skip()) return null;
      }
      const start = p.i;
      const c = p.code();
      let value: TemplateValue | null = null;
      if (c === QUOTE) {
        if (!p.quoted(QUOTE)) return null;
        const raw = sql.slice(start + 1, p.i - 1);
        const text = raw.includes("''") ? raw.replace(/''/g, "'") : raw;
        if (!text.includes('\u0000')) value = text;
      } else if (isDigit(c)) {
        while (isDigit(p.code())) p.i++;
        // 1.5, 1e3, 0x10, 1_000: not an integer literal this scan knows; the text is left alone.
        if (!p.delimited()) return null;
        const n = Number(sql.slice(start, p.i));
        if (n <= MAX_BOUND_INTEGER) value = n;
      } else if (isIdent(c)) {
        if (!p.was(p.word(), 'null') || !p.delimited()) return null;
      } else return null;
      if (value !== null) {
        if (values.length === MAX_VALUES) return null;
        out += sql.slice(from, start) + '?';
        from = p.i;
        values.push(value);
      }
      if (!p.skip()) return null;
      const sep = p.code();
      p.i++;
      if (sep === RPAREN) break;
      if (sep !== COMMA) return null;
    }
    if (!p.skip()) return null;
    if (p.i >= sql.length) break;
    if (p.code() !== COMMA) return null;
    p.i++;
  }
  return values.length === 0 ? null : { sql: out + sql.slice(from), values };
}
