import { statementTokens } from './statements';
import { significant, tokenize, type Token } from './tokenizer';

const READ_STARTS = new Set(['select', 'with', 'values', 'explain', 'pragma']);
const WRITES = new Set(['insert', 'update', 'delete', 'replace', 'create', 'drop', 'alter', 'attach', 'detach', 'vacuum', 'reindex']);

/**
 * Whether every statement in `sql` only reads. Conservative: a query that could write is refused
 * (queries also run inside a savepoint that is always rolled back, so nothing can leak anyway).
 */
export function isReadOnly(sql: string): boolean {
  return statementTokens(significant(tokenize(sql))).every(readsOnly);
}

function readsOnly(statement: Token[]): boolean {
  const first = statement[0].kind === 'word' ? statement[0].text.toLowerCase() : '';
  if (!READ_STARTS.has(first)) return false;
  if (first === 'with') return !statement.some((t) => t.kind === 'word' && WRITES.has(t.text.toLowerCase()));
  if (first === 'pragma') return !statement.some((t) => t.kind === 'op' && t.text === '=');
  return true;
}

/** The single table named after the first top-level FROM, if the query reads just one. */
export function fromTable(sql: string): string | null {
  const toks = significant(tokenize(sql));
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.text.toLowerCase() === 'from') {
      const name = toks[i + 1];
      const after = toks[i + 2];
      if (!name || (name.kind !== 'word' && name.kind !== 'quoted')) return null;
      if (after && (after.text === ',' || /^(join|natural|cross|left|inner)$/i.test(after.text))) return null;
      if (name.kind !== 'quoted') return name.text;
      // Inside "…" and `…` a doubled quote stands for one ([…] has no escape).
      const q = name.text[0];
      return q === '[' ? name.text.slice(1, -1) : name.text.slice(1, -1).split(q + q).join(q);
    }
  }
  return null;
}
