import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import type { NetMessage } from '../../src/cluster/types';
import type { ClusterConfig } from '../../src/raft/types';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

/**
 * Edges of membership changes (src/cluster/membership.ts): an operator's change leaves the leader
 * at once, not at its next heartbeat, and what the page asks of a change in flight; a joiner that
 * hears nothing, a removed server that rejoins while running, and a change to one member that must
 * leave the other learners and pending promotions alone.
 */

async function cluster(seed = 21): Promise<{ c: Cluster; leader: string; followers: string[] }> {
  const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed });
  const leader = waitLeader(c);
  expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
  c.world.advance(5);
  const followers = [...c.servers.keys()].filter((id) => id !== leader);
  return { c, leader, followers };
}

/** Messages from `from` sent at this very instant. */
const sentNow = (c: Cluster, from: string): NetMessage[] => c.world.inFlight().filter((m) => m.msg.from === from && m.sentAt === c.now).map((m) => m.msg);

const carries = (m: NetMessage, index: number) => m.type === 'AppendEntries' && m.entries.some((e) => e.index === index && e.kind === 'config');

describe('an operator’s change leaves the leader at once', () => {
  it('a join, a removal: the configuration entry is on the wire in the same instant', async () => {
    const { c, leader, followers } = await cluster();
    const join = c.membership.join('n4', false);
    expect(join.ok).toBe(true);
    const joinIndex = join.ok ? join.index! : -1;
    expect(sentNow(c, leader).filter((m) => carries(m, joinIndex)).map((m) => m.to).sort()).toEqual([...followers, 'n4'].sort());
    expect(c.world.runUntil(() => c.membership.committedConfig()?.learners.includes('n4') ?? false, c.now + 3000)).toBe(true);
    c.world.advance(5);
    const removal = c.membership.remove(followers[0]);
    expect(removal.ok).toBe(true);
    const removalIndex = removal.ok ? removal.index! : -1;
    expect(sentNow(c, leader).some((m) => carries(m, removalIndex))).toBe(true);
    c.dispose();
  });

  it('a transfer: the TimeoutNow to an up-to-date target is on the wire in the same instant', async () => {
    const { c, leader, followers } = await cluster();
    c.world.advance(100);
    expect(c.membership.transfer(followers[0])).toEqual({ ok: true, node: leader });
    expect(sentNow(c, leader).filter((m) => m.type === 'TimeoutNow').map((m) => m.to)).toEqual([followers[0]]);
    c.dispose();
  });
});

/** Run until the leader's configuration is committed and `ok` holds of it. */
const committed = (c: Cluster, ok: (cfg: ClusterConfig) => boolean) =>
  c.world.runUntil(() => {
    const cfg = c.membership.committedConfig();
    return cfg !== null && ok(cfg);
  }, c.now + 5000);

describe('a joining server', () => {
  it('cut off before it hears from the leader, is in no configuration and never campaigns', async () => {
    const { c } = await cluster();
    expect(c.membership.join('n4', false).ok).toBe(true);
    c.isolate('n4');
    c.world.advance(2000);
    const raft = c.servers.get('n4')!.proc.raft!;
    expect(raft.config).toEqual({ voters: [], learners: [] });
    expect([raft.role, raft.term]).toEqual(['follower', 0]);
    expect(c.world.log.some((e) => e.kind === 'role' && e.node === 'n4')).toBe(false);
    c.dispose();
  });

  it('removed but still running, joins again as it is: not restarted, its database still there', async () => {
    const { c, leader, followers } = await cluster();
    expect(exec(c, leader, 'INSERT INTO t VALUES (1)').ok).toBe(true);
    expect(c.world.runUntil(() => c.converged(), c.now + 3000)).toBe(true);
    const f = followers[0];
    expect(c.membership.remove(f).ok).toBe(true);
    expect(committed(c, (cfg) => !cfg.voters.includes(f))).toBe(true);
    const raft = c.servers.get(f)!.proc.raft;
    expect(c.membership.join(f, false).ok).toBe(true);
    expect(c.servers.get(f)!.proc.raft).toBe(raft);
    expect(query(c, f, 'SELECT count(*) FROM t', 'none')).toMatchObject({ ok: true, result: { results: [{ values: [[1]] }] } });
    c.dispose();
  });
});

describe('a change to one member leaves the others as they were', () => {
  it('removing a voter keeps every learner and every pending promotion', async () => {
    const { c, leader, followers } = await cluster();
    // n4 joins as a voter but is down before it catches up: a learner, its promotion pending.
    expect(c.membership.join('n4', true).ok).toBe(true);
    c.kill('n4');
    expect(committed(c, (cfg) => cfg.learners.includes('n4'))).toBe(true);
    expect(c.membership.join('n5', false).ok).toBe(true);
    expect(committed(c, (cfg) => cfg.learners.includes('n5'))).toBe(true);
    expect(c.membership.remove(followers[0]).ok).toBe(true);
    expect(c.servers.get(leader)!.proc.raft!.config).toEqual({
      voters: ['n1', 'n2', 'n3'].filter((id) => id !== followers[0]),
      learners: ['n4', 'n5'],
      promoting: ['n4'],
    });
    c.dispose();
  });

  it('promoting one learner keeps the other learners, and another pending promotion stays pending', async () => {
    const { c, leader } = await cluster();
    expect(c.membership.join('n5', false).ok).toBe(true);
    expect(committed(c, (cfg) => cfg.learners.includes('n5'))).toBe(true);
    expect(c.membership.join('n4', true).ok).toBe(true);
    c.kill('n4');
    expect(committed(c, (cfg) => cfg.learners.includes('n4'))).toBe(true);
    expect(c.membership.join('n6', true).ok).toBe(true);
    expect(committed(c, (cfg) => cfg.voters.includes('n6'))).toBe(true);
    expect(c.servers.get(leader)!.proc.raft!.config).toEqual({ voters: ['n1', 'n2', 'n3', 'n6'], learners: ['n5', 'n4'], promoting: ['n4'] });
    expect(c.membership.pendingPromotion('n4')).toBe(true);
    // Back up, n4 catches up and is promoted in its turn.
    c.restart('n4');
    expect(committed(c, (cfg) => cfg.voters.includes('n4'))).toBe(true);
    expect(c.membership.committedConfig()).toEqual({ voters: ['n1', 'n2', 'n3', 'n6', 'n4'], learners: ['n5'] });
    c.dispose();
  });

  it('with no leader, no promotion is pending', async () => {
    const { c } = await cluster();
    expect(c.membership.join('n4', true).ok).toBe(true);
    c.kill('n4');
    expect(c.membership.pendingPromotion('n4')).toBe(true);
    for (const id of c.servers.keys()) c.kill(id);
    expect(c.membership.pendingPromotion('n4')).toBe(false);
    c.dispose();
  });
});
