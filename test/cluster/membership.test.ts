import { describe, expect, it } from 'vitest';
import { isSettled, operate, type Settle } from '../../src/cluster/operate';
import type { Cluster } from '../../src/cluster/cluster';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * Membership changes and the operator's actions as the service takes or refuses them
 * (src/cluster/membership.ts, operate.ts): each refusal with its problem, a voter's join as a
 * learner promoted once caught up, and the `isSettled` test every driver waits on.
 */

async function cluster(seed = 21): Promise<{ c: Cluster; leader: string }> {
  const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed });
  const leader = waitLeader(c);
  // A new leader changes membership only once it has committed an entry of its term.
  expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
  return { c, leader };
}

const settle = (c: Cluster, what: Settle | (() => boolean), ms = 5000) =>
  c.world.runUntil(typeof what === 'function' ? what : () => isSettled(c, what), c.now + ms);

describe('refusals, each with its problem and nothing changed', () => {
  it('already a member, not a member, the last voter, no leader', async () => {
    const { c, leader } = await cluster();
    const before = c.servers.get(leader)!.proc.raft!.lastIndex;
    expect(operate(c, { kind: 'join', node: 'n2', voter: true })).toEqual({
      problem: { code: 'already-member', node: 'n2' },
      node: leader,
    });
    expect(operate(c, { kind: 'remove', node: 'n9' })).toEqual({
      problem: { code: 'not-member', node: 'n9' },
      node: leader,
    });
    expect(c.servers.get(leader)!.proc.raft!.lastIndex).toBe(before);
    for (const id of c.servers.keys()) c.kill(id);
    expect(operate(c, { kind: 'join', node: 'n4', voter: true })).toEqual({
      problem: { code: 'no-leader' },
      node: null,
    });
    expect(operate(c, { kind: 'remove', node: 'n2' })).toEqual({
      problem: { code: 'no-leader' },
      node: null,
    });
    expect(operate(c, { kind: 'transfer', node: 'n2' })).toEqual({
      problem: { code: 'no-leader' },
      node: null,
    });
    expect(c.membership.committedConfig()).toBeNull();
    expect(c.servers.has('n4')).toBe(false);
    c.dispose();
  });

  it('the last voter cannot be removed; a learner can be, even then', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 1, seed: 2 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    expect(operate(c, { kind: 'remove', node: leader })).toEqual({
      problem: { code: 'last-voter' },
      node: leader,
    });
    expect(operate(c, { kind: 'join', node: 'n2', voter: false }).problem).toBeNull();
    expect(settle(c, () => c.membership.committedConfig()?.learners.includes('n2') === true)).toBe(true);
    const removal = operate(c, { kind: 'remove', node: 'n2' });
    expect(removal.problem).toBeNull();
    expect(settle(c, removal.settle!)).toBe(true);
    expect(c.membership.committedConfig()).toEqual({ voters: [leader], learners: [] });
    c.dispose();
  });

  it('one change at a time: a second change while the first is in flight is refused by Raft', async () => {
    const { c, leader } = await cluster();
    expect(operate(c, { kind: 'join', node: 'n4', voter: false }).problem).toBeNull();
    expect(c.membership.committedConfig()).toBeNull();
    expect(operate(c, { kind: 'join', node: 'n5', voter: false })).toEqual({
      problem: { code: 'change-in-progress' },
      node: leader,
    });
    expect(operate(c, { kind: 'remove', node: 'n3' })).toEqual({
      problem: { code: 'change-in-progress' },
      node: leader,
    });
    c.dispose();
  });
});

