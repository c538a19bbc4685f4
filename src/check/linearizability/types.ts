/**
 * One completed (or abandoned) client operation. Times only need to be comparable; the checker
 * never looks at their scale. An operation whose outcome the client never learned (a timeout, a
 * crash) has `return = Infinity`: the search may then place it anywhere after its call, including
 * after everything else, which is the same as "it never took effect".
 */
export interface Operation<I, O> {
  clientId: number;
  input: I;
  call: number;
  output: O;
  return: number;
}

/**
 * A sequential specification. `step` must be pure: the search keeps old states around and steps
 * from them again after backtracking.
 */
export interface Model<State, Input, Output> {
  init(): State;
  /** Whether `input` → `output` is legal from `state`, and the state after it. */
  step(state: State, input: Input, output: Output): [boolean, State];
  equal(a: State, b: State): boolean;
  /**
   * Optional: a hash consistent with `equal`. Worth giving when many different states can share
   * one set of linearized operations and `equal` is costly; otherwise the bitset alone buckets.
   */
  hash?(state: State): string;
  /** Optional P-compositionality: split into independent sub-histories (e.g. by key). */
  partition?(history: Operation<Input, Output>[]): Operation<Input, Output>[][];
  describeOperation?(input: Input, output: Output): string;
}

export type CheckResult = 'ok' | 'illegal' | 'unknown';

export interface CheckOptions {
  /**
   * Upper bound on search steps over all partitions (one step = one attempt to linearize or one
   * backtrack). Exceeding it gives 'unknown'. Steps, not milliseconds, so that a check is
   * deterministic and needs no clock. Default 10 million.
   */
  budget?: number;
  /** Stop at the first illegal partition (the others are reported 'unchecked'). Default true. */
  stopOnIllegal?: boolean;
}

export interface PartitionReport<I, O> {
  result: CheckResult | 'unchecked';
  /** The partition's operations, in the order the model's partition gave them. */
  history: Operation<I, O>[];
  /**
   * The longest sequence of operations the search managed to linearize, in linearization order:
   * the whole partition when it is linearizable, otherwise where it broke.
   */
  longestPrefix: Operation<I, O>[];
  /**
   * When illegal: the operations that could have come next after `longestPrefix` and none of
   * which the model accepted (or all of which led to dead ends already seen).
   */
  stuck: Operation<I, O>[];
  steps: number;
}

export interface CheckInfo<I, O> {
  /** Index of the first illegal partition, or -1. */
  partition: number;
  partitions: PartitionReport<I, O>[];
}

export interface CheckOutcome<I, O> {
  result: CheckResult;
  partitions: number;
  steps: number;
  info: CheckInfo<I, O>;
}
