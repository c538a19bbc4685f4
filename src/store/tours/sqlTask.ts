import { isNonDeterministic } from '../../db/rewrite';
import { statementTokens } from '../../db/statements';
import { significant, tokenize, type Token } from '../../db/tokenizer';

/**
 * What a tour step asks the learner's SQL to do, judged on SQLite's tokens rather than on the text:
 * `-- insert` in a comment or `'insert'` in a string is not an INSERT.
 */
export type SqlWant = 'insert' | 'nondeterministic';

const INSERTS = new Set(['insert', 'replace']);

/** The verb of one statement: its first word, or after a WITH clause the first of its own verbs at depth 0. */
function verb(code: Token[]): string | undefined {
  const first = code[0]?.text.toLowerCase();
  if (first !== 'with') return first;
  let depth = 0;
  for (const t of code) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (INSERTS.has(w) || w === 'select' || w === 'update' || w === 'delete') return w;
    }
  }
  return undefined;
}

/** Does any of these statements do what the step wants? */
export function sqlDoes(want: SqlWant, statements: readonly { sql: string }[]): boolean {
  switch (want) {
    case 'insert':
      return statements.some((s) => statementTokens(tokenize(s.sql)).some((st) => INSERTS.has(verb(significant(st)) ?? '')));
    case 'nondeterministic':
      // The very test the leader applies before it rewrites a statement (db/rewrite.ts).
      return statements.some((s) => isNonDeterministic(s.sql));
  }
}

/** The step's wish in words, for a learner whose statement did not do it. */
export function describeWant(want: SqlWant): string {
  return want === 'insert' ? 'an INSERT' : 'a statement that uses random(), randomblob(), the time now or CURRENT_TIMESTAMP';
}
