import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { RunLoad } from '../../src/replay/runLoad';
import { Simulation } from '../../src/replay/simulation';
import type { RunRecord } from '../../src/replay/types';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';
import { fingerprint } from '../helpers/simFingerprint';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A scenario driven as the page drives it, recorded as a saved session would hold it. */
function recorded(file: string, tail: number): { run: RunRecord; answers: Map<number, Answer> } {
  const scenario = parseScenario(readFileSync(resolve(SCENARIO_DIR, file), 'utf8'));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a));
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + tail);
  // The moment on screen somewhere in the middle; the head is where the simulation had run to.
  const frame = Math.floor(sim.frames.length / 2);
  const run = { options: sim.options, inputs: sim.inputs.slice(), frame, time: sim.frames.time(frame), head: sim.now };
  sim.cluster.dispose();
  return { run, answers };
}

/** The run rebuilt in one go, as the page loaded it before loads were sliced. */
function inOneGo(run: RunRecord, answers: Map<number, Answer>): Simulation {
  const lastInput = run.inputs.at(-1)?.frame ?? 0;
  const sim = Simulation.replay(SQL, run.options, run.inputs, Math.max(run.frame, lastInput), (id, a) => answers.set(id, a));
  sim.runTo(run.head);
  return sim;
}

describe('a run loaded in slices', () => {
  it.each([
    ['04-leader-crash.json', 8000],
    ['10-queued-writes.json', 6000],
    ['14-join-and-remove.json', 6000],
  ])('%s: stopped at any points, it ends as the run loaded in one go, answers and all', (file, tail) => {
    const { run, answers: recordedAnswers } = recorded(file, tail);
    const whole = new Map<number, Answer>();
    const reference = inOneGo(run, whole);
    const expected = fingerprint(reference);
    reference.cluster.dispose();
    expect(whole).toEqual(recordedAnswers);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }), (stops) => {
        const answers = new Map<number, Answer>();
        const load = new RunLoad(SQL, run, (id, a) => answers.set(id, a));
        let asked = 0;
        let yes = 0;
        let slices = 1;
        // `stops` says, question by question, whether to give the page back there (cycling).
        const enough = () => {
          const stop = stops[asked++ % stops.length];
          if (stop) yes++;
          return stop;
        };
        while (!load.advance(enough)) {
          slices++;
          expect(load.done).toBe(false);
          const { at, of } = load.progress;
          expect(at).toBeGreaterThanOrEqual(0);
          expect(at).toBeLessThanOrEqual(of);
        }
        try {
          expect(load.done).toBe(true);
          expect(load.progress.at).toBe(load.progress.of);
          expect(fingerprint(load.sim)).toEqual(expected);
          expect(answers).toEqual(whole);
          // Every "enough" ended a slice there, and nothing else did.
          expect(slices).toBe(yes + 1);
          expect(asked).toBeGreaterThan(3);
        } finally {
          load.sim.cluster.dispose();
        }
      }),
      { numRuns: 6, seed: 14 },
    );
  });

  it('of a long run spaces its checkpoints from the start as the run had them by its end', () => {
    const options = { nodes: 3, seed: 1, electionTimeout: [150, 300] as [number, number], latency: [5, 15] as [number, number], preVote: true };
    const short = new RunLoad(SQL, { options, inputs: [], frame: 0, time: 0, head: 60_000 }, () => undefined);
    const long = new RunLoad(SQL, { options, inputs: [], frame: 0, time: 0, head: 30 * 60_000 }, () => undefined);
    expect(short.sim.checkpoints.spacing).toBe(1000);
    expect(long.sim.checkpoints.spacing).toBe(2000);
    short.sim.cluster.dispose();
    long.sim.cluster.dispose();
  });
});
