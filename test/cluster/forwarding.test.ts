import { describe, expect, it } from 'vitest';
import type { ExecuteResult, QueryResult } from '../../src/db/types';
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
