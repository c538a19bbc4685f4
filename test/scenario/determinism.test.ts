import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafetyMonitor } from '../../src/check/safety';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario } from '../../src/drive/scenario/run';
import { sqljs } from '../helpers/drive';
import { SCENARIO_DIR } from '../helpers/scenario';
import { toJson } from '../../src/db/json';

/** What `npm run --silent scenario -- FILE` prints (cli/scenario.ts), without starting a process per run. */
async function cliOutput(file: string): Promise<string> {
  const text = readFileSync(resolve(SCENARIO_DIR, file), 'utf8');
  return toJson(runScenario(parseScenario(text), await sqljs(), (c) => new SafetyMonitor(c))) + '\n';
}

describe('every scenario file gives byte-identical output run after run', () => {
  const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).sort();

  it('finds the scenario files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  it('each file twice, the second time after all the others ran in between', async () => {
    // Running every file before the repeat also catches state one run leaves behind for the next.
    const first = new Map<string, string>();
    for (const f of files) first.set(f, await cliOutput(f));
    for (const f of [...files].reverse()) expect(await cliOutput(f), f).toBe(first.get(f));
    // The CLI itself is checked the same way on one file in test/scenario/cli.test.ts.
  });
});
