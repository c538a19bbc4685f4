import type { Answer } from '../../src/cluster/types';
import type { Simulation } from '../../src/replay/simulation';
import type { Driver } from '../../src/replay/types';

/** A Driver as the store gives one to scripts, without the store: answers kept by request id. */
export function driverFor(sim: Simulation, answers = new Map<number, Answer>()): Driver {
  let next = 1;
  return {
    sim,
    request(node, body) {
      const id = next++;
      const { problem } = sim.apply({ kind: 'request', id, node, body });
      return { id, problem };
    },
    answer: (id) => answers.get(id) ?? null,
  };
}
