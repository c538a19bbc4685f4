import { describe, expect, it } from 'vitest';
import { CallCopier } from '../../src/cluster/heldCalls';
import type { Answer, ClientOp } from '../../src/cluster/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * Edges of what a server records and holds (src/cluster/server.ts): a role event names the reason
 * of the role it ends in, an event without a reason or a triggering message has no such field at
 * all (saved runs and the page read the keys), and a leader that steps down lets go of everything
 * it held.
 */

describe('role events', () => {
  it('a single node that becomes leader in one step names why it leads, not why it started', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 1, seed: 4 });
    waitLeader(c);
    const roles = c.world.log.filter((e) => e.kind === 'role');
    const last = roles.at(-1)!;
    expect(last).toMatchObject({ role: 'leader', reason: { code: 'election-won' } });
    c.dispose();
  });

  it('are recorded only when the role changes: a follower that learns a newer term records nothing', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 11 });
    const leader = waitLeader(c);
    // Leadership handed round: each time the third node learns a newer term and stays a follower.
    for (let i = 0; i < 3; i++) {
      const target = [...c.servers.keys()].find((s) => s !== c.leader()?.id)!;
      expect(c.membership.transfer(target).ok).toBe(true);
      expect(c.world.runUntil(() => c.leader()?.id === target, c.now + 3000)).toBe(true);
    }
    expect(c.servers.get(leader)!.proc.raft!.term).toBeGreaterThan(3);
    for (const id of c.servers.keys()) {
      const roles = c.world.log.flatMap((e) => (e.kind === 'role' && e.node === id ? [e.role] : []));
      for (let i = 1; i < roles.length; i++) expect(roles[i], `${id}: ${roles.join(' ')}`).not.toBe(roles[i - 1]);
    }
    c.dispose();
  });
});

describe('fields that are absent, not undefined', () => {
  it('a role change with no message behind it, and a reloaded snapshot, have no triggeredBy or reason key', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 9, snapshotThreshold: 3 });
    const leader = waitLeader(c);
    const first = c.world.log.find((e) => e.kind === 'role' && e.node === leader)!;
    expect(first).toMatchObject({ role: 'precandidate', reason: { code: 'election-timeout' } });
    expect(Object.keys(first)).not.toContain('triggeredBy');
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    for (let i = 0; i < 4; i++) expect(exec(c, leader, `INSERT INTO t VALUES (${i})`).ok).toBe(true);
    c.kill(leader);
    c.restart(leader);
    const reload = c.world.log.filter((e) => e.kind === 'snapshot' && e.node === leader).at(-1)!;
    expect(reload).toMatchObject({ action: 'reload' });
    expect(Object.keys(reload)).not.toContain('reason');
    expect(Object.keys(reload)).not.toContain('triggeredBy');
    c.dispose();
  });
});

describe('an installed snapshot', () => {
  it('names the installation as its reason even when the same message brought the newer term (a server joining a compacted log)', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 11 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    expect(exec(c, leader, 'INSERT INTO t VALUES (1)').ok).toBe(true);
    expect(c.servers.get(leader)!.snapshot()).toBeGreaterThan(0);
    // The joiner starts at term 0 and hears first the leader's InstallSnapshot: one step both
    // follows the newer term and installs.
    expect(c.membership.join('n4', false).ok).toBe(true);
    expect(c.world.runUntil(() => c.world.log.some((e) => e.kind === 'snapshot' && e.node === 'n4'), c.now + 3000)).toBe(true);
    const install = c.world.log.find((e) => e.kind === 'snapshot' && e.node === 'n4')!;
    const heard = c.world.log.flatMap((e) => (e.seq < install.seq && e.kind === 'deliver' && e.node === 'n4' ? [e.msg.type] : []));
    expect(heard).toEqual(['InstallSnapshot']);
    expect(install).toMatchObject({ action: 'install', snapshot: { from: leader }, reason: { code: 'snapshot-installed', leader } });
    c.dispose();
  });
});

describe('a leader that steps down', () => {
  it('answers what it held leadership-lost, once, and holds nothing after (a checkpoint can be taken)', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 11 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const others = [...c.servers.keys()].filter((id) => id !== leader);
    c.partition([[leader], others]);
    const answers: Answer[][] = [[], []];
    const ops: ClientOp[] = [
      { op: 'execute', req: { statements: [{ sql: 'INSERT INTO t VALUES (1)' }], transaction: false, queue: false, timeout: 10_000 } },
      { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'linearizable', timeout: 10_000 } },
    ];
    ops.forEach((op, i) => c.request(leader, op, (a) => answers[i].push(a)));
    c.world.runUntil(() => c.servers.get(leader)!.proc.raft!.role !== 'leader', c.now + 5000);
    expect(answers.map((a) => a.map((x) => (x.ok ? 'ok' : x.problem.code)))).toEqual([['leadership-lost'], ['leadership-lost']]);
    expect(c.servers.get(leader)!.checkpoint()).not.toBeNull();
    c.heal();
    c.world.advance(2000);
    expect(answers.map((a) => a.length)).toEqual([1, 1]);
    c.dispose();
  });

  it('while it holds a write or a read, it hands them to a checkpoint as data, and nothing once they are answered', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 11 });
    const leader = waitLeader(c);
    const s = c.servers.get(leader)!;
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.world.advance(50);
    expect(s.requests.image(new CallCopier())).toBeNull();
    c.request(leader, { op: 'execute', req: { statements: [{ sql: 'INSERT INTO t VALUES (1)' }], transaction: false, queue: false, timeout: 2000 } }, () => {}, { n: 1 });
    const write = s.requests.image(new CallCopier())!;
    expect(write.proposals).toHaveLength(1);
    expect(write.proposals[0][2]).toEqual({ call: expect.any(Number) });
    c.world.advance(500);
    expect(s.requests.image(new CallCopier())).toBeNull();
    c.request(leader, { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'linearizable', timeout: 2000 } }, () => {}, { n: 2 });
    expect(s.requests.image(new CallCopier())).toMatchObject({ proposals: [], reads: [[expect.any(Number), [{ sql: 'SELECT 1' }], expect.any(Number), { call: expect.any(Number) }]] });
    // The same, made without a tag: its answer could not be given after a restore.
    c.request(leader, { op: 'query', req: { statements: [{ sql: 'SELECT 2' }], level: 'linearizable', timeout: 2000 } }, () => {});
    expect(s.requests.image(new CallCopier())).toBeUndefined();
    c.world.advance(500);
    expect(s.requests.image(new CallCopier())).toBeNull();
    expect(s.checkpoint()).not.toBeNull();
    c.dispose();
    // Disposed: every node reads as down and holds no database.
    expect([...c.servers.values()].map((x) => [x.alive, x.db])).toEqual([...c.servers.keys()].map(() => [false, null]));
  });
});
