import type { Simulation } from '../replay/simulation';
import { getSim } from './current';

/**
 * A fresh cluster's databases are opened when first used (NodeDatabase.create), not while the page
 * starts: opening the default cluster's five cost a cold first visit about 120 ms before it
 * answered. They are opened here instead, one an idle moment once the page is drawn, so that the
 * learner's first write does not open them all in the frame that applies it (three long tasks of
 * 90–135 ms at a first visit when it did). Nothing a run records depends on when a new, empty
 * database is opened.
 */
export function openWhenIdle(sim: Simulation): void {
  if (typeof requestIdleCallback !== 'function') return;
  const next = () => {
    // The cluster was replaced meanwhile (a new cluster, a load): the new one has its own turn.
    if (getSim() !== sim) return;
    for (const server of sim.cluster.servers.values()) {
      if (server.db?.openNow()) {
        requestIdleCallback(next);
        return;
      }
    }
  };
  requestIdleCallback(next);
}
