import type { Problem } from '../cluster/errors';
import type { Answer } from '../cluster/types';
import type { Host } from '../drive/host';
import type { Driver } from './types';

/**
 * The drivers' host over the visualized simulation: every world step leaves a frame, every action
 * and client request is a recorded input, so a scenario, a tour or a chaos run can be watched,
 * scrubbed, replayed and shared like anything done by hand. Answers land in the console entries;
 * they are handed to the driver at the moment they arrive — after the step, the request or the
 * action that produced them, exactly where the headless host's callbacks fire.
 */
export function pageHost(d: Driver): Host {
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
      const stepped = sim.step();
      if (waiting.size > 0) poll();
      return stepped;
    },
    advanceTo(time) {
      const world = sim.cluster.world;
      world.now = Math.max(world.now, time);
    },
    request(node, body, done, label): Problem | null {
      const sent = d.request(node, body, label ?? body.req.statements.map((s) => s.sql).join(';\n'));
      if (sent.problem) return sent.problem;
      waiting.set(sent.id, done);
      poll();
      return null;
    },
    act(action) {
      const res = sim.apply(action);
      if (waiting.size > 0) poll();
      return res;
    },
  };
}
