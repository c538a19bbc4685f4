import type { SqlJsStatic } from 'sql.js';
import type { Answer, NetMessage } from '../../src/cluster/types';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { driverFor } from './page';

/**
 * A scenario run on the page's host (a Simulation, every step a frame), with every message the
 * world was asked to send, in order: the ground truth a diagram of the run is checked against.
 * `prefix` steps run first (e.g. to switch on duplication or loss).
 */
export function runInPage(SQL: SqlJsStatic, text: string, prefix: readonly Record<string, unknown>[] = []): { sim: Simulation; sends: NetMessage[] } {
  const parsed = JSON.parse(text) as { steps: unknown[] };
  const scenario = parseScenario(JSON.stringify({ ...parsed, steps: [...prefix, ...parsed.steps] }));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a));
  const sends: NetMessage[] = [];
  const world = sim.cluster.world;
  const send = world.send.bind(world);
  world.send = (msg: NetMessage) => {
    sends.push(msg);
    send(msg);
  };
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  return { sim, sends };
}
