import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster';
import type { Answer } from '../../src/cluster/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * The refusals of Cluster.checkpoint (src/cluster/cluster.ts) that checkpoint.test.ts does not
 * reach alone: a state only the world cannot carry (a request waiting for a leader, nothing held
 * by any server) and one only a server cannot carry (a write its leader still holds after the
 * client's call was answered). A checkpoint taken there would lose the request or the write on
 * restore. And a cluster made not started, to be restored, does nothing by itself.
 */

describe('no checkpoint', () => {
  it('while a request waits at a node that knows no leader yet', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    expect(c.checkpoint()).not.toBeNull();
    let answer: Answer | null = null;
    c.request('n1', { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'weak', timeout: 2000 } }, (a) => (answer = a));
    expect(c.leader()).toBeNull();
    expect(c.checkpoint()).toBeNull();
    c.world.runUntil(() => answer !== null, c.now + 2001);
    expect(answer).toMatchObject({ ok: true, result: { results: [{ values: [[1]] }] } });
    expect(c.checkpoint()).not.toBeNull();
    c.dispose();
  });

  it('while a cut-off leader still holds a write whose call has timed out', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.world.advance(100);
    c.isolate(leader);
    const timedOut = exec(c, leader, 'INSERT INTO t VALUES (1)', 30);
    expect(timedOut).toMatchObject({ ok: false, problem: { code: 'timeout' } });
    // Still the leader (it has not yet missed a quorum of heartbeats), the entry still its own.
    expect(c.servers.get(leader)!.proc.raft!.role).toBe('leader');
    expect(c.checkpoint()).toBeNull();
    // Once it steps down it lets go of the write: then a checkpoint can be taken again.
    c.world.runUntil(() => c.servers.get(leader)!.proc.raft!.role !== 'leader', c.now + 2000);
    c.world.advance(50);
    expect(c.checkpoint()).not.toBeNull();
    c.dispose();
  });
});

describe('a cluster made not started', () => {
  it('has every server down and records nothing, however long it runs, until restored', async () => {
    const SQL = await sqljs();
    const c = new Cluster(SQL, { nodes: 3, seed: 2 }, false);
    c.world.logLimit = 1000;
    c.world.advance(1000);
    expect([...c.servers.values()].map((s) => s.alive)).toEqual([false, false, false]);
    expect(c.world.log).toEqual([]);
    expect(c.leader()).toBeNull();
    c.dispose();
  });
});
