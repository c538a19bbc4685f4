import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import { isSettled, operate } from '../../src/cluster/operate';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * The operator's actions through `operate` (src/cluster/operate.ts), the one entry point the page,
 * the scenario interpreter and the replays use: each action takes effect and reports itself taken,
 * and the `isSettled` test of a removal or transfer that went wrong (its proposer crashed, its entry
 * overwritten, its target gone) answers rather than throws or waits for ever.
 */

async function cluster(seed = 21): Promise<{ c: Cluster; leader: string; followers: string[] }> {
  const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed });
  const leader = waitLeader(c);
  expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
  const followers = [...c.servers.keys()].filter((id) => id !== leader);
  return { c, leader, followers };
}

const TAKEN = { problem: null };

describe('process and network actions', () => {
  it('kill, restart, partition, isolate, heal: each takes effect and is taken', async () => {
    const { c, leader, followers } = await cluster();
    const [f, g] = followers;
    const net = c.world.net;
    expect(operate(c, { kind: 'kill', node: f })).toEqual(TAKEN);
    expect(c.servers.get(f)!.alive).toBe(false);
    expect(operate(c, { kind: 'restart', node: f })).toEqual(TAKEN);
    expect(c.servers.get(f)!.alive).toBe(true);
    expect(operate(c, { kind: 'partition', groups: [[leader], followers] })).toEqual(TAKEN);
    expect([net.connected(leader, f), net.connected(f, g)]).toEqual([false, true]);
    expect(operate(c, { kind: 'heal' })).toEqual(TAKEN);
    expect(net.connected(leader, f)).toBe(true);
    expect(operate(c, { kind: 'isolate', node: g })).toEqual(TAKEN);
    expect([net.connected(g, leader), net.connected(g, f), net.connected(leader, f)]).toEqual([false, false, true]);
    c.dispose();
  });

  it('network: sets the rates and latency it names and leaves the others as they were', async () => {
    const { c } = await cluster();
    const net = c.world.net;
    expect(operate(c, { kind: 'network', drop: 0.5, duplicate: 0.25, latency: [7, 9] })).toEqual(TAKEN);
    expect([net.dropRate, net.duplicateRate, net.latencyMin, net.latencyMax]).toEqual([0.5, 0.25, 7, 9]);
    expect(operate(c, { kind: 'network', drop: 0 })).toEqual(TAKEN);
    expect([net.dropRate, net.duplicateRate, net.latencyMin, net.latencyMax]).toEqual([0, 0.25, 7, 9]);
    c.dispose();
  });

  it('timeoutNow at a follower is taken and starts its election; at an id that is no server: down', async () => {
    const { c, followers } = await cluster();
    const seq = c.world.log.at(-1)!.seq;
    expect(operate(c, { kind: 'timeoutNow', node: followers[0] })).toEqual(TAKEN);
    expect(c.world.log.find((e) => e.seq > seq && e.kind === 'timeout')).toMatchObject({ node: followers[0], forced: true });
    expect(c.servers.get(followers[0])!.proc.raft!.role).not.toBe('follower');
    expect(operate(c, { kind: 'timeoutNow', node: 'n9' })).toEqual({ problem: { code: 'down', node: 'n9' } });
    c.dispose();
  });
});

describe('a removal that went wrong', () => {
  it('its proposer crashed: not settled (and asking does not throw)', async () => {
    const { c, leader, followers } = await cluster();
    const removal = operate(c, { kind: 'remove', node: followers[0] });
    expect(removal.problem).toBeNull();
    c.kill(leader);
    expect(isSettled(c, removal.settle!)).toBe(false);
    c.dispose();
  });

  it('its entry overwritten by a new leader’s: never settled, though the old proposer’s commit index passes it', async () => {
    const { c, leader, followers } = await cluster();
    // The leader is cut off, then takes a removal it can never replicate.
    c.isolate(leader);
    const removal = operate(c, { kind: 'remove', node: followers[0] });
    expect(removal).toMatchObject({ problem: null, node: leader });
    const index = c.servers.get(leader)!.proc.raft!.lastIndex;
    expect(c.world.runUntil(() => (c.leader()?.id ?? leader) !== leader, c.now + 3000)).toBe(true);
    const next = c.leader()!.id;
    for (let i = 0; i < 3; i++) expect(exec(c, next, `INSERT INTO t VALUES (${i})`).ok).toBe(true);
    c.heal();
    const old = c.servers.get(leader)!.proc;
    expect(c.world.runUntil(() => old.raft!.commitIndex >= index && old.raft!.role === 'follower', c.now + 3000)).toBe(true);
    c.world.advance(500);
    expect(isSettled(c, removal.settle!)).toBe(false);
    expect(c.membership.committedConfig()?.voters).toContain(followers[0]);
    c.dispose();
  });
});

describe('a transfer that went wrong', () => {
  it('its target died: settled once the old leader gives up and takes writes again', async () => {
    const { c, leader, followers } = await cluster();
    const t = operate(c, { kind: 'transfer', node: followers[0] });
    expect(t).toMatchObject({ problem: null, node: leader });
    c.kill(followers[0]);
    expect(isSettled(c, t.settle!)).toBe(false);
    expect(c.world.runUntil(() => isSettled(c, t.settle!), c.now + 3000)).toBe(true);
    expect(c.leader()?.id).toBe(leader);
    expect(exec(c, leader, 'INSERT INTO t VALUES (2)').ok).toBe(true);
    c.dispose();
  });

  it('its old leader crashed before the target leads: not settled (and asking does not throw)', async () => {
    const { c, leader, followers } = await cluster();
    const t = operate(c, { kind: 'transfer', node: followers[0] });
    expect(t.problem).toBeNull();
    c.kill(leader);
    expect(isSettled(c, t.settle!)).toBe(false);
    c.dispose();
  });
});
