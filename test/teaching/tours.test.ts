import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/drive/scenario/parse';
import { loadSqlJs } from '../../src/db/sqljs';
import { TOURS } from '../../src/store/tours/catalog';
import { TOUR_LIST } from '../../src/store/tours/list';
import { useTour } from '../../src/store/tours/runner';
import { getSim, useStore } from '../../src/store/store';
import { toJson } from '../../src/db/json';

/** Steps a tour expects to fail: what the narration is about (timeouts, refusals). */
const EXPECTED_FAILURES: Record<string, number[]> = {
  crash: [4],
  partition: [3],
  figure8: [4],
  reads: [7, 8],
};

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('guided tours', () => {
  beforeAll(async () => {
    await useStore.getState().init(loadSqlJs);
  });

  it('the picker lists every tour, in the catalogue’s order, under its own title', () => {
    // The list loads with the page, the tours only when one starts: they must name the same tours.
    expect(TOUR_LIST.map((t) => [t.id, t.title, t.summary])).toEqual(TOURS.map((t) => [t.id, t.title, t.summary]));
  });

  it('every tour scenario is a valid scenario file', () => {
    for (const t of TOURS) expect(() => parseScenario(JSON.stringify(t.scenario)), t.id).not.toThrow();
  });

  for (const tour of TOURS) {
    it(`${tour.id}: runs to the end with every task done`, async () => {
      const t = useTour.getState();
      await t.start(tour.id);
      for (let k = 0; k < tour.steps.length; k++) {
        expect(useTour.getState().index, `${tour.id} step ${k}`).toBe(k);
        if (tour.steps[k].task) {
          useTour.getState().doTask();
          await flush();
          // A confirmed request plays until its answer: jump there, then the runner moves on.
          useTour.getState().skip();
          await flush();
        } else {
          useTour.getState().next();
        }
      }
      expect(useTour.getState().tour).toBeNull();
      const results = useTour.getState().results;
      expect(results.length).toBe(tour.scenario.steps.length);
      const failed = results.filter((r) => !r.ok).map((r) => r.i);
      expect(failed, toJson(results.filter((r) => !r.ok))).toEqual(EXPECTED_FAILURES[tour.id] ?? []);
      const sim = getSim()!;
      const hashes = [...sim.cluster.servers.values()].filter((s) => s.alive).map((s) => s.db!.hash());
      if (process.env.TOUR_DEBUG) console.log(tour.id, toJson(results), sim.cluster.leader()?.id, hashes);
    });
  }
});
