import { describe, expect, it } from 'vitest';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

describe('State Machine Safety on database content', () => {
  it('reports two nodes that applied the same log but hold different databases', async () => {
    const { cluster, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 5 });
    const leader = waitLeader(cluster);
    expect(exec(cluster, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    cluster.world.runUntil(() => false, cluster.now + 500);
    expect(monitor.violations()).toEqual([]);
    // A follower's database changed behind Raft's back, as non-deterministic SQL would do.
    const follower = [...cluster.servers.values()].find((s) => s.id !== leader)!;
    expect(follower.db!.execute({ statements: [{ sql: 'INSERT INTO t VALUES (42)' }], transaction: false, ts: 0 })[0].error).toBeUndefined();
    expect(exec(cluster, leader, 'INSERT INTO t VALUES (1)').ok).toBe(true);
    cluster.world.runUntil(() => false, cluster.now + 500);
    const found = monitor.violations();
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].invariant).toBe('State Machine Safety');
    expect(found[0].detail).toMatch(/applied the same log up to index \d+ but hold different databases/);
    cluster.dispose();
  });

  it('reports nothing on a healthy run', async () => {
    const { cluster, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 6 });
    const leader = waitLeader(cluster);
    for (const sql of ['CREATE TABLE t(v, r DEFAULT (random()))', 'INSERT INTO t(v) VALUES (1)', "INSERT INTO t(v) VALUES (datetime('now'))"]) {
      expect(exec(cluster, leader, sql).ok).toBe(true);
    }
    cluster.world.runUntil(() => false, cluster.now + 500);
    expect(monitor.violations()).toEqual([]);
    cluster.dispose();
  });
});
