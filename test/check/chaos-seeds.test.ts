import { describe, expect, it } from 'vitest';
import { GUARANTEED, judge } from '../../src/check/chaos/verdict';
import { SafetyMonitor } from '../../src/check/safety';
import { runChaos } from '../../src/drive/chaos/run';
import { defaultChaosOptions } from '../../src/drive/chaos/types';
import { sqljs } from '../helpers/drive';

const SEEDS = 300;

describe(`chaos at ${SEEDS} seeds, as \`npm run chaos -- --seeds ${SEEDS}\` runs them`, () => {
  it('no safety violation, every run converges to one database, strong and linearizable reads always linearizable', async () => {
    const SQL = await sqljs();
    const bad: string[] = [];
    let faults = 0;
    let guaranteedReads = 0;
    let staleNoneRuns = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const run = runChaos(SQL, { seed }, (c) => new SafetyMonitor(c, 1, 5));
      const verdict = judge(run);
      faults += run.faults.length;
      if (run.violations.length > 0) bad.push(`seed ${seed}: ${JSON.stringify(run.violations[0])}`);
      if (!run.converged || !run.hashesAgree) bad.push(`seed ${seed}: did not converge to one database`);
      for (const v of verdict.levels) {
        if (GUARANTEED.includes(v.level)) {
          guaranteedReads += v.reads;
          if (v.result !== 'ok') bad.push(`seed ${seed}: ${v.level} ${v.result}\n${v.explanation}`);
        } else if (v.level === 'none' && v.result === 'illegal') staleNoneRuns++;
      }
      if (verdict.outcome !== 'pass' && bad.length === 0) bad.push(`seed ${seed}: ${verdict.outcome}`);
    }
    expect(bad).toEqual([]);
    // The runs did what chaos is for: many faults, many promised reads, and the checker does find
    // the stale reads Raft allows at `none` (it is not passing everything).
    expect(defaultChaosOptions.levels).toEqual(['none', 'weak', 'strong', 'linearizable']);
    expect(faults).toBeGreaterThan(SEEDS * 5);
    expect(guaranteedReads).toBeGreaterThan(SEEDS * 10);
    expect(staleNoneRuns).toBeGreaterThan(SEEDS / 10);
  });
});
