import type { AnswerSink } from '../replay/simulation';
import type { ConsoleEntry, RunRecord } from '../replay/types';

/**
 * The console's entries are looked up by request id, nearly always a recent one (an answer to what
 * was just sent, the request being sent): searched from the end, a long class session's 20,000
 * entries cost a step or two, not a scan.
 */
export function entryIndex(entries: readonly ConsoleEntry[], id: number): number {
  let i = entries.length - 1;
  while (i >= 0 && entries[i].id !== id) i--;
  return i;
}

/**
 * The entries with request `id`'s entry changed by `patch`, in a new array (the store's state is
 * immutable), or null when there is no such entry. One copy of the array (a `slice`, a block copy
 * of references), not a `map` that calls a function per entry.
 */
export function patchEntry(
  entries: readonly ConsoleEntry[],
  id: number,
  patch: (e: ConsoleEntry) => ConsoleEntry,
): ConsoleEntry[] | null {
  const i = entryIndex(entries, id);
  if (i < 0) return null;
  const next = entries.slice();
  next[i] = patch(entries[i]);
  return next;
}

/** An answer as the cluster gave it: to request `id`, at simulated `time`. */
export interface HeldAnswer {
  readonly id: number;
  readonly answer: ConsoleEntry['answer'];
  readonly time: number;
}

/**
 * The entries with every answer in `held` written in, in one new array (null when none of them
 * has an entry): what a frame of the play loop brought, one copy of the console instead of one a
 * request.
 */
export function answerEntries(entries: readonly ConsoleEntry[], held: readonly HeldAnswer[]): ConsoleEntry[] | null {
  let next: ConsoleEntry[] | null = null;
  for (const { id, answer, time } of held) {
    const i = entryIndex(next ?? entries, id);
    if (i < 0) continue;
    next ??= entries.slice();
    next[i] = { ...next[i], answer, answeredAt: time };
  }
  return next;
}

/** The console of a recorded run before its replay: every request, none answered yet. */
export function entriesOfRun(run: RunRecord): ConsoleEntry[] {
  return run.inputs.flatMap((input) => {
    const a = input.action;
    if (a.kind !== 'request') return [];
    const sql = a.body.req.statements.map((st) => st.sql).join(';\n');
    return [{ id: a.id, sql, node: a.node, op: a.body, sentAt: input.time, answer: null, answeredAt: null, forgotten: false }];
  });
}

/**
 * Answers as a replay gives them, written into `entries` in place (they are not yet the store's):
 * a session of 20,000 requests copied its whole console once per answer while it was restored.
 */
export function answerInto(entries: ConsoleEntry[]): AnswerSink {
  const at = new Map(entries.map((e, i) => [e.id, i]));
  return (id, answer, time) => {
    const i = at.get(id);
    if (i !== undefined) entries[i] = { ...entries[i], answer, answeredAt: time };
  };
}
