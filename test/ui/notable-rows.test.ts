import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import { isRoutine } from '../../src/replay/notable';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { latestRows, notableRows } from '../../src/ui/eventRows';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A scenario on the page's host, dropping frames and events outside a small window, run on for 4 s. */
function record(file: string, seed: number): Simulation {
  const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
  const scenario = parseScenario(JSON.stringify({ ...parsed, seed }));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), { every: 40, count: 1000, bytes: Infinity }, {
    window: { chunk: 64, head: 128, recent: 1 },
    eventWindow: { head: 2, recent: 1 },
  });
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + 4000);
  return sim;
}

describe('the event list finds its rows by the index of notable events', () => {
  it('the same rows as walking the log back, at any moment, with or without a causal past, and in a fork', () => {
    for (const [file, seed] of [['04-leader-crash.json', 1], ['12-snapshot-install.json', 2], ['10-queued-writes.json', 3]] as const) {
      const sim = record(file, seed);
      const fork = Simulation.fork(SQL, sim, Math.floor(sim.frames.length / 2), () => {});
      fork.runTo(fork.now + 500);
      for (const run of [sim, fork]) {
        const events = run.events;
        fc.assert(
          fc.property(fc.nat(events.end), fc.array(fc.nat(events.end - 1), { maxLength: 40 }), fc.integer({ min: 1, max: 80 }), (end, pastSeqs, max) => {
            const past = new Set(pastSeqs);
            const walked = latestRows(events, end, (e) => !isRoutine(e) || past.has(e.seq), max, null).rows.map((e) => e.seq);
            const sorted = [...past].sort((a, b) => b - a);
            expect(notableRows(run.notable.latestBelow(end, max), sorted, end, max)).toEqual(walked);
          }),
          { numRuns: 60 },
        );
      }
      for (const s of [sim, fork]) s.cluster.dispose();
    }
  });
});
