import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { SafetyMonitor } from '../../src/check/safety';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario } from '../../src/drive/scenario/run';
import { loadSqlJs } from '../../src/db/sqljs';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { runScenarioText } from '../../src/store/runScenario';
import { getSim, useStore } from '../../src/store/store';
import { runToScenario } from '../../src/replay/toScenario';
import { toJson } from '../../src/db/json';

const DIR = join(process.cwd(), 'scenarios');
let SQL: SqlJsStatic;

function pageHashes(): (string | null)[] {
  return [...getSim()!.cluster.servers.values()].map((s) => (s.alive && s.db ? s.db.hash() : null));
}

describe('scenarios run in the page as they do headless', () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
    await useStore.getState().init(async () => SQL);
  });

  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    it(file, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const headless = runScenario(parseScenario(text), SQL, (c) => new SafetyMonitor(c));
      const res = runScenarioText(text);
      if (!res.ok) throw new Error(res.error);
      // One interpreter, two hosts: the whole output object is the same, byte for byte.
      expect(toJson(res.output)).toBe(toJson(headless));
      expect(pageHashes()).toEqual(headless.nodes.map((n) => n.dbHash));

      // What the page recorded, downloaded as a scenario, replays headless to the same databases.
      const st = useStore.getState();
      const recorded = runToScenario(st.currentRun()!, st.entries, getSim()!.settledAt);
      const again = runScenario(parseScenario(recorded.text), SQL);
      expect(again.nodes.map((n) => n.dbHash)).toEqual(headless.nodes.map((n) => n.dbHash));

      // And the run survives its own file format.
      const parsed = parseRun(JSON.stringify(toRunFile(st.currentRun()!)), 'the run');
      expect(parsed.ok).toBe(true);
    });
  }
});
