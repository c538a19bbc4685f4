import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import type { SimEvent, Simulation } from '../../src/replay/simulation';
import { deliveryFrame } from '../../src/store/stepMessage';
import { runInPage } from '../helpers/pageRun';

let sim: Simulation;

beforeAll(async () => {
  ({ sim } = runInPage(await loadSqlJs(), readFileSync('scenarios/03-follower-forwarding.json', 'utf8')));
});

/** The deliveries `accept` takes whose event is in frame `f` (logged by that frame's step). */
function deliveriesIn(f: number, accept: (e: SimEvent) => boolean): SimEvent[] {
  const from = f > 0 ? sim.frames.seqEnd(f - 1) : 0;
  return sim.events.all().filter((e) => e.seq >= from && e.seq < sim.frames.seqEnd(f) && e.kind === 'deliver' && accept(e));
}

describe('stepping by message', () => {
  const votes = (e: SimEvent) => e.kind === 'deliver' && e.msg.type.startsWith('RequestVote');

  it('forward lands right after the next delivery, and back walks the same deliveries in reverse', () => {
    const visited: number[] = [];
    let f = 0;
    for (;;) {
      const next = deliveryFrame(sim, f, 1, votes, 0);
      if (next === null) break;
      expect(next).toBeGreaterThan(f);
      expect(deliveriesIn(next, votes).length).toBeGreaterThan(0);
      // Nothing of the kind was skipped between the two moments.
      for (let g = f + 1; g < next; g++) expect(deliveriesIn(g, votes)).toEqual([]);
      visited.push(next);
      f = next;
    }
    const all = sim.events.all().filter(votes);
    expect(visited.length).toBe(new Set(all.map((e) => sim.frames.all().findIndex((fr) => fr.seqEnd > e.seq))).size);
    const back: number[] = [];
    for (let g = visited[visited.length - 1]; ; ) {
      const prev = deliveryFrame(sim, g, -1, votes);
      if (prev === null) break;
      back.push(prev);
      g = prev;
    }
    expect(back).toEqual(visited.slice(0, -1).reverse());
  });

  it('with no such delivery ahead it stays put (null)', () => {
    expect(deliveryFrame(sim, sim.frames.length - 1, 1, () => false, 0)).toBeNull();
    expect(deliveryFrame(sim, 0, -1, () => true)).toBeNull();
  });
});
