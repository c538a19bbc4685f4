/**
 * Runs StrykerJS one source file at a time and keeps each file's report in
 * reports/mutation/runs/, so a run of a whole area (hours on a 2-core machine) can be stopped and
 * resumed: a file whose report is newer than the file itself is skipped unless --force.
 * `npm run mutate:score -- reports/mutation/runs/*.json` adds the reports up.
 *
 *   npm run mutate:each -- src/db/*.ts [--force] [--concurrency N]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const args = process.argv.slice(2);
const force = args.includes('--force');
const ci = args.indexOf('--concurrency');
const concurrency = ci >= 0 ? args[ci + 1] : '1';
const files = args.filter((a, i) => a.endsWith('.ts') && args[i - 1] !== '--concurrency');
if (files.length === 0) {
  console.error('mutate-each: name the source files to mutate, e.g. src/db/*.ts');
  process.exit(2);
}

const outDir = 'reports/mutation/runs';
mkdirSync(outDir, { recursive: true });
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`mutate-each: no such file: ${file}`);
    process.exit(2);
  }
  const out = `${outDir}/${dirname(file).replace(/\//g, '-')}-${basename(file, '.ts')}.json`;
  if (!force && existsSync(out) && statSync(out).mtimeMs > statSync(file).mtimeMs) {
    console.log(`mutate-each: ${file}: report already there (${out}), skipped`);
    continue;
  }
  const started = process.hrtime.bigint();
  const r = spawnSync(
    'npx',
    ['stryker', 'run', '--mutate', file, '--concurrency', concurrency, '--reporters', 'json,clear-text'],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    console.error(`mutate-each: stryker failed on ${file} (status ${r.status})`);
    process.exit(1);
  }
  copyFileSync('reports/mutation/mutation.json', out);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`mutate-each: ${file} done in ${seconds.toFixed(0)} s → ${out}`);
}
