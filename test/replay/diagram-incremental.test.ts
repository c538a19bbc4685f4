import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import { Simulation } from '../../src/replay/simulation';
import { diagramSnapshot as snapshot } from '../helpers/diagramSnapshot';
import { runInPage } from '../helpers/pageRun';

const DIR = join(process.cwd(), 'scenarios');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
let SQL: SqlJsStatic;

beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** Replay `sim`'s run up to `target` with a model following it frame by frame (`prepare` may hand it one to go on from). */
function replayFollowed(sim: Simulation, target: number, prepare: (next: Simulation) => DiagramModel): { next: Simulation; model: DiagramModel } {
  let model: DiagramModel | null = null;
  const next = Simulation.replay(SQL, sim.options, sim.inputs, target, () => {}, (n) => {
    const m = prepare(n);
    model = m;
    n.onFrame(() => m.readFrames());
  });
  return { next, model: model! };
}

describe('the diagram model kept up as the run is recorded', () => {
  for (const file of FILES) {
    it(`${file}: followed frame by frame, and cut back by forks, it is the model built from scratch`, () => {
      const { sim } = runInPage(SQL, readFileSync(join(DIR, file), 'utf8'));
      const last = sim.frames.length - 1;
      // Followed from the first frame while the run is replayed: the same as built at once.
      const followed = replayFollowed(sim, last, (n) => new DiagramModel(sourceOf(n)));
      expect(followed.next.frames.length).toBe(sim.frames.length);
      expect(snapshot(followed.model)).toEqual(snapshot(new DiagramModel(sourceOf(followed.next))));

      // Forks at a few points: the model of the whole run, cut back to the fork and fed by the
      // replay, is the fork's model from scratch — and stays so as the fork runs on its own way.
      for (const at of [0, Math.floor(last / 3), Math.floor((2 * last) / 3), last]) {
        const whole = new DiagramModel(sourceOf(sim));
        const maxSpan = whole.maxSpan;
        const fork = replayFollowed(sim, at, (n) => {
          whole.rebase(sourceOf(n), at);
          return whole;
        });
        expect(fork.model).toBe(whole);
        expect(snapshot(whole)).toEqual(snapshot(new DiagramModel(sourceOf(fork.next))));
        // A different future: a server killed at the fork, then time runs on.
        fork.next.apply({ kind: 'kill', node: 'n1' });
        fork.next.runTo(fork.next.now + 800);
        expect(snapshot(whole)).toEqual(snapshot(new DiagramModel(sourceOf(fork.next))));
        // The longest arrow is kept as a bound, never below the truth.
        expect(whole.maxSpan).toBeGreaterThanOrEqual(new DiagramModel(sourceOf(fork.next)).maxSpan);
        expect(whole.maxSpan).toBeGreaterThanOrEqual(Math.min(maxSpan, whole.maxSpan));
        fork.next.cluster.dispose();
      }
      followed.next.cluster.dispose();
    });
  }
});
