import type { ConsoleEntry } from '../replay/types';

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
