import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation, type InputAction } from '../../src/replay/simulation';
import { diagramSnapshot } from '../helpers/diagramSnapshot';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';

/** Checkpoints every 40 simulated ms, and few frames and events kept in memory: forks resume mid-run, from dropped chunks. */
const dense: CheckpointLimits = { every: 40, count: 1000, bytes: Infinity };
const windowed = { window: { chunk: 64, head: 128, recent: 1 }, eventWindow: { head: 2, recent: 1 } };

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

// Forwarded requests (kept for the whole run by the reply pairing), a crashed leader, a minority
// partition, snapshots installed and a membership change: what a fork may cut in the middle of.
const FILES = ['03-follower-forwarding.json', '04-leader-crash.json', '05-minority-partition.json', '12-snapshot-install.json', '14-join-and-remove.json', '24-forward-to-crashed-leader.json'];

/** A scenario on the page's host, its seed replaced, with a diagram model following it from its first step. */
function recordFollowed(file: string, seed: number): { sim: Simulation; model: DiagramModel } {
  const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
  const scenario = parseScenario(JSON.stringify({ ...parsed, seed }));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), dense, windowed);
  const model = new DiagramModel(sourceOf(sim));
  sim.onFrame(() => model.readFrames());
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + 1000);
  return { sim, model };
}

/** Count what `sim`'s event log is asked for from now on. */
function countReads(sim: Simulation): { n: number } {
  const count = { n: 0 };
  const events = sim.events;
  const get = events.get.bind(events);
  events.get = (seq) => (count.n++, get(seq));
  return count;
}

/** Something done at the fork (a different future), from a pick and a server of the run. */
function actionOf(pick: number, node: string, id: number): InputAction {
  const write = { op: 'execute' as const, req: { statements: [{ sql: `CREATE TABLE IF NOT EXISTS f${id}(v)` }], transaction: false, queue: false, timeout: 5000 } };
  const actions: InputAction[] = [{ kind: 'kill', node }, { kind: 'request', id, node, body: write }, { kind: 'isolate', node }, { kind: 'heal' }];
  return actions[pick % actions.length];
}

/**
 * A frame to fork at: anywhere in the run (`at`), or right after a forwarded client request or a
 * snapshot was delivered (`after`-th of them, if any), before their replies: the requests the
 * pairing of replies keeps for the whole run.
 */
function forkPoint(sim: Simulation, model: DiagramModel, at: number, after: number | null): number {
  const last = sim.frames.length - 1;
  const lasting: number[] = [];
  for (let i = 0; i < model.arrows.length; i++) {
    const type = model.arrows.type(i);
    if (model.arrows.end(i) === 'delivered' && (type === 'ClientRequest' || type === 'InstallSnapshot')) lasting.push(model.arrows.seq(i));
  }
  if (after === null || lasting.length === 0) return Math.floor(at * last);
  const seq = lasting[after % lasting.length];
  let f = 0;
  while (f < last && sim.frames.seqEnd(f) <= seq) f++;
  return f;
}

describe("a fork's diagram, cut back from the run it left", () => {
  it('rebased at random points, one fork after another, it is the model built from scratch on the fork, and stays so', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FILES),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), after: fc.option(fc.nat()), pick: fc.nat(), node: fc.nat() }), { minLength: 1, maxLength: 3 }),
        (file, seed, forks) => {
          const recorded = recordFollowed(file, seed);
          let sim = recorded.sim;
          const model = recorded.model;
          let id = 10_000;
          for (const f of forks) {
            const target = forkPoint(sim, model, f.at, f.after);
            const next = Simulation.fork(SQL, sim, target, () => {}, false, (n) => {
              const [left, taken] = [countReads(sim), countReads(n)];
              model.rebase(sourceOf(n), target);
              // Cut by binary search over its own rows: no event is read back from either log.
              expect([left.n, taken.n]).toEqual([0, 0]);
              n.onFrame(() => model.readFrames());
            });
            expect(diagramSnapshot(model)).toEqual(diagramSnapshot(new DiagramModel(sourceOf(next))));
            // A different future, then time runs on: the cut model keeps following it exactly.
            const servers = [...next.cluster.servers.keys()];
            next.apply(actionOf(f.pick, servers[f.node % servers.length], id++));
            next.runTo(next.now + 600);
            expect(diagramSnapshot(model)).toEqual(diagramSnapshot(new DiagramModel(sourceOf(next))));
            sim.cluster.dispose();
            sim = next;
          }
          sim.cluster.dispose();
        },
      ),
      { numRuns: 16, seed: 14 },
    );
  });
});
