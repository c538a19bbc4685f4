import type { ChaosOp, ChaosRun } from '../../drive/chaos/types';
import type { ReadLevel } from '../../cluster/types';
import { checkOperations, describeFailure } from '../linearizability/check';
import { registerKv } from '../linearizability/models/registerKv';
import type { CheckResult } from '../linearizability/types';
import { levelHistory, type RegisterOp } from './history';

/** Levels whose reads Raft promises to be linearizable: a failure there is a bug. */
export const GUARANTEED: readonly ReadLevel[] = ['strong', 'linearizable'];

export interface LevelVerdict {
  level: ReadLevel;
  result: CheckResult;
  /** Reads at this level that returned a value, and all operations checked with them. */
  reads: number;
  operations: number;
  steps: number;
  /** describeFailure's account of the first key that broke ('' when linearizable). */
  explanation: string;
  /** The key whose history broke, if one did. */
  key: string | null;
  /** Ids (ChaosOp.id) of the operations none of which could come next: where it broke. */
  stuck: number[];
  /** Ids of the operations linearized before it broke, in order. */
  prefix: number[];
  /** When the failure is a read that saw an overwritten value: which read, which value, and who overwrote it. */
  staleRead: StaleRead | null;
}

export interface StaleRead {
  read: number;
  value: number | null;
  /** The write of the value it saw (null for nil: the key had not been written yet). */
  wroteIt: number | null;
  /** The write that had already replaced that value, completed before the read began. */
  overwrittenBy: number;
}

/**
 * What a chaos run showed, by the one rule `npm run chaos` and the page share:
 *
 * - `fail`: Raft broke a promise, for certain: a safety violation, no convergence to one
 *   database, or a strong/linearizable level the checker proved not linearizable.
 * - `undecided`: nothing broke, but the checker ran out of its step budget on a strong or
 *   linearizable level before deciding it ('unknown').
 * - `pass`: nothing broke and every strong/linearizable level was proved linearizable.
 *
 * Unknown is not a pass: nothing was proved, so the page does not show it green and the CLI names
 * those seeds on a line of their own. Nor is it a failure: there is no counterexample to show, and
 * the CLI's exit status is to mean "Raft broke a promise" (1) so that a CI job fails on a bug and
 * not on a search that a larger budget (`--budget`) may finish. A definite failure outranks an
 * undecided level; `none` and `weak` may be stale, so their results never decide the outcome.
 */
export type RunOutcome = 'pass' | 'undecided' | 'fail';

export interface ChaosVerdict {
  levels: LevelVerdict[];
  outcome: RunOutcome;
  /** outcome === 'pass': safety held, one database, strong/linearizable reads proved linearizable. */
  ok: boolean;
}

export const DEFAULT_BUDGET = 2_000_000;

/**
 * Find a read that returned a value that a write finished before the read started had already
 * replaced: the textbook stale read.
 */
function findStaleRead(history: readonly ChaosOp[], stuck: RegisterOp[]): StaleRead | null {
  for (const s of stuck) {
    const read = history[s.id];
    if (read.req.f !== 'read' || read.outcome.status !== 'ok') continue;
    const value = read.outcome.value ?? null;
    const wroteIt = history.find((w) => w.key === read.key && w.req.f !== 'read' && w.req.value === value) ?? null;
    // Certainly later than the write it saw: invoked after that write had returned.
    const after = wroteIt ? wroteIt.return : -Infinity;
    const overwrite = history.find(
      (w) =>
        w.key === read.key &&
        w.req.f !== 'read' &&
        w.req.value !== value &&
        w.outcome.status === 'ok' &&
        (w.req.f === 'upsert' || (w.outcome.rows ?? 0) > 0) &&
        w.call > after &&
        w.return < read.call,
    );
    if (overwrite) return { read: read.id, value, wroteIt: wroteIt?.id ?? null, overwrittenBy: overwrite.id };
  }
  return null;
}

export function checkLevel(history: readonly ChaosOp[], level: ReadLevel, budget = DEFAULT_BUDGET): LevelVerdict {
  const ops = levelHistory(history, level);
  const outcome = checkOperations(registerKv, ops, { budget });
  const report = outcome.info.partition >= 0 ? outcome.info.partitions[outcome.info.partition] : null;
  const stuck = (report?.stuck ?? []) as RegisterOp[];
  const prefix = (report?.longestPrefix ?? []) as RegisterOp[];
  return {
    level,
    result: outcome.result,
    reads: ops.filter((o) => o.input.f === 'read' && history[o.id].req.f === 'read').length,
    operations: ops.length,
    steps: outcome.steps,
    explanation: outcome.result === 'illegal' ? describeFailure(registerKv, outcome) : '',
    key: report?.history[0]?.input.key ?? null,
    stuck: stuck.map((o) => o.id),
    prefix: prefix.map((o) => o.id),
    // The stuck set first (where the search broke), then any read of the broken key: a stale read
    // anywhere there is a proof on its own.
    staleRead: outcome.result === 'illegal' ? findStaleRead(history, [...stuck, ...((report?.history ?? []) as RegisterOp[])]) : null,
  };
}

/** Check each level in play; the run is good when nothing Raft promises was broken. */
export function judge(run: ChaosRun, budget = DEFAULT_BUDGET): ChaosVerdict {
  return verdictOf(run, run.options.levels.map((l) => checkLevel(run.history, l, budget)));
}

/** Combine the run's own checks with per-level verdicts checked elsewhere (a page, in slices). */
export function verdictOf(run: ChaosRun, levels: LevelVerdict[]): ChaosVerdict {
  const guaranteed = levels.filter((v) => GUARANTEED.includes(v.level));
  const broken = run.violations.length > 0 || !run.converged || !run.hashesAgree || guaranteed.some((v) => v.result === 'illegal');
  const outcome: RunOutcome = broken ? 'fail' : guaranteed.some((v) => v.result !== 'ok') ? 'undecided' : 'pass';
  return { levels, outcome, ok: outcome === 'pass' };
}

/** The exit status of `npm run chaos` over its runs: 1 only when one of them failed for certain. */
export function exitStatus(outcomes: readonly RunOutcome[]): 0 | 1 {
  return outcomes.includes('fail') ? 1 : 0;
}
