import type { Reason, ReasonOf } from '../../raft/reasons';
import type { DecisionRef, DecisionTable } from './decisionTable';
import type { SeqList } from './lists';

// Searches along one server's decisions (rows of Why?'s decision table, in seq order), for History.

export function isCode<C extends Reason['code']>(
  d: DecisionRef,
  codes: readonly C[],
): d is DecisionRef & { reason: ReasonOf<C> } {
  return (codes as readonly string[]).includes(d.reason.code);
}

/** The latest row of `list` with a seq before `before`, one of `codes`, that `match` accepts. */
export function lastOf<C extends Reason['code']>(
  t: DecisionTable,
  list: SeqList,
  before: number,
  codes: readonly C[],
  match: (r: ReasonOf<C>) => boolean,
): (DecisionRef & { reason: ReasonOf<C> }) | undefined {
  const wanted = codes as readonly string[];
  for (let i = list.length - 1; i >= 0; i--) {
    const row = list.at(i);
    if (t.seq(row) >= before || !wanted.includes(t.code(row))) continue;
    const d = t.ref(row);
    if (isCode(d, codes) && match(d.reason)) return d;
  }
  return undefined;
}

/** The earliest row of `list` with a seq from `from` and before `before`, one of `codes`, that `match` accepts. */
export function firstOf<C extends Reason['code']>(
  t: DecisionTable,
  list: SeqList,
  from: number,
  before: number,
  codes: readonly C[],
  match: (r: ReasonOf<C>) => boolean,
): (DecisionRef & { reason: ReasonOf<C> }) | undefined {
  const wanted = codes as readonly string[];
  for (let i = 0; i < list.length; i++) {
    const row = list.at(i);
    const seq = t.seq(row);
    if (seq < from || seq >= before || !wanted.includes(t.code(row))) continue;
    const d = t.ref(row);
    if (isCode(d, codes) && match(d.reason)) return d;
  }
  return undefined;
}

/**
 * The row of `list` at or before seq `seq` that holds a reason equal to `reason` (an equal copy, as
 * an event rebuilt from dropped history carries) and is itself indexed by value (`isIndexed`).
 */
export function equalOf(
  t: DecisionTable,
  list: SeqList,
  seq: number,
  reason: Reason,
  isIndexed: (r: Reason, row: number) => boolean,
): DecisionRef | undefined {
  const text = JSON.stringify(reason);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.seq(list.at(mid)) <= seq) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const row = list.at(i);
    if (t.code(row) !== reason.code) continue;
    const r = t.reason(row);
    if (isIndexed(r, row) && JSON.stringify(r) === text) return t.ref(row);
  }
  return undefined;
}
