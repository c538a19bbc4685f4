import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Cheapest test files first. Stryker runs with bail: the first failing test kills the mutant and
 * stops the run, so a fast unit test that kills it should run before a multi-second scenario sweep.
 * Vitest's default order is the opposite (longest first, which suits parallel workers). A file that
 * failed on the previous run (it killed the previous mutant, likely a neighbour) still goes first.
 */
class FastestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const cost = (spec: TestSpecification): [number, number] => {
      const key = `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`;
      const results = cache.getFileTestResults(key);
      if (results) return [results.failed ? 0 : 1, results.duration];
      // Never run yet: smaller files first.
      return [1, Number.MAX_SAFE_INTEGER / 2 + (cache.getFileStats(key)?.size ?? 0)];
    };
    const costs = new Map(files.map((f) => [f, cost(f)]));
    return [...files].sort((a, b) => {
      const [fa, da] = costs.get(a)!;
      const [fb, db] = costs.get(b)!;
      return fa - fb || da - db;
    });
  }
}

/**
 * Left out unless MUTATE_TESTS=all: multi-second sweeps that every mutant of raft, db or cluster is
 * "covered" by, so each surviving mutant would pay for all of them. The fault and membership
 * properties also draw fresh fast-check seeds on every run, so what they kill changes from run to
 * run; the page-engine tests (scenario-in-page, chaos-page, tours) replay the same scenarios as
 * test/scenario and test/check through the store, which is not mutated. Nor the long sweeps over
 * seeds and tours (chaos at 300 seeds, the tour auditor's five ways through every tour, every
 * scenario twice for determinism): about two minutes together, paid again by every surviving
 * mutant of src/db or src/cluster, whose code the scenario and chaos tests above already run.
 */
const SLOW = [
  'test/cluster/*.property.test.ts',
  'test/teaching/scenario-in-page.test.ts',
  'test/teaching/tours.test.ts',
  'test/check/chaos-page.test.ts',
  'test/check/chaos-seeds.test.ts',
  'test/teaching/tour-audit.test.ts',
  'test/scenario/determinism.test.ts',
];

/**
 * The tests StrykerJS runs against each mutant (`npm run mutate`, see docs/mutation-testing.md).
 * Only in-process Node tests: a test that spawns the CLI (`*cli.test.ts`) runs the unmutated
 * sources in a child process, so it can never kill a mutant and would only slow every run down;
 * the browser tests under e2e/ are not included either. No `projects` here: the Stryker runner
 * sets the pool and one worker per Stryker process itself.
 */
/**
 * MUTATE_INCLUDE='test/check/safety-*.test.ts,test/check/chaos-verdict.test.ts' narrows the run to
 * those test files. For a module that a test reaches at load time (a scenario run in `beforeAll`),
 * Stryker counts every mutant as "static" and runs every related test file against each one; naming
 * the tests that are about the module keeps such a run to minutes. `mutate-each --tests` sets it.
 */
const include = process.env.MUTATE_INCLUDE ? process.env.MUTATE_INCLUDE.split(',') : ['test/**/*.test.ts'];

export default defineConfig({
  test: {
    include,
    exclude: ['test/**/*cli.test.ts', 'e2e/**', 'node_modules/**', ...(process.env.MUTATE_TESTS === 'all' ? [] : SLOW)],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    sequence: { sequencer: FastestFirst },
    // One module graph per worker instead of one per file: the suite runs in about half the time.
    isolate: false,
  },
});
