// `npm run --silent scenario -- FILE.json`: run one scenario headless and print one JSON object.
import { readFileSync } from 'node:fs';
import { SafetyMonitor } from '../src/check/safety';
import { parseScenarioBytes, ScenarioError } from '../src/drive/scenario/parse';
import { runScenario } from '../src/drive/scenario/run';
import { loadSqlJs } from '../src/db/sqljs';
import { toJson } from '../src/db/json';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npm run --silent scenario -- FILE.json\n');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  let scenario;
  try {
    scenario = parseScenarioBytes(bytes);
  } catch (e) {
    if (e instanceof ScenarioError) {
      process.stderr.write(`${file}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const SQL = await loadSqlJs();
  const output = runScenario(scenario, SQL, (c) => new SafetyMonitor(c));
  // Exit only once the output is flushed: on a pipe, process.exit() right after write() can cut it.
  await new Promise<void>((resolve) => process.stdout.write(toJson(output) + '\n', () => resolve()));
  // A file that states expectations is a test: say on stderr which were not met, and exit 3.
  const failed = output.expectations?.failed ?? [];
  for (const f of failed) {
    const where = f.step === null ? 'at the end' : `step ${f.step}`;
    process.stderr.write(`${file}: ${where}: expected ${f.what} ${toJson(f.expected)}, got ${toJson(f.actual)}\n`);
  }
  return failed.length > 0 ? 3 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
