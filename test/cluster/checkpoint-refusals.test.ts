import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster';
import type { Answer } from '../../src/cluster/types';
import { makeCluster, sqljs } from '../helpers/drive';

/**
 * A refusal of Cluster.checkpoint (src/cluster/cluster.ts) that checkpoint.test.ts does not reach
 * alone: a call made without a tag, waiting in the world only (retried while no leader is known,
 * nothing held by any server). A checkpoint taken there could not give it its answer on restore.
 * And a cluster made not started, to be restored, does nothing by itself.
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
