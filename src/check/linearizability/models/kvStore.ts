import type { Model, Operation } from '../types';
import { partitionByKey } from './partitionByKey';

/** Porcupine's kv model: string values, a missing key reads as "". */
export type KvInput =
  | { f: 'get'; key: string }
  | { f: 'put'; key: string; value: string }
  | { f: 'append'; key: string; value: string };

/** `ok` (a get carries what it read), `fail` (did not happen) or `unknown` (with return = Infinity). */
export type KvOutput = { status: 'ok'; value?: string } | { status: 'fail' } | { status: 'unknown' };

export type KvOperation = Operation<KvInput, KvOutput>;

export const kvStore: Model<string, KvInput, KvOutput> = {
  init: () => '',
  step(state, input, output) {
    if (input.f === 'get') return [output.status !== 'ok' || (output.value ?? '') === state, state];
    if (output.status === 'fail') return [true, state];
    return [true, input.f === 'put' ? input.value : state + input.value];
  },
  equal: (a, b) => a === b,
  // Concurrent appends in different orders give many states for one set of operations: without
  // the state in the cache key they would all share one bucket.
  hash: (s) => s,
  partition: (history: KvOperation[]) => partitionByKey(history, (i) => i.key),
  describeOperation(input, output) {
    const outcome = output.status === 'ok' ? '' : ` (${output.status})`;
    if (input.f === 'get') {
      const read = output.status === 'ok' ? ` -> ${JSON.stringify(output.value ?? '')}` : outcome;
      return `get(${JSON.stringify(input.key)})${read}`;
    }
    return `${input.f}(${JSON.stringify(input.key)}, ${JSON.stringify(input.value)})${outcome}`;
  },
};
