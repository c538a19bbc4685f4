import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { PagedSnapshot } from '../../src/replay/pagedSnapshot';
import { Simulation, defaultSimOptions } from '../../src/replay/simulation';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A 3-node run whose nodes compact every 20 entries, with `n3` down from `downAt` writes on. */
function run(writes: number, downAt: number): Simulation {
  const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 3, seed: 2, tuning: { snapshotThreshold: 20 } }, () => undefined, { every: 200, count: 1000, bytes: Infinity });
  while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
  let id = 1;
  const write = (sql: string) => sim.apply({ kind: 'request', id: id++, node: sim.cluster.stableLeader()!.id, body: { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } } });
  write('CREATE TABLE t(k INTEGER, v TEXT)');
  for (let k = 0; k < writes; k++) {
    if (k === downAt) sim.apply({ kind: 'kill', node: 'n3' });
    write(`INSERT INTO t(k, v) VALUES (${k}, '${'x'.repeat(200)}')`);
    sim.runTo(sim.now + 30);
  }
  return sim;
}

const rows = (sim: Simulation, node: string) => sim.cluster.servers.get(node)!.query([{ sql: 'SELECT count(*) AS n, sum(k) AS s FROM t' }])[0];

describe('a Raft snapshot as a checkpoint keeps it (pagedSnapshot.ts)', () => {
  it('is its file as pages, holding no bytes; a restored process reads them from a copy of its own, once', () => {
    const sim = run(120, Infinity);
    const cp = sim.checkpoints.all.at(-1)!;
    const servers = cp.clusterWith(null).servers;
    for (const [, s] of servers) {
      const snap = s.proc.storage.snapshot;
      expect(snap.index).toBeGreaterThan(0);
      expect(snap).toBeInstanceOf(PagedSnapshot);
      const live = snap as PagedSnapshot;
      // A copy for this restore; the checkpoint's own makes its bytes anew at each read and keeps none.
      expect(live.kept).not.toBe(live);
      expect(live.data).toBe(live.data);
      expect(live.kept.data).not.toBe(live.kept.data);
      expect([...live.kept.data]).toEqual([...live.data]);
      // The checkpoint lists the snapshot's file among those it holds.
      expect(cp.images).toContain(live.file);
    }
    sim.cluster.dispose();
  });

  it('is sent whole to a follower that fell behind it, from a fork resumed at a checkpoint', () => {
    const sim = run(160, 40);
    const fork = Simulation.fork(SQL, sim, sim.frames.length - 1, () => undefined);
    const leader = fork.cluster.stableLeader()!;
    // The leader resumed with the checkpoint's snapshot (it compacts again only 20 entries on).
    expect(fork.cluster.servers.get(leader.id)!.proc.storage.snapshot).toBeInstanceOf(PagedSnapshot);
    const from = fork.events.end;
    fork.apply({ kind: 'restart', node: 'n3' });
    fork.runTo(fork.now + 3000);
    // n3 missed entries its leader compacted away: only the snapshot could bring it level.
    const sent: number[] = [];
    for (let seq = from; seq < fork.events.end; seq++) {
      const e = fork.events.get(seq);
      if (e?.kind === 'deliver' && e.msg.type === 'InstallSnapshot' && e.msg.to === 'n3') sent.push(e.msg.chunk.length);
    }
    expect(sent.length).toBeGreaterThan(0);
    expect(rows(fork, 'n3')).toEqual(rows(fork, leader.id));
    expect(rows(fork, 'n3')).toMatchObject({ values: [[160, (159 * 160) / 2]] });
    for (const s of [sim, fork]) s.cluster.dispose();
  });
});
