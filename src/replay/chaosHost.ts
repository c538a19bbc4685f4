import type { ChaosHost } from '../drive/chaos/host';
import type { Answer } from '../cluster/types';
import type { Driver } from './types';

/**
 * The chaos driver's host over the visualized simulation: every world step leaves a frame, every
 * fault and client request is a recorded input, so the run can be watched, scrubbed, replayed and
 * shared like anything done by hand. Answers land in the console entries; they are handed to the
 * driver at the moment they arrive — after the step, the request or the action that produced
 * them, exactly where the headless host's callbacks fire.
 */
export function simulationHost(d: Driver): ChaosHost {
  const sim = d.sim;
  const waiting = new Map<number, (a: Answer) => void>();
  const poll = () => {
    for (const [id, done] of waiting) {
      const a = d.answer(id);
      if (a) {
        waiting.delete(id);
        done(a);
      }
    }
  };
  return {
    cluster: sim.cluster,
    step() {
      sim.step();
      if (waiting.size > 0) poll();
    },
    advanceTo(time) {
      const world = sim.cluster.world;
      world.now = Math.max(world.now, time);
    },
    request(node, body, sql, done) {
      waiting.set(d.request(node, body, sql), done);
      poll();
    },
    act(action) {
      const error = sim.apply(action);
      if (waiting.size > 0) poll();
      return error;
    },
  };
}
