import { describe, expect, it } from 'vitest';
import { configChanges } from '../../src/cluster/cluster';
import type { Answer, ClientOp } from '../../src/cluster/types';
import type { QueryResult } from '../../src/db/types';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

/**
 * How the service answers client requests at its edges (src/cluster/routing.ts, queue.ts,
 * server.ts, cluster.ts): the problem each failure carries and when, `none` reads and their
 * freshness, queued writes, and the operator's mechanisms. Written from mutation testing.
 */

const write = (sql: string, timeout = 2000, queue = false): ClientOp => ({
  op: 'execute',
  req: { statements: [{ sql }], transaction: false, queue, timeout },
});

async function cluster(seed = 11) {
  const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed });
  const leader = waitLeader(c);
  const followers = [...c.servers.keys()].filter((id) => id !== leader);
  return { c, monitor, leader, followers };
}

function values(a: Answer): unknown {
  return a.ok ? (a.result.results[0] as QueryResult).values : a.problem;
}

describe('failures and when they come', () => {
  it('a request to a down node fails at once: node-down', async () => {
    const { c, followers } = await cluster();
    c.kill(followers[0]);
    let answer: Answer | null = null;
    c.request(followers[0], write('CREATE TABLE t(v)'), (a) => (answer = a));
    expect(answer).toMatchObject({
      ok: false,
      node: followers[0],
      problem: { code: 'node-down', node: followers[0] },
    });
    c.dispose();
  });

  it('with no leader anywhere the request is retried until its deadline, then no-leader', async () => {
    const { c, leader, followers } = await cluster();
    c.kill(leader);
    c.kill(followers[1]);
    // Long enough for the survivor's election timer: it forgets the dead leader.
    c.world.advance(1000);
    expect(c.servers.get(followers[0])!.proc.raft!.leaderId).toBeNull();
    const start = c.now;
    let answer: Answer | null = null;
    let at = 0;
    c.request(followers[0], write('CREATE TABLE t(v)', 500), (a) => {
      answer = a;
      at = c.now;
    });
    c.world.advance(2000);
    expect(answer).toMatchObject({ ok: false, problem: { code: 'no-leader' } });
    expect(at - start).toBe(500);
    c.dispose();
  });

  it('a node that crashes while it retries a request answers crashed at its next try', async () => {
    const { c, leader, followers } = await cluster();
    c.kill(leader);
    c.kill(followers[1]);
    c.world.advance(1000);
    let answer: Answer | null = null;
    c.request(followers[0], write('CREATE TABLE t(v)', 500), (a) => (answer = a));
    c.world.advance(50);
    expect(answer).toBeNull();
    c.kill(followers[0]);
    c.world.advance(50);
    expect(answer).toMatchObject({
      ok: false,
      node: followers[0],
      problem: { code: 'crashed', node: followers[0] },
    });
    c.dispose();
  });

  it('a leader that took the write but cannot commit it: timeout at the deadline, not no-leader', async () => {
    const { c, leader } = await cluster();
    c.isolate(leader);
    const start = c.now;
    let answer: Answer | null = null;
    let at = 0;
    c.request(leader, write('CREATE TABLE t(v)', 300), (a) => {
      answer = a;
      at = c.now;
    });
    c.world.advance(1000);
    expect(answer).toMatchObject({ ok: false, node: leader, problem: { code: 'timeout' } });
    expect(at - start).toBe(300);
    c.dispose();
  });

  it('a leader that crashes while holding a write answers crashed; one that steps down answers leadership-lost', async () => {
    const { c, leader, followers } = await cluster();
    let crashed: Answer | null = null;
    c.request(leader, write('CREATE TABLE a(v)'), (a) => (crashed = a));
    c.kill(leader);
    expect(crashed).toMatchObject({ ok: false, problem: { code: 'crashed', node: leader } });
    c.restart(leader);
    const next = waitLeader(c);
    const others = [...c.servers.keys()].filter((id) => id !== next);
    c.partition([[next], others]);
    let lost: Answer | null = null;
    c.request(next, write('CREATE TABLE b(v)', 10_000), (a) => (lost = a));
    c.world.runUntil(() => lost !== null, c.now + 5000);
    expect(lost).toMatchObject({ ok: false, problem: { code: 'leadership-lost' } });
    c.heal();
    expect(followers).toHaveLength(2);
    c.dispose();
  });
});

