/** Small helpers over the index's lists and maps (history.ts). */

/** A list of seqs (or rows) in order, read by position (a StepList). */
export interface SeqList {
  readonly length: number;
  at(i: number): number;
}

/** How many entries of `list` (in order: a SeqList or a JS array) are below `value`. */
export function countBelow(list: { readonly length: number; at(i: number): number | undefined }, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list.at(mid)! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function mapLists<L>(m: ReadonlyMap<string, L>, cut: (list: L) => L): Map<string, L> {
  const out = new Map<string, L>();
  for (const [k, list] of m) out.set(k, cut(list));
  return out;
}

/** The entries of `m` whose rows were kept, at the rows they moved to (-1: dropped). */
export function keptRows<K>(m: ReadonlyMap<K, number>, moved: (row: number) => number): Map<K, number> {
  const out = new Map<K, number>();
  for (const [k, row] of m) {
    const to = moved(row);
    if (to >= 0) out.set(k, to);
  }
  return out;
}

export function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
