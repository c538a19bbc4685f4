import type { SimEvent, Simulation } from '../replay/simulation';
import { frameOfSeq } from './frameSearch';

/**
 * The frame just after the next (dir 1) or previous (dir -1) delivery that `accept` takes, from
 * frame `cur`: a learner walks an exchange message by message. Going forward the simulation is
 * stepped as far as needed (at most `budget` steps); null when there is no such delivery.
 */
export function deliveryFrame(sim: Simulation, cur: number, dir: 1 | -1, accept: (e: SimEvent) => boolean, budget = 20_000): number | null {
  const isOne = (e: SimEvent | undefined) => e !== undefined && e.kind === 'deliver' && accept(e);
  const seqEnd = sim.frames.seqEnd(cur);
  if (dir === 1) {
    let q = seqEnd;
    for (let steps = 0; ; ) {
      for (; q < sim.cluster.world.eventCount; q++) if (isOne(sim.events.get(q))) return frameOfSeq(sim.frames, q);
      if (steps++ >= budget || !sim.step()) return null;
    }
  }
  // Back: the latest delivery before the moment drawn, or the one before it when the moment drawn
  // is right after it.
  for (let q = seqEnd - 1; q >= sim.events.start; q--) {
    if (!isOne(sim.events.get(q))) continue;
    const f = frameOfSeq(sim.frames, q);
    if (f < cur) return f;
  }
  return null;
}
