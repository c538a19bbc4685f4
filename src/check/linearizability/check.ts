import { PartitionSearch } from './search';
import type { CheckInfo, CheckOptions, CheckOutcome, Model, Operation, PartitionReport } from './types';

export const DEFAULT_BUDGET = 10_000_000;
const FIRST_SLICE = 1000;

function validate<I, O>(history: Operation<I, O>[]): void {
  for (let i = 0; i < history.length; i++) {
    const { call, return: ret } = history[i];
    if (!Number.isFinite(call)) throw new Error(`operation ${i}: call time ${call} is not finite`);
    if (Number.isNaN(ret) || ret < call) throw new Error(`operation ${i}: returns (${ret}) before its call (${call})`);
  }
}

/**
 * Is `history` linearizable with respect to `model`? Partitions (the model's `partition`, e.g. one
 * per key) are checked independently, which is sound because linearizability is compositional.
 * One illegal partition makes the history illegal; otherwise any partition left undecided when
 * the step budget runs out makes it 'unknown'.
 */
export function checkOperations<S, I, O>(
  model: Model<S, I, O>,
  history: Operation<I, O>[],
  options: CheckOptions = {},
): CheckOutcome<I, O> {
  validate(history);
  const budget = options.budget ?? DEFAULT_BUDGET;
  const stopOnIllegal = options.stopOnIllegal ?? true;
  const parts = model.partition ? model.partition(history) : [history];
  const searches = parts.map((part) => new PartitionSearch(model, part));
  let steps = 0;
  let firstIllegal = -1;
  // Round robin with doubling slices: a partition that is quick to decide is decided early, and
  // one that explodes only spends about as much as the others put together.
  let open = searches.map((_, i) => i).filter((i) => searches[i].result === 'unknown');
  for (let slice = FIRST_SLICE; open.length > 0 && steps < budget; slice *= 2) {
    for (const i of open) {
      const s = searches[i];
      const before = s.steps;
      const r = s.run(Math.min(slice, budget - steps));
      steps += s.steps - before;
      if (r === 'illegal' && (firstIllegal === -1 || i < firstIllegal)) firstIllegal = i;
      if (steps >= budget) break;
    }
    if (firstIllegal !== -1 && stopOnIllegal) break;
    open = open.filter((i) => searches[i].result === 'unknown');
  }
  const partitions = searches.map((s, i): PartitionReport<I, O> => {
    const skipped = s.result === 'unknown' && s.steps === 0 && firstIllegal !== -1 && stopOnIllegal;
    return {
      result: skipped ? 'unchecked' : s.result,
      history: parts[i],
      longestPrefix: s.longest.map((k) => parts[i][k]),
      stuck: s.stuck.map((k) => parts[i][k]),
      steps: s.steps,
    };
  });
  const info: CheckInfo<I, O> = { partition: firstIllegal, partitions };
  const undecided = searches.some((s) => s.result === 'unknown');
  const result = firstIllegal !== -1 ? 'illegal' : undecided ? 'unknown' : 'ok';
  return { result, partitions: parts.length, steps, info };
}

/** A few lines for a person: where the first illegal partition broke. */
export function describeFailure<S, I, O>(model: Model<S, I, O>, outcome: CheckOutcome<I, O>): string {
  if (outcome.result !== 'illegal') return `history is ${outcome.result === 'ok' ? 'linearizable' : 'undecided'}`;
  const report = outcome.info.partitions[outcome.info.partition];
  const show = (o: Operation<I, O>): string => {
    const what = model.describeOperation ? model.describeOperation(o.input, o.output) : JSON.stringify([o.input, o.output]);
    return `client ${o.clientId} [${o.call}, ${o.return}] ${what}`;
  };
  const lines = [
    `partition ${outcome.info.partition} of ${outcome.partitions} is not linearizable`,
    `linearized ${report.longestPrefix.length} of ${report.history.length} operations:`,
    ...report.longestPrefix.slice(-5).map((o) => `  ${show(o)}`),
    'then none of these could come next:',
    ...report.stuck.map((o) => `  ${show(o)}`),
  ];
  return lines.join('\n');
}
