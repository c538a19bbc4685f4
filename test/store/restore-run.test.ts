import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { EventWindow } from '../../src/replay/eventWindow';
import { defaultSimOptions, Simulation } from '../../src/replay/simulation';
import type { RunRecord } from '../../src/replay/types';
import { diagramModelOf } from '../../src/store/diagram';
import { getSim, useStore } from '../../src/store/store';
import { historyOf } from '../../src/store/whyIndex';
import { fingerprint } from '../helpers/simFingerprint';

/**
 * The page restores a saved session, a shared link or an imported file in slices between frames:
 * it must end where `loadRun` (all at once) ends, show how far it is meanwhile, and leave the run on
 * screen alone when cancelled or when the run cannot be replayed.
 */

const open = (s: NonNullable<ReturnType<typeof getSim>>) => [...s.cluster.servers.values()].filter((n) => n.db !== null).length;
const op = (sql: string) => ({ op: 'execute' as const, req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });

/** A 5-node run with a write every simulated second for half a minute: long enough to need many slices. */
function longRun(): RunRecord {
  const store = useStore.getState();
  store.newCluster({ ...defaultSimOptions, nodes: 5, seed: 7 });
  store.drive((d) => {
    d.sim.runTo(1500);
    d.request('n1', op('CREATE TABLE t(k INTEGER, v TEXT)'), 'CREATE TABLE t(k INTEGER, v TEXT)');
    for (let t = 2000; t < 30_000; t += 1000) {
      d.sim.runTo(t);
      const sql = `INSERT INTO t VALUES (${t}, 'v')`;
      d.request('any', op(sql), sql);
    }
    d.sim.runTo(30_000);
  });
  const sim = getSim()!;
  return { ...useStore.getState().currentRun()!, frame: sim.frames.length - 1, time: sim.now, head: sim.now };
}

describe('restoring a run in slices', () => {
  let run: RunRecord;
  beforeAll(async () => {
    const SQL = await loadSqlJs();
    await useStore.getState().init(async () => SQL);
    run = longRun();
  });
  beforeEach(() => useStore.getState().newCluster({ ...defaultSimOptions, nodes: 3, seed: 1 }));

  it('gives the page back between slices, says how far it is, and ends as a load in one go', async () => {
    useStore.getState().loadRun(run);
    const expected = { sim: fingerprint(getSim()!), entries: useStore.getState().entries };
    useStore.getState().newCluster({ ...defaultSimOptions, nodes: 3, seed: 1 });
    const shown = getSim()!;

    const seen: { at: number; of: number }[] = [];
    const stop = useStore.subscribe((s) => {
      if (s.restoring) seen.push({ at: s.restoring.at, of: s.restoring.of });
    });
    const done = useStore.getState().restoreRun(run, 'Restoring');
    // Between slices the run on screen is still the one before, untouched.
    expect(getSim()).toBe(shown);
    expect(useStore.getState().restoring?.what).toBe('Restoring');
    expect(await done).toBe(true);
    stop();

    expect(seen.length).toBeGreaterThan(1);
    for (let k = 1; k < seen.length; k++) expect(seen[k].at).toBeGreaterThanOrEqual(seen[k - 1].at);
    expect(seen.every((p) => p.of === run.head && p.at <= p.of)).toBe(true);
    expect(useStore.getState().restoring).toBeNull();
    expect(getSim()).not.toBe(shown);
    expect(open(shown)).toBe(0);
    expect(fingerprint(getSim()!)).toEqual(expected.sim);
    expect(useStore.getState().entries).toEqual(expected.entries);
    expect(useStore.getState().entries.filter((e) => e.answer === null)).toEqual([]);
  });

  it('cancelled, it frees what it built and leaves the run on screen as it was', async () => {
    const shown = getSim()!;
    useStore.getState().submit('CREATE TABLE mine(x)');
    const entries = useStore.getState().entries;
    const done = useStore.getState().restoreRun(run, 'Restoring');
    await new Promise((r) => setTimeout(r, 0));
    useStore.getState().cancelRestore();
    expect(await done).toBe(false);
    expect(getSim()).not.toBe(null);
    expect(useStore.getState().restoring).toBeNull();
    expect(useStore.getState().entries).toBe(entries);
    expect(open(getSim()!)).toBe(3);
    // The submit forked nothing (the run was at its head): the run on screen is the same object.
    expect(getSim()).toBe(shown);
  });

  it('a run that cannot be replayed is refused with the reason, and nothing changes', async () => {
    const shown = getSim()!;
    const entries = useStore.getState().entries;
    // A replay that breaks half-way (as a hand-edited file can make it): the 20th input throws.
    const apply = Simulation.prototype.apply;
    const spy = vi.spyOn(Simulation.prototype, 'apply').mockImplementation(function (this: Simulation, action) {
      if (this.inputs.length === 20) throw new Error('input 20 does not fit this cluster');
      return apply.call(this, action);
    });
    try {
      await expect(useStore.getState().restoreRun(run, 'Restoring')).rejects.toThrow('input 20');
    } finally {
      spy.mockRestore();
    }
    expect(getSim()).toBe(shown);
    expect(open(shown)).toBe(3);
    expect(useStore.getState().entries).toBe(entries);
    expect(useStore.getState().restoring).toBeNull();
  });

  it('a second load started mid-way wins, and the indexes follow its replay (nothing replayed twice)', async () => {
    // Every rebuild of dropped history replays an interval in a throwaway run, which offers its events.
    const offers = vi.spyOn(EventWindow.prototype, 'offer');
    try {
      const first = useStore.getState().restoreRun(run, 'Opening one');
      await new Promise((r) => setTimeout(r, 0));
      const later = { ...run, frame: Math.floor(run.frame / 2), time: run.time / 2 };
      const second = useStore.getState().restoreRun(later, 'Opening another');
      expect(await first).toBe(false);
      expect(useStore.getState().restoring?.what).toBe('Opening another');
      expect(await second).toBe(true);
      expect(useStore.getState().restoring).toBeNull();
      expect(useStore.getState().frame).toBe(later.frame);
      const sim = getSim()!;
      historyOf(sim);
      diagramModelOf(sim);
      expect(offers).not.toHaveBeenCalled();
    } finally {
      offers.mockRestore();
    }
  });
});