describe('none reads and freshness', () => {
  it('a follower cut off for longer than the freshness refuses; within it, or without one, it serves', async () => {
    const { c, leader, followers } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    expect(exec(c, leader, 'INSERT INTO t VALUES (1)').ok).toBe(true);
    c.world.advance(200);
    const f = followers[0];
    c.isolate(f);
    c.world.advance(300);
    const read = (freshness?: number): Answer => {
      let answer: Answer | null = null;
      c.request(
        f,
        {
          op: 'query',
          req: { statements: [{ sql: 'SELECT v FROM t' }], level: 'none', freshness, timeout: 100 },
        },
        (a) => (answer = a),
      );
      return answer!;
    };
    const stale = read(100);
    expect(stale).toMatchObject({ ok: false, node: f, problem: { code: 'stale', node: f, freshness: 100 } });
    if (!stale.ok && stale.problem.code === 'stale')
      expect(stale.problem.age).toBe(c.now - c.servers.get(f)!.proc.raft!.lastLeaderContact);
    expect(values(read(60_000))).toEqual([[1]]);
    expect(values(read(0))).toEqual([[1]]);
    expect(values(read())).toEqual([[1]]);
    // At exactly the freshness it still serves: only older is stale.
    const age = c.now - c.servers.get(f)!.proc.raft!.lastLeaderContact;
    expect(values(read(age))).toEqual([[1]]);
    expect(read(age - 1).ok).toBe(false);
    c.dispose();
  });

  it('the leader never refuses a none read as stale', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.isolate(leader);
    c.world.advance(100);
    let answer: Answer | null = null;
    c.request(
      leader,
      {
        op: 'query',
        req: { statements: [{ sql: 'SELECT count(*) FROM t' }], level: 'none', freshness: 1, timeout: 100 },
      },
      (a) => (answer = a),
    );
    expect(answer).toMatchObject({ ok: true, node: leader });
    c.dispose();
  });
});

describe('queued writes', () => {
  it('are sent together after queueFlushMs, or at once when the batch is full; sequence numbers count up', async () => {
    const { cluster: c } = makeCluster(await sqljs(), {
      nodes: 3,
      seed: 4,
      queueBatchSize: 3,
      queueFlushMs: 40,
    });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const count = () => values(query(c, leader, 'SELECT count(*) FROM t', 'weak'));
    const seqs: number[] = [];
    const lastIndex = () => c.servers.get(leader)!.proc.raft!.lastIndex;
    const before = lastIndex();
    const queued = (v: number) =>
      c.request(leader, write(`INSERT INTO t VALUES (${v})`, 2000, true), (a) =>
        seqs.push(a.ok ? a.result.sequence_number! : -1),
      );
    queued(1);
    queued(2);
    expect(seqs).toEqual([1, 2]);
    c.world.advance(30);
    expect(count()).toEqual([[0]]);
    c.world.advance(200);
    expect(count()).toEqual([[2]]);
    // Three at once fill the batch: sent without waiting for the timer.
    queued(3);
    queued(4);
    queued(5);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    c.world.advance(30);
    expect(count()).toEqual([[5]]);
    // Two batches, one entry each; the timer armed by the third write finds its queue empty and sends nothing.
    c.world.advance(100);
    expect(lastIndex() - before).toBe(2);
    c.dispose();
  });
});

describe('queued writes, more', () => {
  it('a batch is not a transaction: a failing statement does not undo the others', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 4, queueFlushMs: 40 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    for (const sql of [
      'INSERT INTO t VALUES (1)',
      'INSERT INTO missing VALUES (2)',
      'INSERT INTO t VALUES (3)',
    ])
      c.request(leader, write(sql, 2000, true), () => {});
    c.world.advance(300);
    expect(values(query(c, leader, 'SELECT v FROM t ORDER BY v', 'weak'))).toEqual([[1], [3]]);
    c.dispose();
  });

  it('the flush timer is armed once per batch: a write queued later waits its own queueFlushMs', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 4, queueFlushMs: 200 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const count = () => values(query(c, leader, 'SELECT count(*) FROM t', 'weak'));
    const queued = (v: number) =>
      c.request(leader, write(`INSERT INTO t VALUES (${v})`, 2000, true), () => {});
    const t0 = c.now;
    queued(1);
    c.world.runUntil(() => false, t0 + 150);
    queued(2);
    c.world.runUntil(() => false, t0 + 210);
    queued(3);
    // Sent at t0 + 200 (both) and t0 + 410 (the third): at t0 + 390 only the first two are in.
    c.world.runUntil(() => false, t0 + 390);
    expect(count()).toEqual([[2]]);
    c.world.runUntil(() => false, t0 + 600);
    expect(count()).toEqual([[3]]);
    c.dispose();
  });
});

