import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import type { Answer, ClientOp } from '../../src/cluster/types';
import type { QueryResult } from '../../src/db/types';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

/**
 * Edges of request routing (src/cluster/routing.ts) that a client sees: which answer comes when a
 * forward is lost or lands on a node that no longer leads, that a write the leader cannot take yet
 * is retried rather than refused, that a network-duplicated forward to a dead leader still writes
 * once, and how calls are numbered.
 */

const write = (sql: string, timeout = 2000): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout } });
const weak = (sql: string, timeout = 2000): ClientOp => ({ op: 'query', req: { statements: [{ sql }], level: 'weak', timeout } });

async function cluster(seed = 11, nodes = 3) {
  const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes, seed });
  const leader = waitLeader(c);
  expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
  const followers = [...c.servers.keys()].filter((id) => id !== leader);
  return { c, monitor, leader, followers };
}

function send(c: Cluster, node: string, op: ClientOp): { answer: () => Answer | null; at: () => number } {
  let answer: Answer | null = null;
  let at = -1;
  c.request(node, op, (a) => {
    answer = a;
    at = c.now;
  });
  return { answer: () => answer, at: () => at };
}

const count = (c: Cluster, id: string) => {
  const a = query(c, id, 'SELECT count(*) FROM t', 'none');
  return a.ok ? (a.result.results[0] as QueryResult).values?.[0]?.[0] : a.problem;
};

describe('calls', () => {
  it('are numbered 1, 2, 3 … in the order the client sends them (the page refers to them by number)', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 11 });
    const leader = waitLeader(c);
    for (let i = 0; i < 3; i++) send(c, leader, weak('SELECT 1'));
    const calls = c.world.log.flatMap((e) => (e.kind === 'client' ? [e.request.call] : []));
    expect(calls).toEqual([1, 2, 3]);
    c.dispose();
  });
});

