import { describe, expect, it } from 'vitest';
import type { Answer, ClientOp } from '../../src/cluster/types';
import type { QueryResult } from '../../src/db/types';
import { MIN_BATCH } from '../../src/db/batch';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

/**
 * The edges of the leader's apply batching (src/cluster/server.ts, applyAll) that a client or the
 * page can see: a reply callback may crash the node in the middle of a batch or at its last entry,
 * and from then on the node is down: it applies nothing, holds no database, and catches up from
 * the log when restarted.
 */

const insert = (v: number): ClientOp => ({
  op: 'execute',
  req: { statements: [{ sql: `INSERT INTO t(v) VALUES (${v})` }], transaction: false, queue: false, timeout: 2000 },
});

async function crashOnReply(crashAt: number, n: number) {
  const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 3 });
  const leader = waitLeader(c);
  expect(exec(c, leader, 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
  const applied: string[] = [];
  let crashed = false;
  c.observe({ onApply: (s) => crashed && s.id === leader && applied.push(s.id) });
  const answers: (Answer | null)[] = Array.from({ length: n }, () => null);
  for (let i = 0; i < n; i++) {
    c.request(leader, insert(i), (a) => {
      answers[i] = a;
      if (i === crashAt) {
        c.kill(leader);
        crashed = true;
      }
    });
  }
  c.world.runUntil(() => answers.every((a) => a !== null), c.now + 3000);
  return { c, monitor, leader, answers, applied };
}

describe('a batch ends with the step that applied it', () => {
  it('committed at once: the leader can be checkpointed right after, and the next run of writes is batched again', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 3 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
    for (const round of [0, 1]) {
      const answers: (Answer | null)[] = Array.from({ length: MIN_BATCH }, () => null);
      for (let i = 0; i < MIN_BATCH; i++) c.request(leader, insert(round * 10 + i), (a) => (answers[i] = a));
      c.world.runUntil(() => answers.every((a) => a !== null), c.now + 3000);
      expect(answers.every((a) => a?.ok), `round ${round}`).toBe(true);
      expect(c.servers.get(leader)!.checkpoint(), `round ${round}`).not.toBeNull();
    }
    expect(c.world.runUntil(() => c.converged(), c.now + 3000)).toBe(true);
    expect(new Set([...c.servers.values()].map((s) => s.db!.hash())).size).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});

describe('a reply that crashes the leader inside a batch', () => {
  it('at the last entry of the batch: every write answered ok, nothing left open, all caught up on restart', async () => {
    const n = MIN_BATCH + 1;
    const { c, monitor, leader, answers, applied } = await crashOnReply(n - 1, n);
    expect(answers.map((a) => a?.ok)).toEqual(answers.map(() => true));
    expect(c.servers.get(leader)!.db).toBeNull();
    expect(applied).toEqual([]);
    c.restart(leader);
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    const rows = query(c, leader, 'SELECT count(*) FROM t', 'none');
    expect(rows.ok && (rows.result.results[0] as QueryResult).values).toEqual([[n]]);
    expect(new Set([...c.servers.values()].map((s) => s.db!.hash())).size).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });

  it('in the middle: the node applies nothing more and holds no database until it restarts', async () => {
    const n = MIN_BATCH + 3;
    const { c, leader, answers, applied } = await crashOnReply(1, n);
    expect(answers.map((a) => (a?.ok ? 'ok' : a?.problem.code))).toEqual(['ok', 'ok', ...Array.from({ length: n - 2 }, () => 'crashed')]);
    expect(applied).toEqual([]);
    expect(c.servers.get(leader)!.db).toBeNull();
    c.dispose();
  });
});

describe('a reply that crashes and restarts the leader inside a batch', () => {
  it('the rest of the batch is not applied to the restarted node’s new database: it replays them from its log', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 3 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
    const n = MIN_BATCH + 3;
    const answers: (Answer | null)[] = Array.from({ length: n }, () => null);
    for (let i = 0; i < n; i++) {
      c.request(leader, insert(i), (a) => {
        answers[i] = a;
        if (i === 1) {
          c.kill(leader);
          c.restart(leader);
        }
      });
    }
    c.world.runUntil(() => answers.every((a) => a !== null), c.now + 3000);
    expect(answers.map((a) => (a?.ok ? 'ok' : a?.problem.code))).toEqual(['ok', 'ok', ...Array.from({ length: n - 2 }, () => 'crashed')]);
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    for (const id of c.servers.keys()) {
      const rows = query(c, id, 'SELECT count(*), count(DISTINCT v) FROM t', 'none');
      expect(rows.ok && (rows.result.results[0] as QueryResult).values, id).toEqual([[n, n]]);
    }
    // Every node that applied index i holds the same database there: the restarted one too.
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});
