import { tokenize, type Token } from './tokenizer';

/**
 * Where one statement ends and the next begins, decided by SQLite's lexical rules (tokenizer.ts), so
 * a `;` inside a string, a quoted name, a comment or a trigger's body splits nothing (`SELECT 'a;b'`
 * and `SELECT 1 -- a; b` are one statement each). Every place that splits SQL into statements uses this.
 */

const isCode = (t: Token) => t.kind !== 'space' && t.kind !== 'comment';
const word = (t: Token | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : '');

/** [EXPLAIN [QUERY PLAN]] CREATE [TEMP|TEMPORARY] TRIGGER: its body holds `;`s of its own. */
function isTrigger(code: readonly Token[]): boolean {
  let k = 0;
  if (word(code[k]) === 'explain') k += word(code[k + 1]) === 'query' ? 3 : 1;
  if (word(code[k]) !== 'create') return false;
  k++;
  if (word(code[k]) === 'temp' || word(code[k]) === 'temporary') k++;
  return word(code[k]) === 'trigger';
}

/** A trigger ends at the `;` after `; END`, as in SQLite's sqlite3_complete(): a CASE … END inside does not end it. */
function triggerEnded(code: readonly Token[]): boolean {
  const n = code.length;
  return word(code[n - 1]) === 'end' && code[n - 2]?.text === ';';
}

/**
 * The statements among `tokens` (with or without spaces and comments), each as its tokens without
 * the closing `;`. A piece with nothing but spaces and comments is no statement and is left out.
 */
export function statementTokens(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let code: Token[] = [];
  for (const t of tokens) {
    const ends = t.kind === 'op' && t.text === ';' && (!isTrigger(code) || triggerEnded(code));
    if (!ends) {
      cur.push(t);
      if (isCode(t)) code.push(t);
      continue;
    }
    if (code.length > 0) out.push(cur);
    cur = [];
    code = [];
  }
  if (code.length > 0) out.push(cur);
  return out;
}

/**
 * The statements of a script as text, trimmed; comments before and inside a statement are kept, a
 * comment after its last token is not (SQLite would name a result column `'x' -- note` after it).
 */
export function splitStatements(sql: string): string[] {
  return statementTokens(tokenize(sql)).map((s) => {
    let last = s.length - 1;
    while (!isCode(s[last])) last--;
    return sql.slice(s[0].start, s[last].end).trim();
  });
}
