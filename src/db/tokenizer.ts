export type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'blob' | 'number' | 'word' | 'param' | 'op';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
}

const OPS = ['->>', '||', '<<', '>>', '<=', '>=', '==', '!=', '<>', '->'];

function isIdentStart(c: string): boolean {
  return /[A-Za-z_]/.test(c) || c.charCodeAt(0) > 127;
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 127;
}

/** Scan to the closing `close`, where a doubled `close` is an escaped one. Unterminated: to the end. */
function quotedEnd(sql: string, from: number, close: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== ']' && sql[i + 1] === close) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** SQLite's lexical structure, enough to tell code from literals, identifiers and comments. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number) => {
    out.push({ kind, start: i, end, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const n = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j])) j++;
      push('space', j);
    } else if (c === '-' && n === '-') {
      const j = sql.indexOf('\n', i);
      push('comment', j < 0 ? sql.length : j);
    } else if (c === '/' && n === '*') {
      const j = sql.indexOf('*/', i + 2);
      push('comment', j < 0 ? sql.length : j + 2);
    } else if ((c === 'x' || c === 'X') && n === "'") {
      push('blob', quotedEnd(sql, i + 1, "'"));
    } else if (c === "'") {
      push('string', quotedEnd(sql, i, "'"));
    } else if (c === '"' || c === '`') {
      push('quoted', quotedEnd(sql, i, c));
    } else if (c === '[') {
      push('quoted', quotedEnd(sql, i, ']'));
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(n))) {
      const m = /^(0[xX][0-9A-Fa-f]+|(\d[\d_]*)?(\.\d*)?([eE][+-]?\d+)?)/.exec(sql.slice(i));
      push('number', i + Math.max(1, m ? m[0].length : 1));
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < sql.length && isIdentPart(sql[j])) j++;
      push('word', j);
    } else if (c === '?' || ((c === ':' || c === '@' || c === '$') && n !== '' && isIdentPart(n))) {
      let j = i + 1;
      while (j < sql.length && isIdentPart(sql[j])) j++;
      push('param', j);
    } else {
      const op = OPS.find((o) => sql.startsWith(o, i));
      push('op', i + (op ? op.length : 1));
    }
  }
  return out;
}

export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** The text of a string literal token, with '' unescaped. */
export function stringValue(t: Token): string {
  return t.text.slice(1, t.text.endsWith("'") && t.text.length > 1 ? -1 : undefined).replace(/''/g, "'");
}

/** Index of the `)` that closes the `(` at `open` (the end of the list when it is never closed). */
export function matching(toks: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (toks[k].text === '(') depth++;
    else if (toks[k].text === ')' && --depth === 0) return k;
  }
  return toks.length;
}
