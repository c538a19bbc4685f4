import type { Operation } from './types';

/**
 * Porcupine's doubly linked list of call and return entries, sorted by time, held in typed arrays
 * (node 0 is the head sentinel) so that lifting and unlifting an operation allocates nothing.
 */
export interface EntryList {
  /** Number of operations. */
  n: number;
  next: Int32Array;
  prev: Int32Array;
  /** For a call node, its return node; -1 for a return node. */
  match: Int32Array;
  /** The operation index (into the partition) of each node. */
  op: Int32Array;
}

export function buildEntryList<I, O>(history: Operation<I, O>[]): EntryList {
  const n = history.length;
  // 2i = call of operation i, 2i + 1 = its return.
  const order = new Int32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) order[i] = i;
  const time = (e: number): number => {
    const o = history[e >> 1];
    return e & 1 ? o.return : o.call;
  };
  // At equal times calls go first, so that touching operations count as concurrent.
  order.sort((a, b) => time(a) - time(b) || (a & 1) - (b & 1) || a - b);

  const size = 2 * n + 1;
  const next = new Int32Array(size);
  const prev = new Int32Array(size);
  const match = new Int32Array(size).fill(-1);
  const op = new Int32Array(size).fill(-1);
  const nodeOf = new Int32Array(2 * n);
  for (let k = 0; k < 2 * n; k++) nodeOf[order[k]] = k + 1;
  for (let node = 0; node < size; node++) {
    next[node] = node + 1 < size ? node + 1 : -1;
    prev[node] = node - 1;
  }
  for (let i = 0; i < n; i++) {
    const c = nodeOf[2 * i];
    const r = nodeOf[2 * i + 1];
    if (r < c) throw new Error(`operation ${i} returns before it is called`);
    match[c] = r;
    op[c] = i;
    op[r] = i;
  }
  return { n, next, prev, match, op };
}

/** Take an operation (its call node and its return node) out of the list. */
export function lift(l: EntryList, call: number): void {
  const { next, prev } = l;
  next[prev[call]] = next[call];
  prev[next[call]] = prev[call];
  const ret = l.match[call];
  next[prev[ret]] = next[ret];
  if (next[ret] !== -1) prev[next[ret]] = prev[ret];
}

/** Undo the matching `lift` (must be done in reverse order of lifting). */
export function unlift(l: EntryList, call: number): void {
  const { next, prev } = l;
  const ret = l.match[call];
  next[prev[ret]] = ret;
  if (next[ret] !== -1) prev[next[ret]] = ret;
  next[prev[call]] = call;
  prev[next[call]] = call;
}
