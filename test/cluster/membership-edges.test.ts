import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import type { NetMessage } from '../../src/cluster/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * Edges of membership changes (src/cluster/membership.ts): an operator's change leaves the leader
 * at once, not at its next heartbeat, and what the page asks of a change in flight.
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
