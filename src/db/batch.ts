import type { Command, Statement } from './types';

/** Runs shorter than this are applied one statement at a time: the checks would cost more. */
export const MIN_BATCH = 4;

// Deliberately narrow: one plain INSERT/REPLACE/UPDATE/DELETE with nothing that could end, open or
// roll back a transaction. Anything else (a `;`, a comment first, CASE … END) is simply not batched.
const DML = /^\s*(insert|replace|update|delete)\b/i;
const UNSAFE = /;|\b(rollback|begin|commit|end|savepoint|release|pragma|vacuum|attach|detach)\b/i;

/**
 * Whether `cmd` ends the same applied inside a batch transaction with its neighbours as applied
 * alone in autocommit mode. A failing plain statement rolls back only itself either way; what
 * could roll back a whole transaction (INSERT OR ROLLBACK, a trigger's RAISE(ROLLBACK)) or behaves
 * differently inside one (deferred foreign keys, a page limit) is excluded here or by the
 * database-wide check in NodeDatabase.beginBatch.
 */
export function batchable(cmd: Command): boolean {
  return !cmd.transaction && batchableStatements(cmd.statements);
}

/** The part of `batchable` that depends on the text alone. */
export function batchableStatements(statements: readonly Statement[]): boolean {
  return statements.length > 0 && statements.every((s) => DML.test(s.sql) && !UNSAFE.test(s.sql));
}

/** SQLite's default page limit: a database that lowered it could fill up, which may abort a transaction. */
const DEFAULT_MAX_PAGE_COUNT = 4294967294;

/** One row: [triggers or ON CONFLICT ROLLBACK in the schema, foreign_keys, max_page_count]. */
export const BATCH_PRECONDITIONS =
  "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' OR sql LIKE '%ROLLBACK%'), (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT max_page_count FROM pragma_max_page_count)";

export function preconditionsHold(row: unknown[] | undefined): boolean {
  return row !== undefined && row[0] === 0 && row[1] === 0 && row[2] === DEFAULT_MAX_PAGE_COUNT;
}
