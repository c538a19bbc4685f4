import type { Cluster } from '../cluster/cluster';
import type { Problem } from '../cluster/errors';
import { operate, type Operated, type OperatorAction } from '../cluster/operate';
import type { Answer, ClientOp } from '../cluster/types';

/**
 * What every driver (the scenario interpreter, chaos mode, tours, the scenario editor) runs on: a
 * cluster it may look at, and a way to move time and act on it. Headless that is the bare
 * Cluster (`clusterHost`); in the page it is the visualized simulation (src/replay/pageHost.ts),
 * whose every step leaves a frame and whose every action is a recorded input. Drivers never
 * schedule anything inside the world, so both hosts see the same queue and a seed gives the same
 * run in both.
 */
export interface Host {
  readonly cluster: Cluster;
  /** Process one queued world item (a delivery, a timer, a request deadline); false if none is left. */
  step(): boolean;
  /** Let the clock reach `time` with nothing to process in between. */
  advanceTo(time: number): void;
  /**
   * Send a client request to `node`, or to `"any"` live node drawn from the world's seeded PRNG at
   * this moment. `done` gets exactly one answer later; a problem is returned (and `done` never
   * called) only when there was no node to send it to. `label` is how the page's console shows it.
   */
  request(node: string, body: ClientOp, done: (a: Answer) => void, label?: string): Problem | null;
  /** Carry out an operator action, or say why the cluster refused it. */
  act(action: OperatorAction): Operated;
}

/** The live node `"any"` stands for: drawn from the world's PRNG, so a replay draws the same. */
export function anyLiveNode(cluster: Cluster): string | null {
  const live = [...cluster.servers.values()].filter((s) => s.alive).map((s) => s.id);
  return live.length === 0 ? null : live[cluster.world.prng.int(0, live.length - 1)];
}

/** The headless host: the bare cluster, with nothing recorded beyond its own event log. */
export function clusterHost(cluster: Cluster): Host {
  return {
    cluster,
    step: () => cluster.world.stepOne(),
    advanceTo: (time) => {
      cluster.world.now = Math.max(cluster.world.now, time);
    },
    request: (node, body, done) => {
      const target = node === 'any' ? anyLiveNode(cluster) : node;
      if (target === null) return { code: 'no-live-node' };
      cluster.request(target, body, done);
      return null;
    },
    act: (action) => operate(cluster, action),
  };
}

/** Step the host until `done()` holds (checked after every item) or simulated time would pass `until`. */
export function runUntil(host: Host, done: () => boolean, until: number): boolean {
  if (done()) return true;
  const world = host.cluster.world;
  while (world.nextTime() <= until) {
    host.step();
    if (done()) return true;
  }
  host.advanceTo(until);
  return false;
}
