// `npm run bench`'s figure for the simulation the page runs while it plays: a 9-node cluster taking
// 50 writes a second, recorded as the page records it, against the same cluster and writes alone.
import type { SqlJsStatic } from 'sql.js';
import type { Cluster } from '../src/cluster/cluster';
import type { ClientOp } from '../src/cluster/types';
import { buildCluster } from '../src/drive/scenario/options';
import { DiagramModel, sourceOf } from '../src/replay/diagram/model';
import { DEFAULT_EVENT_WINDOW } from '../src/replay/eventWindow';
import { defaultSimOptions, scenarioOptionsOf } from '../src/replay/options';
import { Simulation } from '../src/replay/simulation';
import { History } from '../src/replay/why';

const NODES = 9;
/** One INSERT every WRITE_EVERY simulated ms: 50 a second. */
const WRITE_EVERY = 20;
const START = 3000;

const op = (sql: string): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });

export interface PageSimulation {
  /** CPU ms per simulated second, min and median of the runs: recorded as the page does, and the cluster alone. */
  readonly page: { min: number; median: number };
  readonly bare: { min: number; median: number };
  readonly seconds: number;
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/**
 * The page's simulation: frames, checkpoints, the event window, the safety monitor (every check,
 * the content hash after every apply), and the Why? index and the diagram's model following each
 * frame, as the store runs them (src/store/current.ts).
 */
function recorded(SQL: SqlJsStatic, seconds: number): number {
  const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: NODES, seed: 1 }, () => undefined, undefined, { eventWindow: DEFAULT_EVENT_WINDOW });
  const why = new History(sim.events);
  const diagram = new DiagramModel(sourceOf(sim));
  sim.onFrame(() => {
    why.sync();
    diagram.readFrames();
  });
  let id = 1;
  sim.runTo(START - 1000);
  sim.apply({ kind: 'request', id: id++, node: 'n1', body: op('CREATE TABLE t(k INTEGER, v TEXT)') });
  sim.runTo(START);
  const ms = cpuMs(() => {
    for (let t = START; t < START + seconds * 1000; t += WRITE_EVERY) {
      sim.runTo(t);
      sim.apply({ kind: 'request', id: id++, node: 'n1', body: op(`INSERT INTO t VALUES (${t}, 'v')`) });
    }
  });
  sim.cluster.dispose();
  return ms / seconds;
}

/** The same cluster (built by the same function) and the same writes, with nothing recorded or checked. */
function bare(SQL: SqlJsStatic, seconds: number): number {
  const o = { ...defaultSimOptions, nodes: NODES, seed: 1 };
  const c: Cluster = buildCluster(SQL, o.nodes, o.seed, scenarioOptionsOf(o));
  c.world.logLimit = 0;
  c.world.runUntil(() => false, START - 1000);
  c.request('n1', op('CREATE TABLE t(k INTEGER, v TEXT)'), () => undefined);
  c.world.runUntil(() => false, START);
  const ms = cpuMs(() => {
    for (let t = START; t < START + seconds * 1000; t += WRITE_EVERY) {
      c.world.runUntil(() => false, t);
      c.request('n1', op(`INSERT INTO t VALUES (${t}, 'v')`), () => undefined);
    }
  });
  c.dispose();
  return ms / seconds;
}

const stat = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};

/** Both, once to warm up, then `reps` times each in turns. */
export function pageSimulation(SQL: SqlJsStatic, reps: number, seconds: number): PageSimulation {
  recorded(SQL, 2);
  bare(SQL, 2);
  const page: number[] = [];
  const alone: number[] = [];
  for (let r = 0; r < reps; r++) {
    page.push(recorded(SQL, seconds));
    alone.push(bare(SQL, seconds));
  }
  return { page: stat(page), bare: stat(alone), seconds };
}
