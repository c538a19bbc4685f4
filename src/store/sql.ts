import type { ClientOp, ReadLevel } from '../cluster/types';
import { isReadOnly } from '../db/readonly';
import { splitStatements } from '../db/statements';

export interface RequestSettings {
  level: ReadLevel;
  transaction: boolean;
  queue: boolean;
  timeout: number;
}

/**
 * The console's request for a script. Like rqlite's unified endpoint it takes the read path only
 * when every statement reads; statements and reads are told apart by the SQL tokenizer, as on the
 * nodes (a `;` in a string or a comment splits nothing).
 */
export function buildOp(script: string, s: RequestSettings): ClientOp | null {
  const statements = splitStatements(script).map((sql) => ({ sql }));
  if (statements.length === 0) return null;
  if (statements.every((st) => isReadOnly(st.sql))) {
    return { op: 'query', req: { statements, level: s.level, timeout: s.timeout, freshness: s.level === 'none' ? 0 : undefined } };
  }
  return { op: 'execute', req: { statements, transaction: s.transaction, queue: s.queue, timeout: s.timeout } };
}
