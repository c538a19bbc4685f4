import type { Simulation } from '../replay/simulation';
import { History } from '../replay/why';

/**
 * Why?'s index of the run on screen, following it as it is recorded (like the diagram's model):
 * each step's events are indexed as they come, so a question never reads the whole log, and the
 * log may keep only a window of its events in memory. A fork takes the index of the run it left,
 * cut back to its checkpoint.
 */
let cached: { sim: Simulation; history: History; stop: () => void } | null = null;

export function followHistory(sim: Simulation, forkOf: Simulation | null = null): History {
  if (cached?.sim === sim) return cached.history;
  const old = cached;
  old?.stop();
  const history = old && forkOf && old.sim === forkOf ? old.history.resumedAt(sim.events) : new History(sim.events);
  cached = { sim, history, stop: sim.onFrame(() => history.sync()) };
  return history;
}

/** The index of `sim`, brought up to its last event. */
export function historyOf(sim: Simulation): History {
  const history = followHistory(sim);
  history.sync();
  return history;
}
