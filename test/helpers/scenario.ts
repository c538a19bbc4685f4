import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafetyMonitor } from '../../src/check/safety';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario, type ScenarioOutput } from '../../src/drive/scenario/run';
import { sqljs } from './drive';

export const SCENARIO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios');

export async function runText(text: string): Promise<ScenarioOutput> {
  return runScenario(parseScenario(text), await sqljs(), (c) => new SafetyMonitor(c));
}

export async function runFile(name: string): Promise<ScenarioOutput> {
  return runText(readFileSync(resolve(SCENARIO_DIR, name), 'utf8'));
}

export async function run(obj: unknown): Promise<ScenarioOutput> {
  return runText(JSON.stringify(obj));
}

/** The rows a query step returned, for compact assertions. */
export function rows(out: ScenarioOutput, i: number): unknown[][] {
  const r = out.steps[i].result as { results: { values?: unknown[][] }[] };
  return r.results[0].values ?? [];
}
