import { describe, expect, it } from 'vitest';
import { operate } from '../../src/cluster/operate';
import type { NetMessage } from '../../src/cluster/types';
import type { ExecuteResult, QueryResult } from '../../src/db/types';
import type { LoggedEvent } from '../../src/sim/events';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

describe('a request forwarded by a follower takes effect once, however often the network delivers it', () => {
  it('every message duplicated: the leader proposes each forwarded write once', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 7 });
    const leader = waitLeader(c);
    const follower = [...c.servers.keys()].find((id) => id !== leader)!;
    expect(exec(c, leader, 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
    expect(exec(c, leader, 'INSERT INTO t(v) VALUES (0)').ok).toBe(true);

    c.setNetwork({ duplicate: 1 });
    const insert = exec(c, follower, 'INSERT INTO t(v) VALUES (100)');
    const bump = exec(c, follower, 'UPDATE t SET v = v + 1 WHERE v < 100');
    c.world.advance(500);
    c.setNetwork({ duplicate: 0 });
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);

    // The network really did hand the leader two copies of each forwarded request.
    const forwards = c.world.log.filter((e) => e.kind === 'deliver' && e.msg?.type === 'ClientRequest' && e.node === leader);
    expect(forwards.length).toBe(4);
    expect(insert).toMatchObject({ ok: true, node: leader, via: follower });
    expect(bump).toMatchObject({ ok: true, node: leader, via: follower });
    if (!bump.ok) return;
    expect((bump.result.results[0] as ExecuteResult).rows_affected).toBe(1);

    for (const id of c.servers.keys()) {
      const rows = query(c, id, 'SELECT v FROM t ORDER BY v', 'none');
      expect(rows.ok, id).toBe(true);
      if (rows.ok) expect((rows.result.results[0] as QueryResult).values, id).toEqual([[1], [100]]);
    }
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});

describe('a forward the leader cannot take is retried, not answered', () => {
  it('during a leadership transfer the old leader refuses with retry; the follower retries and the new leader takes it', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 11 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const [follower, target] = [...c.servers.keys()].filter((id) => id !== leader);
    expect(operate(c, { kind: 'transfer', node: target }).problem).toBeNull();
    const insert = exec(c, follower, 'INSERT INTO t VALUES (1)');
    expect(insert).toMatchObject({ ok: true, node: target, via: follower });
    const replies = c.world.log
      .filter((e): e is Extract<LoggedEvent<NetMessage>, { kind: 'deliver' }> => e.kind === 'deliver')
      .flatMap((e) => (e.msg.type === 'ClientResponse' ? [{ from: e.msg.from, retry: e.msg.retry, ok: e.msg.answer.ok }] : []));
    expect(replies).toEqual([
      { from: leader, retry: true, ok: false },
      { from: target, retry: false, ok: true },
    ]);
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    expect(query(c, target, 'SELECT count(*) FROM t', 'none')).toMatchObject({ ok: true, result: { results: [{ values: [[1]] }] } });
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});
