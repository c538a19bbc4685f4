import { admissionRefusal, refusalText, type SqlPath } from './admission';
import { batchableStatements } from './batch';
import { runawayReason } from './guard';
import { mayChangeTables, wrappable } from './largestRowid';
import { sizeReason } from './size';
import { templateOf, type Template } from './template';
import type { Command, Statement } from './types';

/** Only SQL that can open a transaction needs the (exception-throwing) clean-up afterwards. */
const TXN_WORDS = /begin|savepoint/i;

/** Refusals that need only the text: what may not reach this path, endless recursion, values too large to build. */
export function staticRefusal(sql: string, path: SqlPath): string | null {
  const r = admissionRefusal(sql, path);
  if (r) return refusalText(r);
  return runawayReason(sql) ?? sizeReason(sql);
}

/** What the text of one logged statement says, before it meets any database. */
export interface StatementFacts {
  /** Why every node refuses it whatever its database holds (admission, recursion, sizes), or null. */
  readonly refusal: string | null;
  /** It may run inside the per-statement savepoint (largestRowid.ts). */
  readonly wrappable: boolean;
  /** It may create, drop or alter tables: the prepared largest-rowid check is built again. */
  readonly changesTables: boolean;
  /** It names SELECT somewhere, so its cost is estimated before it runs (cost.ts). */
  readonly select: boolean;
  /** Its shape and literals, when it runs as a cached prepared statement (template.ts), or null. */
  readonly template: Template | null;
}

/** What the text of one logged command says: the same on every node, so worked out once per entry. */
export interface CommandFacts {
  readonly statements: readonly StatementFacts[];
  /** Its text allows applying it inside one transaction with its neighbours (batch.ts; not if it is a transaction itself). */
  readonly batchableText: boolean;
  /** Some statement may open a transaction, so a dangling one is closed afterwards. */
  readonly mayOpenTransaction: boolean;
}

/**
 * Keyed by the command's statements array: a committed entry's data is one object that the
 * leader's log, the messages and every follower's log share, so each node applying it finds the
 * facts already worked out. A pure function of the text, so sharing them changes no outcome.
 */
const cache = new WeakMap<readonly Statement[], CommandFacts>();

export function commandFacts(cmd: Command): CommandFacts {
  let f = cache.get(cmd.statements);
  if (f === undefined) {
    f = {
      statements: cmd.statements.map((s) => ({
        refusal: staticRefusal(s.sql, 'log'),
        wrappable: wrappable(s.sql),
        changesTables: mayChangeTables(s.sql),
        select: /select/i.test(s.sql),
        template: s.params === undefined || s.params.length === 0 ? templateOf(s.sql) : null,
      })),
      batchableText: batchableStatements(cmd.statements),
      mayOpenTransaction: cmd.statements.some((s) => TXN_WORDS.test(s.sql)),
    };
    cache.set(cmd.statements, f);
  }
  return f;
}

/** batch.ts's `batchable`, from the facts. */
export function isBatchable(cmd: Command): boolean {
  return !cmd.transaction && commandFacts(cmd).batchableText;
}
