import type { ExecuteResult } from './types';

/**
 * The results of a command applied where nobody reads them (a follower's apply, statementRunner.ts):
 * they only say which statements failed. While none has, nothing is made: every such command of
 * `n` statements gets the same frozen array of empty results (a push into it by mistake throws).
 */
const unread: ExecuteResult[][] = [];

export function unreadResults(n: number): ExecuteResult[] {
  return (unread[n] ??= Object.freeze(Array.from({ length: n }, () => Object.freeze({}))) as unknown as ExecuteResult[]);
}

/** `out` (made, with `i` empty results, if it was not yet) with statement `i`'s error. */
export function withError(out: ExecuteResult[] | null, i: number, error: string): ExecuteResult[] {
  const results = out ?? Array.from({ length: i }, (): ExecuteResult => ({}));
  results.push({ error });
  return results;
}
