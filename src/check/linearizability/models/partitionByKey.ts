import type { Operation } from '../types';

/** Split a history by key; partitions come in sorted key order so reports are stable. */
export function partitionByKey<I, O>(history: Operation<I, O>[], keyOf: (input: I) => string): Operation<I, O>[][] {
  const byKey = new Map<string, Operation<I, O>[]>();
  for (const o of history) {
    const k = keyOf(o.input);
    const list = byKey.get(k);
    if (list) list.push(o);
    else byKey.set(k, [o]);
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k) ?? []);
}
