import { describe, expect, it } from 'vitest';
import { runChaos, runChaosOn } from '../../src/drive/chaos/run';
import type { Answer } from '../../src/cluster/types';
import { simulationHost } from '../../src/replay/chaosHost';
import { defaultSimOptions, Simulation } from '../../src/replay/simulation';
import type { Driver } from '../../src/store/store';
import { sqljs } from '../helpers/drive';

/** A Driver as the store gives one to scripts, without the store: answers kept by request id. */
function driverFor(sim: Simulation, answers: Map<number, Answer>): Driver {
  let next = 1;
  return {
    sim,
    request(node, body) {
      const id = next++;
      sim.apply({ kind: 'request', id, node, body });
      return id;
    },
    answer: (id) => answers.get(id) ?? null,
  };
}

describe('chaos in the cluster view', () => {
  it('drives the visualized simulation to the same run as headless, recorded as replayable inputs', async () => {
    const SQL = await sqljs();
    for (const [seed, nodes] of [[1, 5], [4, 3]]) {
      const headless = runChaos(SQL, { seed, nodes });
      const answers = new Map<number, Answer>();
      const options = { ...defaultSimOptions, seed, nodes };
      const sim = new Simulation(SQL, options, (id, a) => answers.set(id, a));
      const inPage = runChaosOn(simulationHost(driverFor(sim, answers)), { seed, nodes });
      expect(JSON.stringify(inPage.history), `seed ${seed}`).toBe(JSON.stringify(headless.history));
      expect(inPage.faults).toEqual(headless.faults);
      expect(inPage.nodes).toEqual(headless.nodes);
      // Every fault and request is an input: replaying them rebuilds the same databases.
      expect(sim.inputs.filter((i) => i.action.kind === 'request')).toHaveLength(headless.history.length + 1);
      const replay = Simulation.replay(SQL, options, sim.inputs, sim.frames.length - 1, () => {});
      replay.runTo(sim.now);
      const hashes = (s: Simulation) => [...s.cluster.servers.values()].map((n) => (n.alive && n.db ? n.db.hash() : null));
      expect(hashes(replay)).toEqual(hashes(sim));
      sim.cluster.dispose();
      replay.cluster.dispose();
    }
  });
});
