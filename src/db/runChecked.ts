import type { Database, StatementIterator } from 'sql.js';
import { costReason } from './cost';
import type { StatementFacts } from './facts';
import type { PreparedTemplates } from './prepared';
import { bind } from './rows';
import type { Statement } from './types';

/** Finish a statement iterator we stop early, so it frees what it holds. */
function drain(it: StatementIterator): void {
  try {
    for (let r = it.next(); !r.done; r = it.next()) r.value.free();
  } catch {
    // a later statement that does not prepare: the iterator has freed itself
  }
}

/**
 * Run the statement(s) in s.sql as db.run would, estimating each one's cost just before it runs:
 * a later statement may read a table an earlier one filled. With params db.run runs the first
 * statement only, so does this.
 */
export function runChecked(db: Database, prepared: PreparedTemplates, s: Statement, facts: StatementFacts): void {
  // A write of a shape prepared before binds its literals instead of being parsed again (template.ts).
  if (facts.template !== null && !facts.select) return prepared.run(facts.template);
  const params = bind(s.params);
  if (params || !facts.select) {
    // With params db.run runs the first statement only, the one EXPLAIN explains; without a
    // SELECT nothing multiplies rows and costReason passes at once: the plain path, as before.
    const refused = facts.select ? costReason(db, s.sql) : null;
    if (refused !== null) throw new Error(refused);
    db.run(s.sql, params);
    return;
  }
  const it = db.iterateStatements(s.sql);
  for (let r = it.next(); !r.done; r = it.next()) {
    const stmt = r.value;
    try {
      const refused = costReason(db, stmt.getSQL());
      if (refused !== null) throw new Error(refused);
      while (stmt.step());
    } catch (e) {
      // Stop at the first failure, as db.run does, and free what the iterator still holds.
      stmt.free();
      drain(it);
      throw e;
    }
  }
}
