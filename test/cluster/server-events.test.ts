import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import type { NetMessage } from '../../src/cluster/types';
import type { LoggedEvent } from '../../src/sim/events';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * What a server records of its own life (src/cluster/server.ts): a role change with the Raft reason
 * behind it and the message that triggered it, and a snapshot compacted, installed from the leader
 * or reloaded on restart. Seed 9 elects n1; n2 misses twelve writes while down.
 */

async function run(): Promise<{ c: Cluster; leader: string; lagging: string }> {
  const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 9, snapshotThreshold: 5 });
  const leader = waitLeader(c);
  const lagging = [...c.servers.keys()].find((id) => id !== leader)!;
  expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
  c.kill(lagging);
  for (let i = 0; i < 12; i++) expect(exec(c, leader, `INSERT INTO t VALUES (${i})`).ok).toBe(true);
  c.restart(lagging);
  c.world.advance(500);
  return { c, leader, lagging };
}

type Logged = LoggedEvent<NetMessage>;
type Of<K extends Logged['kind']> = Extract<Logged, { kind: K }>;
const strip = <T extends { seq: number; time: number }>({ seq: _seq, time: _time, ...rest }: T) => rest;
const events = <K extends Logged['kind']>(c: Cluster, kind: K, node: string): Of<K>[] =>
  c.world.log.filter((e): e is Of<K> => e.kind === kind && 'node' in e && e.node === node);
/** The message whose delivery is logged under `msgId`. */
const delivered = (c: Cluster, msgId: number | undefined): string | undefined =>
  c.world.log.filter((e): e is Of<'deliver'> => e.kind === 'deliver').find((e) => e.msgId === msgId)?.msg
    .type;

describe('events a server records', () => {
  it('role changes name the Raft reason, and the message when one triggered them', async () => {
    const { c, leader } = await run();
    const roles = events(c, 'role', leader);
    expect(roles.map((e) => e.role)).toEqual(['precandidate', 'candidate', 'leader']);
    // A timer fired: no message behind it.
    expect(strip(roles[0])).toEqual({
      kind: 'role',
      node: leader,
      role: 'precandidate',
      term: 0,
      reason: {
        code: 'election-timeout',
        term: 0,
        deadline: expect.any(Number) as number,
        preVote: true,
        lastLeader: null,
      },
    });
    expect(roles[2]).toMatchObject({
      role: 'leader',
      term: 1,
      reason: { code: 'election-won', term: 1, quorum: 2 },
    });
    expect(delivered(c, roles[2].triggeredBy)).toBe('RequestVoteResp');
    c.dispose();
  });

  it('a lagging follower installs the leader’s snapshot: from whom, why, and which message brought it', async () => {
    const { c, leader, lagging } = await run();
    const installs = events(c, 'snapshot', lagging);
    expect(installs).toHaveLength(1);
    expect(strip(installs[0])).toEqual({
      kind: 'snapshot',
      node: lagging,
      action: 'install',
      snapshot: { index: 10, term: 1, from: leader },
      reason: { code: 'snapshot-installed', leader, index: 10, term: 1 },
      triggeredBy: expect.any(Number) as number,
    });
    expect(delivered(c, installs[0].triggeredBy)).toBe('InstallSnapshot');
    expect(c.servers.get(lagging)!.db!.hash()).toBe(c.servers.get(leader)!.db!.hash());
    c.dispose();
  });

  it('a restarted node reloads its own snapshot: no leader, no reason, no message', async () => {
    const { c, leader } = await run();
    c.kill(leader);
    c.restart(leader);
    const reload = events(c, 'snapshot', leader).at(-1)!;
    expect(strip(reload)).toEqual({
      kind: 'snapshot',
      node: leader,
      action: 'reload',
      snapshot: { index: 10, term: 1 },
    });
    // Restarted as a follower: no role event until it becomes something else.
    expect(events(c, 'role', leader).filter((e) => e.seq > reload.seq)).toEqual([]);
    c.dispose();
  });

  it('a compaction every `snapshotThreshold` entries, with the count that made it due', async () => {
    const { c, leader } = await run();
    const compactions = events(c, 'snapshot', leader).map(strip);
    expect(compactions).toEqual(
      [5, 10].map((index) => ({
        kind: 'snapshot',
        node: leader,
        action: 'compact',
        snapshot: { index, term: 1 },
        reason: { code: 'snapshot-taken', index, term: 1, threshold: 5 },
      })),
    );
    c.dispose();
  });
});
