// @ts-check
/**
 * Mutation testing (StrykerJS), see docs/mutation-testing.md. Not part of `npm test`.
 *   npm run mutate                                   all four areas
 *   npm run mutate:raft | mutate:check | mutate:db | mutate:cluster
 *   npm run mutate -- --mutate 'src/raft/log.ts'     any subset (replaces the list below)
 *   npm run mutate -- --concurrency 2                more Stryker workers (default 1: shared machine)
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/raft/**/*.ts',
    'src/check/**/*.ts',
    'src/db/**/*.ts',
    'src/cluster/**/*.ts',
    // Type-only modules, barrels and the wasm loader: nothing a test could observe.
    '!src/check/linearizability/index.ts',
    '!src/check/linearizability/types.ts',
    '!src/db/types.ts',
    '!src/db/sqljs.ts',
    '!src/cluster/types.ts',
  ],
  concurrency: 1,
  // The instrumented linearizability search (every mutant's coverage counter in its inner loop) makes
  // the Porcupine sweep of test/check far slower than usual: give the initial run time.
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportScoreTable: true, logTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};

export default config;