describe('what a client hears', () => {
  it('a write sent to the leader while it hands over leadership is retried and taken by the new leader', async () => {
    const { c, leader, followers } = await cluster();
    expect(c.membership.transfer(followers[0]).ok).toBe(true);
    const w = send(c, leader, write('INSERT INTO t VALUES (1)'));
    c.world.runUntil(() => w.answer() !== null, c.now + 2000);
    expect(w.answer()).toMatchObject({ ok: true, node: followers[0], via: leader });
    c.dispose();
  });

  it('a forward lost on the way to the leader: timeout at the deadline (a leader was known), not no-leader', async () => {
    const { c, leader, followers } = await cluster();
    c.partition([[leader], followers]);
    const w = send(c, followers[0], write('INSERT INTO t VALUES (1)', 100));
    c.world.advance(200);
    expect(w.answer()).toMatchObject({ ok: false, node: followers[0], problem: { code: 'timeout' } });
    c.dispose();
  });

  it('a weak read forwarded to a node that stopped leading before it arrived is not served there', async () => {
    const { c, leader, followers } = await cluster(11, 5);
    // The leader and one follower cut off from the majority: the leader steps down (check-quorum)
    // while the follower still names it as leader, and forwards to it.
    c.partition([[leader, followers[0]], followers.slice(1)]);
    c.world.runUntil(() => c.servers.get(leader)!.proc.raft!.role !== 'leader', c.now + 3000);
    expect(c.servers.get(followers[0])!.proc.raft!.leaderId).toBe(leader);
    const r = send(c, followers[0], weak('SELECT count(*) FROM t', 300));
    c.world.advance(400);
    expect(r.answer()).toMatchObject({ ok: false, node: followers[0] });
    // The ex-leader said why it sent the read back: it does not lead.
    const refusals = c.world.log.flatMap((e) => (e.kind === 'deliver' && e.msg.type === 'ClientResponse' ? [e.msg] : []));
    expect(refusals.length).toBeGreaterThan(0);
    for (const m of refusals) expect(m).toMatchObject({ from: leader, retry: true, answer: { ok: false, problem: { code: 'not-leader' } } });
    c.dispose();
  });

  it('a write forwarded to a dead leader over a network that duplicates every message is still written once', async () => {
    const { c, monitor, leader, followers } = await cluster(11, 3);
    // Copies spread over up to 80 ms: an older forward's copy fails after the retry sent a newer one.
    c.setNetwork({ duplicate: 1, latency: [5, 80] });
    c.kill(leader);
    expect(c.servers.get(followers[0])!.proc.raft!.leaderId).toBe(leader);
    const w = send(c, followers[0], write('INSERT INTO t VALUES (1)', 5000));
    c.world.runUntil(() => w.answer() !== null, c.now + 5000);
    expect(w.answer()).toMatchObject({ ok: true });
    c.setNetwork({ duplicate: 0, latency: [5, 15] });
    c.restart(leader);
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    for (const id of c.servers.keys()) expect(count(c, id), id).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });

  it('a copy of an older forward failing at a dead leader after the call went on to the new one does not send it again', async () => {
    const { c, monitor, leader, followers } = await cluster(2, 3);
    const [f, t] = followers;
    c.world.advance(100);
    // The leader hands over to t while f is cut off: f still names the old leader, and learns of
    // t from its first AppendEntries, never from a vote.
    c.partition([[f], [leader, t]]);
    expect(c.membership.transfer(t).ok).toBe(true);
    expect(c.world.runUntil(() => c.servers.get(t)!.proc.raft!.role === 'leader', c.now + 500)).toBe(true);
    c.kill(leader);
    c.heal();
    expect(c.servers.get(f)!.proc.raft!.leaderId).toBe(leader);
    c.setNetwork({ duplicate: 1, latency: [5, 80] });
    const w = send(c, f, write('INSERT INTO t VALUES (1)', 5000));
    c.world.runUntil(() => w.answer() !== null, c.now + 5000);
    expect(w.answer()).toMatchObject({ ok: true, node: t, via: f });
    // What this is about: a copy of a forward to the dead leader failed after f forwarded to t.
    const forwards = c.world.log.flatMap((e) => ((e.kind === 'deliver' || e.kind === 'drop') && e.msg.type === 'ClientRequest' ? [e] : []));
    const toNew = Math.min(...forwards.filter((e) => e.msg.to === t).map((e) => e.sentAt));
    expect(forwards.some((e) => e.kind === 'drop' && e.msg.to === leader && e.reason === 'receiver down' && e.time > toNew)).toBe(true);
    c.setNetwork({ duplicate: 0, latency: [5, 15] });
    c.restart(leader);
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    for (const id of c.servers.keys()) expect(count(c, id), id).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });

  it('a column default of CURRENT_TIMESTAMP reads the leader’s clock when it took the write', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE d(k, at DEFAULT CURRENT_TIMESTAMP)').ok).toBe(true);
    c.world.advance(5000);
    const at = c.now;
    expect(exec(c, leader, 'INSERT INTO d(k) VALUES (1)').ok).toBe(true);
    const a = query(c, leader, 'SELECT at FROM d', 'none');
    const stamp = new Date(c.opts.epochMs + at).toISOString().slice(0, 19).replace('T', ' ');
    expect(a.ok && (a.result.results[0] as QueryResult).values).toEqual([[stamp]]);
    c.dispose();
  });

  it('random() in a write is drawn once, at the leader: every node stores the same integer', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'INSERT INTO t VALUES (random())').ok).toBe(true);
    expect(c.world.runUntil(() => c.converged(), c.now + 3000)).toBe(true);
    const values = [...c.servers.keys()].map((id) => {
      const a = query(c, id, 'SELECT v, typeof(v) FROM t', 'none');
      return a.ok ? (a.result.results[0] as QueryResult).values : a.problem;
    });
    expect(values[0]).toEqual([[expect.anything(), 'integer']]);
    expect(values.slice(1)).toEqual([values[0], values[0]]);
    c.dispose();
  });
});

describe('no retry left behind', () => {
  it('a call answered at its deadline leaves no live retry: a checkpoint can be taken at the next step', async () => {
    const { c, leader, followers } = await cluster();
    c.kill(leader);
    c.kill(followers[1]);
    c.world.advance(1000);
    expect(c.servers.get(followers[0])!.proc.raft!.leaderId).toBeNull();
    // 40 ms: retries at +20 and +40, the second due at the very instant of the deadline.
    const w = send(c, followers[0], write('INSERT INTO t VALUES (1)', 40));
    c.world.runUntil(() => w.answer() !== null, c.now + 100);
    expect(w.answer()).toMatchObject({ ok: false, problem: { code: 'no-leader' } });
    expect(c.checkpoint()).not.toBeNull();
    c.dispose();
  });

  it('a write answered no-leader at its deadline is never sent on by a retry due at that same instant', async () => {
    const { c, leader, followers } = await cluster();
    c.kill(leader);
    c.world.runUntil(() => c.servers.get(followers[0])!.proc.raft!.leaderId === null, c.now + 2000);
    // Seed 11: the survivors elect a leader within 40 ms, so the retry due at the deadline finds one.
    const w = send(c, followers[0], write('INSERT INTO t VALUES (1)', 40));
    c.world.advance(2000);
    expect(w.answer()).toMatchObject({ ok: false, problem: { code: 'no-leader' } });
    expect(c.leader()).not.toBeNull();
    expect(count(c, followers[0])).toBe(0);
    c.dispose();
  });
});
