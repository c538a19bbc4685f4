import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { TOURS } from '../../src/store/tours/catalog';
import { electionTour } from '../../src/store/tours/election';
import { figure8Tour } from '../../src/store/tours/figure8';
import { useStore } from '../../src/store/store';
import { auditTemplate, walk, type Mode } from './auditor';

const MODES: Mode[] = ['straight', 'play', 'scrub', 'fork', 'reload'];

describe('tour auditor', () => {
  beforeAll(async () => {
    await useStore.getState().init(loadSqlJs);
  });

  it('no step names a server, term or index that neither a fact nor a placeholder vouches for', () => {
    expect(TOURS.flatMap(auditTemplate)).toEqual([]);
  });

  for (const tour of TOURS) {
    for (const mode of MODES) {
      it(`${tour.id}, ${mode}: every step shown is true, to the end`, async () => {
        expect(await walk(tour, mode)).toEqual([]);
      });
    }
  }

  // The auditor is only worth something if it notices a tour that lies: the same narration over
  // another seed's cluster (a different server wins, the split vote does not happen) must fail.
  it('bites: tour 2 and tour 6 over another seed are caught', async () => {
    for (const [tour, seed] of [
      [electionTour, 27],
      [figure8Tour, 2],
    ] as const) {
      const lying = { ...tour, scenario: { ...tour.scenario, seed } };
      const complaints = await walk(lying, 'straight');
      expect(complaints.length, `${tour.id} with seed ${seed}`).toBeGreaterThan(0);
    }
  });
});
