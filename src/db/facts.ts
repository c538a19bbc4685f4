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
 *
 * Only the latest commands worked out are kept (the oldest forgotten first): the nodes apply an
 * entry within moments of one another, and a recorded run's checkpoints hold every entry of their
 * logs for good, so a cache keyed weakly by them kept the facts of every write of the run (about
 * 0.2 MB of heap a simulated minute at 10 writes/s). Facts asked for again later are worked out again.
 */
export const FACTS_KEPT = 1024;
const cache = new Map<readonly Statement[], CommandFacts>();
/**
 * The cached keys in the order they came, a ring: `oldest` is the next forgotten. A Map's own first
 * key is found by walking past every key deleted before it (up to FACTS_KEPT of them here), which
 * cost 0.4–0.5 µs a new command against 0.2 µs this way (200,000 of them, 1,024 kept).
 */
const order: (readonly Statement[])[] = [];
let oldest = 0;

export function commandFacts(cmd: Command): CommandFacts {
  let f = cache.get(cmd.statements);
  if (f === undefined) {
    if (order.length < FACTS_KEPT) order.push(cmd.statements);
    else {
      cache.delete(order[oldest]);
      order[oldest] = cmd.statements;
      oldest = (oldest + 1) % FACTS_KEPT;
    }
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
