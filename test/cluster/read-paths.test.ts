import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import type { Answer, ClientOp, ReadLevel } from '../../src/cluster/types';
import type { QueryResult } from '../../src/db/types';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

/**
 * What each read level costs and what its clock says (src/cluster/routing.ts, server.ts): a
 * `linearizable` read is served by ReadIndex, without a log entry; a `strong` read goes through
 * the log and answers with its index; every read and write sees 'now' as the simulated wall clock
 * (epochMs + the virtual time) at the moment the node that serves it took it.
 */

const NOW = "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')";
const iso = (c: Cluster, t: number) => new Date(c.opts.epochMs + t).toISOString().replace('T', ' ').replace('Z', '');

async function cluster() {
  const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 3 });
  const leader = waitLeader(c);
  const followers = [...c.servers.keys()].filter((id) => id !== leader);
  return { c, monitor, leader, followers };
}

function read(c: Cluster, node: string, sql: string, level: ReadLevel): { answer: Answer; sentAt: number } {
  const sentAt = c.now;
  return { answer: query(c, node, sql, level), sentAt };
}

function value(a: Answer): unknown {
  if (!a.ok) return a.problem;
  const rows = (a.result.results[0] as QueryResult).values;
  return rows?.[0]?.[0];
}

describe('read levels at the leader', () => {
  it('linearizable: answered by ReadIndex, no entry appended, no index in the answer', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    expect(exec(c, leader, 'INSERT INTO t VALUES (1)').ok).toBe(true);
    const raft = c.servers.get(leader)!.proc.raft!;
    const before = raft.lastIndex;
    const { answer } = read(c, leader, 'SELECT count(*) FROM t', 'linearizable');
    expect(answer).toEqual({ ok: true, node: leader, result: { results: [expect.objectContaining({ values: [[1]] })] } });
    expect(raft.lastIndex).toBe(before);
    c.dispose();
  });

  it('strong: one entry in the log, and the answer carries its index', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const raft = c.servers.get(leader)!.proc.raft!;
    const before = raft.lastIndex;
    const { answer, sentAt } = read(c, leader, 'SELECT count(*) FROM t', 'strong');
    expect(answer).toMatchObject({ ok: true, node: leader, index: before + 1 });
    expect(value(answer)).toBe(0);
    expect(raft.lastIndex).toBe(before + 1);
    // The page's log strip shows it as a strong read by its op.
    expect(c.servers.get(leader)!.proc.storage.entries.find((e) => e.index === before + 1)?.data).toEqual({
      op: 'query',
      statements: [{ sql: 'SELECT count(*) FROM t' }],
      ts: c.opts.epochMs + sentAt,
    });
    c.dispose();
  });
});

describe("'now' is the simulated clock when the serving node took the request", () => {
  it('at the leader, for every read level and for a write', async () => {
    const { c, leader } = await cluster();
    // Move off the instant of the election so a clock of 0 or of an earlier step would show.
    c.world.advance(123);
    for (const level of ['none', 'weak', 'strong', 'linearizable'] as const) {
      const { answer, sentAt } = read(c, leader, NOW, level);
      expect(value(answer), level).toBe(iso(c, sentAt));
      c.world.advance(7);
    }
    const at = c.now;
    expect(exec(c, leader, `CREATE TABLE t AS SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS x`).ok).toBe(true);
    for (const id of c.servers.keys()) {
      c.world.runUntil(() => c.converged(), c.now + 2000);
      expect(value(query(c, id, 'SELECT x FROM t', 'none')), id).toBe(iso(c, at));
    }
    c.dispose();
  });

  it('at a follower, a none read reads its own clock; a forwarded one, the leader’s when it arrived', async () => {
    const { c, leader, followers } = await cluster();
    c.world.advance(321);
    const { answer, sentAt } = read(c, followers[0], NOW, 'none');
    expect(answer).toMatchObject({ ok: true, node: followers[0] });
    expect(value(answer)).toBe(iso(c, sentAt));
    // Forwarded: served at the leader, stamped with the time the forward was delivered there.
    let arrived = -1;
    const op: ClientOp = { op: 'query', req: { statements: [{ sql: NOW }], level: 'weak', timeout: 2000 } };
    let fwd: Answer | null = null;
    c.observe({
      onEvent: () => {
        if (arrived < 0 && c.world.log.some((e) => e.kind === 'deliver' && e.msg.type === 'ClientRequest')) arrived = c.now;
      },
    });
    c.request(followers[0], op, (a) => (fwd = a));
    c.world.runUntil(() => fwd !== null, c.now + 2000);
    expect(fwd).toMatchObject({ ok: true, node: leader, via: followers[0] });
    expect(arrived).toBeGreaterThan(sentAt);
    expect(value(fwd!)).toBe(iso(c, arrived));
    c.dispose();
  });
});

describe('what a read leaves behind', () => {
  it('random() in a read is drawn from what the node has applied: same index, same draw; one more write, another', async () => {
    const { c, leader, followers } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.world.runUntil(() => c.converged(), c.now + 2000);
    const draw = (id: string) => value(query(c, id, 'SELECT random()', 'none'));
    const first = draw(leader);
    expect(draw(followers[0])).toBe(first);
    expect(draw(followers[1])).toBe(first);
    expect(exec(c, leader, 'INSERT INTO t VALUES (1)').ok).toBe(true);
    expect(draw(leader)).not.toBe(first);
    c.dispose();
  });

  it('an answered linearizable or strong read holds nothing: the cluster can be checkpointed right after', async () => {
    const { c, leader } = await cluster();
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    for (const level of ['linearizable', 'strong'] as const) {
      expect(query(c, leader, 'SELECT count(*) FROM t', level).ok, level).toBe(true);
      expect(c.servers.get(leader)!.checkpoint(), level).not.toBeNull();
    }
    c.dispose();
  });
});
