import { describe, expect, it } from 'vitest';
import { runChaos, runChaosOn } from '../../src/drive/chaos/run';
import type { Answer } from '../../src/cluster/types';
import { pageHost } from '../../src/replay/pageHost';
import { defaultSimOptions, Simulation } from '../../src/replay/simulation';
import { sqljs } from '../helpers/drive';
import { driverFor } from '../helpers/page';

describe('chaos in the cluster view', () => {
  it('drives the visualized simulation to the same run as headless, recorded as replayable inputs', async () => {
    const SQL = await sqljs();
    for (const [seed, nodes] of [[1, 5], [4, 3]]) {
      const headless = runChaos(SQL, { seed, nodes });
      const answers = new Map<number, Answer>();
      const options = { ...defaultSimOptions, seed, nodes };
      const sim = new Simulation(SQL, options, (id, a) => answers.set(id, a));
      const inPage = runChaosOn(pageHost(driverFor(sim, answers)), { seed, nodes });
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