describe('joining', () => {
  it('a voter joins as a learner marked for promotion, and is promoted once it has caught up', async () => {
    const { c, leader } = await cluster();
    const join = operate(c, { kind: 'join', node: 'n4', voter: true });
    expect(join).toMatchObject({ problem: null, node: leader });
    const cfg = c.servers.get(leader)!.proc.raft!.config;
    expect(cfg).toEqual({ voters: ['n1', 'n2', 'n3'], learners: ['n4'], promoting: ['n4'] });
    expect(c.membership.pendingPromotion('n4')).toBe(true);
    expect(c.servers.get('n4')!.alive).toBe(true);
    expect(isSettled(c, join.settle!)).toBe(false);
    expect(settle(c, join.settle!)).toBe(true);
    expect(c.membership.committedConfig()).toEqual({ voters: ['n1', 'n2', 'n3', 'n4'], learners: [] });
    expect(c.membership.pendingPromotion('n4')).toBe(false);
    c.dispose();
  });

  it('each change is recorded once, when first applied, however many members apply it', async () => {
    const { c, leader } = await cluster();
    const join = operate(c, { kind: 'join', node: 'n4', voter: true });
    expect(settle(c, join.settle!)).toBe(true);
    expect(settle(c, () => c.converged())).toBe(true);
    const configs = c.world.log.filter((e) => e.kind === 'config').map((e) => ({ ...e, seq: 0, time: 0 }));
    expect(configs).toEqual([
      {
        seq: 0,
        time: 0,
        kind: 'config',
        node: leader,
        changes: [{ node: 'n4', from: null, to: 'non-voter' }],
        config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] },
      },
      {
        seq: 0,
        time: 0,
        kind: 'config',
        node: leader,
        changes: [{ node: 'n4', from: 'non-voter', to: 'voter' }],
        config: { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] },
      },
    ]);
    c.dispose();
  });

  it('a non-voter stays a learner, with no promotion pending (the field left out)', async () => {
    const { c, leader } = await cluster();
    const join = operate(c, { kind: 'join', node: 'n4', voter: false });
    expect(c.servers.get(leader)!.proc.raft!.config).toEqual({
      voters: ['n1', 'n2', 'n3'],
      learners: ['n4'],
    });
    expect(settle(c, join.settle!)).toBe(true);
    c.world.advance(1000);
    expect(c.membership.committedConfig()).toEqual({ voters: ['n1', 'n2', 'n3'], learners: ['n4'] });
    expect(c.membership.pendingPromotion('n4')).toBe(false);
    c.dispose();
  });

  it('a removed server that joins again is restarted, not created anew', async () => {
    const { c } = await cluster();
    const removal = operate(c, { kind: 'remove', node: 'n3' });
    expect(settle(c, removal.settle!)).toBe(true);
    const n3 = c.servers.get('n3')!;
    c.kill('n3');
    const join = operate(c, { kind: 'join', node: 'n3', voter: false });
    expect(join.problem).toBeNull();
    expect(c.servers.get('n3')).toBe(n3);
    expect(n3.alive).toBe(true);
    c.dispose();
  });

  it('removing a learner marked for promotion cancels the promotion', async () => {
    const { c, leader } = await cluster();
    c.kill('n1' === leader ? 'n2' : 'n1');
    // The new server is down before it can catch up: it stays a learner, promotion pending.
    const join = operate(c, { kind: 'join', node: 'n4', voter: true });
    expect(join.problem).toBeNull();
    c.kill('n4');
    expect(settle(c, () => c.membership.committedConfig() !== null)).toBe(true);
    expect(c.membership.pendingPromotion('n4')).toBe(true);
    const removal = operate(c, { kind: 'remove', node: 'n4' });
    expect(removal.problem).toBeNull();
    expect(c.servers.get(leader)!.proc.raft!.config).toEqual({ voters: ['n1', 'n2', 'n3'], learners: [] });
    expect(settle(c, removal.settle!)).toBe(true);
    c.dispose();
  });
});

describe('removal and transfer settle', () => {
  it('a removal settles once committed in its proposer’s term', async () => {
    const { c, leader } = await cluster();
    const f = [...c.servers.keys()].find((id) => id !== leader)!;
    const removal = operate(c, { kind: 'remove', node: f });
    expect(removal.problem).toBeNull();
    expect(isSettled(c, removal.settle!)).toBe(false);
    expect(settle(c, removal.settle!)).toBe(true);
    expect(c.membership.committedConfig()?.voters).toEqual(['n1', 'n2', 'n3'].filter((id) => id !== f));
    c.dispose();
  });

  it('a transfer settles when the target leads; a refused one names the leader', async () => {
    const { c, leader } = await cluster();
    const target = [...c.servers.keys()].find((id) => id !== leader)!;
    expect(operate(c, { kind: 'transfer', node: leader })).toEqual({
      problem: { code: 'already-leader', node: leader },
      node: leader,
    });
    const t = operate(c, { kind: 'transfer', node: target });
    expect(t).toMatchObject({ problem: null, node: leader });
    expect(isSettled(c, t.settle!)).toBe(false);
    expect(settle(c, t.settle!)).toBe(true);
    expect(c.leader()?.id).toBe(target);
    c.dispose();
  });
});

describe('the other operator actions', () => {
  it('timeoutNow and snapshot are refused on a down node, at the leader, or with nothing to compact', async () => {
    const { c, leader } = await cluster();
    const f = [...c.servers.keys()].find((id) => id !== leader)!;
    expect(operate(c, { kind: 'timeoutNow', node: leader })).toEqual({
      problem: { code: 'already-leader', node: leader },
    });
    const idx = c.servers.get(leader)!.proc.storage.snapshot.index;
    expect(operate(c, { kind: 'snapshot', node: leader })).toEqual({ problem: null });
    expect(operate(c, { kind: 'snapshot', node: leader })).toEqual({
      problem: {
        code: 'nothing-to-snapshot',
        node: leader,
        index: c.servers.get(leader)!.proc.storage.snapshot.index,
      },
    });
    expect(c.servers.get(leader)!.proc.storage.snapshot.index).toBeGreaterThan(idx);
    c.kill(f);
    expect(operate(c, { kind: 'timeoutNow', node: f })).toEqual({ problem: { code: 'down', node: f } });
    expect(operate(c, { kind: 'snapshot', node: f })).toEqual({ problem: { code: 'down', node: f } });
    expect(operate(c, { kind: 'snapshot', node: 'n9' })).toEqual({ problem: { code: 'down', node: 'n9' } });
    expect(operate(c, { kind: 'drop', id: 1e9 })).toEqual({ problem: { code: 'message-gone' } });
    c.dispose();
  });
});
