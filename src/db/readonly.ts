import { significant, tokenize } from './tokenizer';

const READ_STARTS = new Set(['select', 'with', 'values', 'explain', 'pragma']);
const WRITES = new Set(['insert', 'update', 'delete', 'replace', 'create', 'drop', 'alter', 'attach', 'detach', 'vacuum', 'reindex']);

/**
 * Whether every statement in `sql` only reads. Conservative: a query that could write is refused
 * (queries also run inside a savepoint that is always rolled back, so nothing can leak anyway).
 */
export function isReadOnly(sql: string): boolean {
  const toks = significant(tokenize(sql));
  let start = true;
  let first = '';
  for (const t of toks) {
    if (t.kind === 'op' && t.text === ';') {
      start = true;
      continue;
    }
    const word = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (start) {
      start = false;
      first = word;
      if (!READ_STARTS.has(first)) return false;
      continue;
    }
    if (first === 'with' && WRITES.has(word)) return false;
    if (first === 'pragma' && t.kind === 'op' && t.text === '=') return false;
  }
  return true;
}
