import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { defaultSimOptions, Simulation } from '../../src/replay/simulation';
import { getSim, useStore } from '../../src/store/store';
import { fingerprint } from '../helpers/simFingerprint';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
  await useStore.getState().init(async () => SQL);
});

describe('acting in the past of a long run', () => {
  it('resumes from a checkpoint: the same run as a replay from the start, the console as before', () => {
    const store = useStore.getState();
    store.newCluster({ ...defaultSimOptions, nodes: 5, seed: 4 });
    const op = (sql: string) => ({ op: 'execute' as const, req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });
    useStore.getState().drive((d) => {
      d.sim.runTo(1000);
      d.request('n1', op('CREATE TABLE t(k)'), 'CREATE TABLE t(k)');
      for (let t = 1500; t < 30_000; t += 700) {
        d.sim.runTo(t);
        d.request('any', op(`INSERT INTO t VALUES (${t})`), `INSERT ${t}`);
      }
      d.sim.runTo(30_000);
    });
    const before = getSim()!;
    expect(before.checkpoints.all.length).toBeGreaterThan(5);
    useStore.getState().pause();
    useStore.getState().seekTime(21_100);
    const { frame } = useStore.getState();
    const cp = before.checkpoints.atOrBefore(frame)!;
    expect(frame - cp.frame).toBeLessThan(before.frames.length / 10);

    const forkTime = before.frames.time(frame);
    const answeredBefore = useStore.getState().entries.filter((e) => e.answeredAt !== null && e.answeredAt <= forkTime);
    expect(answeredBefore.length).toBeGreaterThan(20);
    const atCheckpoint = before.frames.get(cp.frame);
    useStore.getState().act({ kind: 'kill', node: 'n2' });
    const forked = getSim()!;
    expect(forked).not.toBe(before);
    // Resumed, not replayed: the frames up to the checkpoint are the old run's own objects.
    expect(forked.frames.get(cp.frame)).toBe(atCheckpoint);
    const replayed = Simulation.replay(SQL, forked.options, forked.inputs, forked.frames.length - 1, () => {});
    replayed.runTo(forked.now);
    expect(fingerprint(forked)).toEqual(fingerprint(replayed));

    // The console: what was sent after the moment is forgotten, what was answered before it stays.
    const { entries } = useStore.getState();
    expect(entries.filter((e) => e.forgotten).map((e) => e.sql)).toEqual(entries.filter((e) => e.sentAt > forkTime).map((e) => e.sql));
    for (const e of answeredBefore) expect(entries.find((x) => x.id === e.id)).toEqual(e);
  });
});