describe('operator mechanisms', () => {
  it('timeoutNow starts an election at a follower, and is refused at the leader', async () => {
    const { c, leader, followers } = await cluster();
    const term = c.servers.get(leader)!.proc.raft!.term;
    expect(c.timeoutNow(leader)).toBe(false);
    expect(c.timeoutNow(followers[0])).toBe(true);
    expect(c.world.log.filter((e) => e.kind === 'timeout' && e.forced)).toMatchObject([
      { node: followers[0] },
    ]);
    // A (pre-)candidate now: with pre-vote on, the term moves only once a majority would vote.
    expect(c.servers.get(followers[0])!.proc.raft!.role).not.toBe('follower');
    expect(c.servers.get(followers[0])!.proc.raft!.term).toBeGreaterThanOrEqual(term);
    c.kill(followers[1]);
    expect(c.timeoutNow(followers[1])).toBe(false);
    c.dispose();
  });

  it('setNetwork changes only what it is given', async () => {
    const { c } = await cluster();
    c.setNetwork({ drop: 0.25 });
    c.setNetwork({ duplicate: 0.5 });
    c.setNetwork({ latency: [1, 2] });
    expect(c.world.log.at(-1)).toMatchObject({
      kind: 'network',
      drop: 0.25,
      duplicate: 0.5,
      latency: [1, 2],
    });
    c.setNetwork({});
    expect(c.world.log.at(-1)).toMatchObject({
      kind: 'network',
      drop: 0.25,
      duplicate: 0.5,
      latency: [1, 2],
    });
    c.dispose();
  });

  it('kill and restart are no-ops on a node already down or up, and record nothing', async () => {
    const { c, followers } = await cluster();
    const f = followers[0];
    const n = () => c.world.log.filter((e) => e.kind === 'crash' || e.kind === 'restart').length;
    c.restart(f);
    expect(n()).toBe(0);
    c.kill(f);
    c.kill(f);
    expect(n()).toBe(1);
    c.restart(f);
    c.restart('n9');
    expect(n()).toBe(2);
    expect(c.servers.get(f)!.alive).toBe(true);
    c.dispose();
  });

  it('a snapshot compacts what was applied, once', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const s = c.servers.get(leader)!;
    const applied = s.proc.raft!.lastApplied;
    expect(s.snapshot()).toBe(applied);
    expect(s.proc.storage.snapshot.index).toBe(applied);
    expect(c.world.log.at(-1)).toMatchObject({
      kind: 'snapshot',
      node: leader,
      action: 'compact',
      reason: { code: 'snapshot-taken', threshold: null },
    });
    expect(s.snapshot()).toBe(applied);
    // The second had nothing to compact: no second snapshot event.
    expect(c.world.log.filter((e) => e.kind === 'snapshot')).toHaveLength(1);
    c.dispose();
  });
});

describe('configChanges', () => {
  it('names who joined, left, was promoted or demoted', () => {
    expect(
      configChanges(
        { voters: ['n1', 'n2', 'n3'], learners: ['n4'] },
        { voters: ['n1', 'n2', 'n4'], learners: ['n5'] },
      ),
    ).toEqual([
      { node: 'n3', from: 'voter', to: null },
      { node: 'n4', from: 'non-voter', to: 'voter' },
      { node: 'n5', from: null, to: 'non-voter' },
    ]);
    expect(
      configChanges({ voters: ['n1', 'n2'], learners: [] }, { voters: ['n1'], learners: ['n2'] }),
    ).toEqual([{ node: 'n2', from: 'voter', to: 'non-voter' }]);
    expect(configChanges({ voters: ['n1'], learners: [] }, { voters: ['n1'], learners: [] })).toEqual([]);
  });
});
