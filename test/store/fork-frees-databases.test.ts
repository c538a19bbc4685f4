import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { defaultSimOptions } from '../../src/replay/simulation';
import { getSim, useStore } from '../../src/store/store';

/** sql.js databases live in a wasm heap that is never garbage-collected: a dropped run must close them. */
describe('replacing the run frees the old databases', () => {
  beforeAll(async () => {
    const SQL = await loadSqlJs();
    await useStore.getState().init(async () => SQL);
  });

  const open = (s: NonNullable<ReturnType<typeof getSim>>) => [...s.cluster.servers.values()].filter((n) => n.db !== null).length;

  it('a new cluster, a fork and a load each close every database of the run they replace', () => {
    const store = useStore.getState();
    store.newCluster({ ...defaultSimOptions, nodes: 3, seed: 2 });
    const first = getSim()!;
    expect(open(first)).toBe(3);

    store.newCluster({ ...defaultSimOptions, nodes: 3, seed: 3 });
    const second = getSim()!;
    expect(second).not.toBe(first);
    expect(open(first)).toBe(0);
    // A dropped run reads as down instead of quietly opening a new database.
    expect([...first.cluster.servers.values()].every((n) => !n.alive)).toBe(true);

    // Acting in the past forks: the run is replayed up to the moment on screen and the old one dropped.
    useStore.getState().pause();
    second.runTo(400);
    useStore.setState({ frame: 1, time: second.frames.time(1) });
    useStore.getState().act({ kind: 'kill', node: 'n1' });
    const forked = getSim()!;
    expect(forked).not.toBe(second);
    expect(open(second)).toBe(0);
    expect(open(forked)).toBe(2);

    const run = useStore.getState().currentRun()!;
    useStore.getState().loadRun(run);
    expect(getSim()).not.toBe(forked);
    expect(open(forked)).toBe(0);
  });
});
