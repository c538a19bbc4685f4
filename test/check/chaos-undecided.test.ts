import { beforeAll, describe, expect, it } from 'vitest';
import { checkLevel, exitStatus, judge, verdictOf } from '../../src/check/chaos/verdict';
import type { ReadLevel } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runChaosInPage } from '../../src/store/chaos';
import { chaosRun, freshReadHistory, staleReadHistory } from '../helpers/chaosRun';

/** A budget of one step decides nothing: every level with operations comes out 'unknown'. */
const NO_BUDGET = 1;

describe('one rule for an undecided (out-of-budget) linearizability check', () => {
  for (const level of ['strong', 'linearizable'] as const) {
    it(`an undecided ${level} level makes the run undecided: not a pass, not a failure`, () => {
      const run = chaosRun(freshReadHistory(level), [level]);
      const verdict = judge(run, NO_BUDGET);
      expect(verdict.levels[0].result).toBe('unknown');
      expect(verdict.outcome).toBe('undecided');
      expect(verdict.ok).toBe(false);
      // The same history with the budget it needs passes.
      expect(judge(run).outcome).toBe('pass');
    });
  }

  it('an undecided none or weak level does not matter: Raft promises nothing there', () => {
    const levels: ReadLevel[] = ['none', 'weak', 'strong'];
    const history = freshReadHistory('strong');
    const verdict = verdictOf(chaosRun(history, levels), [checkLevel(history, 'none', NO_BUDGET), checkLevel(history, 'weak', NO_BUDGET), checkLevel(history, 'strong')]);
    expect(verdict.levels.map((v) => v.result)).toEqual(['unknown', 'unknown', 'ok']);
    expect(verdict.outcome).toBe('pass');
  });

  it('a definite failure outranks an undecided level', () => {
    const stale = staleReadHistory('strong');
    const levels = [checkLevel(stale, 'strong'), checkLevel(stale, 'linearizable', NO_BUDGET)];
    expect(levels.map((v) => v.result)).toEqual(['illegal', 'unknown']);
    expect(verdictOf(chaosRun(stale, ['strong', 'linearizable']), levels).outcome).toBe('fail');
    const undecided = [checkLevel(stale, 'linearizable', NO_BUDGET)];
    expect(verdictOf(chaosRun(stale, ['linearizable'], { violations: [{ invariant: 'Log Matching' }] }), undecided).outcome).toBe('fail');
    expect(verdictOf(chaosRun(stale, ['linearizable'], { hashesAgree: false }), undecided).outcome).toBe('fail');
  });

  it('the exit status is 1 only for a definite failure', () => {
    expect(exitStatus([])).toBe(0);
    expect(exitStatus(['pass', 'pass'])).toBe(0);
    expect(exitStatus(['pass', 'undecided'])).toBe(0);
    expect(exitStatus(['undecided', 'fail', 'pass'])).toBe(1);
  });
});

describe('the page applies it alike (the CLI: test/check/chaos-cli.test.ts)', () => {
  const options = { seed: 3, nodes: 3, ops: 30 };

  beforeAll(async () => {
    await loadSqlJs();
  });

  it('the page: out of budget is undecided, not a pass; with its budget the same run passes', async () => {
    const starved = await runChaosInPage(options, false, () => {}, NO_BUDGET);
    expect(starved.verdict.outcome).toBe('undecided');
    expect(starved.verdict.ok).toBe(false);
    const checked = await runChaosInPage(options, false, () => {});
    expect(checked.verdict.outcome).toBe('pass');
    expect(checked.verdict.ok).toBe(true);
  });
});
