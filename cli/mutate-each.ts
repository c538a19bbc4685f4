/**
 * Runs StrykerJS one source file (or one comma-separated group of files) at a time and keeps each
 * run's report in reports/mutation/runs/, so a run of a whole area (hours on a 2-core machine) can
 * be stopped and resumed: a run whose report is newer than its files is skipped unless --force.
 * Each run starts with Stryker's dry run of the tests (a minute or two), so group small files.
 * `npm run mutate:score -- reports/mutation/runs/*.json` adds the reports up.
 *
 *   npm run mutate:each -- src/db/hash.ts,src/db/batch.ts src/db/database.ts [--force] [--concurrency N]
 *       [--tests 'test/db/*.test.ts,test/check/x.test.ts']   only these test files (MUTATE_INCLUDE)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const args = process.argv.slice(2);
const force = args.includes('--force');
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? args[ci + 1] : '1';
const ti = args.indexOf('--tests');
const tests = ti >= 0 ? args[ti + 1] : undefined;
const groups = args
  .filter((a, i) => a.endsWith('.ts') && args[i - 1] !== '--concurrency' && args[i - 1] !== '--tests')
  .map((a) => a.split(','));
if (groups.length === 0) {
  console.error('mutate-each: name the source files to mutate, e.g. src/db/*.ts');
  process.exit(2);
}

const outDir = 'reports/mutation/runs';
mkdirSync(outDir, { recursive: true });
for (const group of groups) {
  const missing = group.find((f) => !existsSync(f));
  if (missing) {
    console.error(`mutate-each: no such file: ${missing}`);
    process.exit(2);
  }
  const first = group[0];
  const file = group.join(',');
  const out = `${outDir}/${dirname(first).replace(/\//g, '-')}-${group.map((f) => basename(f, '.ts')).join('+')}.json`;
  if (!force && existsSync(out) && group.every((f) => statSync(out).mtimeMs > statSync(f).mtimeMs)) {
    console.log(`mutate-each: ${file}: report already there (${out}), skipped`);
    continue;
  }
  const started = process.hrtime.bigint();
  const r = spawnSync(
    'npx',
    ['stryker', 'run', '--mutate', file, '--concurrency', concurrency, '--reporters', 'json,clear-text,progress-append-only'],
    { stdio: 'inherit', env: tests ? { ...process.env, MUTATE_INCLUDE: tests } : process.env },
  );
  if (r.status !== 0) {
    console.error(`mutate-each: stryker failed on ${file} (status ${r.status})`);
    process.exit(1);
  }
  copyFileSync('reports/mutation/mutation.json', out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`mutate-each: ${file} done in ${seconds.toFixed(0)} s → ${out}`);
}
