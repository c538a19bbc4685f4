import type { SqlJsStatic } from 'sql.js';
import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterCheckpoint } from '../../src/cluster/cluster';
import type { Answer, ClientOp, ClusterOptions } from '../../src/cluster/types';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

/**
 * Cluster.checkpoint / restore (cluster.ts, server.ts, routing.ts, queue.ts): what the page's time
 * travel and forks stand on. A cluster restored from a checkpoint into a fresh one must go on
 * exactly as the original: the same events, answers and databases. And no checkpoint is taken
 * while a call its host cannot name again (one made without a tag) waits for its answer.
 */

const OPTS: Partial<ClusterOptions> = { nodes: 3, seed: 5, snapshotThreshold: 5 };

const write = (sql: string, queue = false): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue, timeout: 2000 } });

/** Step until a checkpoint can be taken. */
function checkpointSoon(c: Cluster): ClusterCheckpoint {
  for (let i = 0; i < 1000; i++) {
    const cp = c.checkpoint();
    if (cp) return cp;
    c.world.stepOne();
  }
  throw new Error('no checkpoint');
}

/** What happens after the checkpoint, the same way on both clusters; returns every answer. */
function goOn(c: Cluster, leader: string, follower: string, down: string): Answer[] {
  const answers: Answer[] = [];
  const keep = (a: Answer) => answers.push(a);
  c.request(follower, write('INSERT INTO t VALUES (100, hex(randomblob(500)))'), keep);
  c.request(leader, { op: 'query', req: { statements: [{ sql: 'SELECT count(*), sum(length(v)) FROM t' }], level: 'linearizable', timeout: 2000 } }, keep);
  c.request(follower, write('INSERT INTO t VALUES (101, 1)', true), keep);
  c.world.advance(200);
  for (let i = 0; i < 20; i++) c.request(leader, write(`INSERT INTO t VALUES (${200 + i}, '${'y'.repeat(800)}')`), keep);
  c.world.advance(300);
  c.restart(down);
  c.world.advance(1500);
  keep(query(c, follower, "SELECT count(*), max(k) FROM t", 'strong'));
  return answers;
}

function after(c: Cluster, seq: number): string[] {
  return c.world.log.filter((e) => e.seq > seq).map((e) => JSON.stringify(e));
}

async function setUp(SQL: SqlJsStatic) {
  const { cluster: c } = makeCluster(SQL, OPTS);
  c.world.logLimit = 100_000;
  const leader = waitLeader(c);
  const [follower, down] = [...c.servers.keys()].filter((id) => id !== leader);
  // Past 64 KiB, so the log-bytes rule of the snapshot policy decides when each node compacts.
  expect(exec(c, leader, 'CREATE TABLE t(k INTEGER, v)').ok).toBe(true);
  expect(exec(c, leader, 'INSERT INTO t VALUES (0, hex(randomblob(40000)))')).toMatchObject({ ok: true, result: { results: [{ rows_affected: 1 }] } });
  for (let i = 0; i < 9; i++) expect(exec(c, leader, `INSERT INTO t VALUES (${1000 + i}, '${'x'.repeat(1500)}')`).ok).toBe(true);
  c.kill(down);
  expect(exec(c, leader, 'INSERT INTO t VALUES (2000, 0)').ok).toBe(true);
  // A fourth server: a restore must add the joined ones too.
  expect(c.membership.join('n4', false).ok).toBe(true);
  c.world.advance(300);
  return { c, leader, follower, down };
}

describe('a cluster restored from a checkpoint', () => {
  it('goes on exactly as the original: the same events, answers and databases', async () => {
    const SQL = await sqljs();
    const { c, leader, follower, down } = await setUp(SQL);
    const cp = checkpointSoon(c);
    const seq = c.world.log[c.world.log.length - 1].seq;

    const copy = new Cluster(SQL, OPTS, false);
    copy.world.logLimit = 100_000;
    copy.restore(cp, [...c.world.log]);
    expect([...copy.servers.keys()]).toEqual([...c.servers.keys()]);
    expect(copy.servers.get(down)!.alive).toBe(false);

    const a = goOn(c, leader, follower, down);
    const b = goOn(copy, leader, follower, down);
    expect(a.length).toBe(24);
    expect(a.every((x) => x.ok)).toBe(true);
    expect(b).toEqual(a);
    expect(after(copy, seq)).toEqual(after(c, seq));
    // The log-bytes rule made some node wait past the entry threshold, and that carried over.
    expect(after(c, seq).some((e) => e.includes('"action":"compact"'))).toBe(true);
    for (const id of c.servers.keys()) expect(copy.servers.get(id)!.db!.hash(), id).toBe(c.servers.get(id)!.db!.hash());
    c.dispose();
    copy.dispose();
  });
});

describe('no checkpoint while a call made without a tag waits (checkpoint-in-flight.test.ts has those with one)', () => {
  it('a write held by the leader, a read held for ReadIndex, a forward on the wire', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 5 });
    const leader = waitLeader(c);
    const follower = [...c.servers.keys()].find((id) => id !== leader)!;
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.world.advance(100);
    expect(c.checkpoint()).not.toBeNull();

    const cases: [string, () => void][] = [
      ['a write held by the leader', () => c.request(leader, write('INSERT INTO t VALUES (1)'), () => {})],
      ['a read waiting for ReadIndex', () => c.request(leader, { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'linearizable', timeout: 2000 } }, () => {})],
      ['a forward on the wire', () => c.request(follower, { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'weak', timeout: 2000 } }, () => {})],
    ];
    for (const [what, start] of cases) {
      start();
      expect(c.checkpoint(), what).toBeNull();
      c.world.advance(500);
      expect(c.checkpoint(), `${what}, once answered`).not.toBeNull();
    }
    // A forward lost on the way, its call answered by the deadline: nothing left to wait for.
    c.partition([[leader], [...c.servers.keys()].filter((id) => id !== leader)]);
    let lost: Answer | null = null;
    const op: ClientOp = { op: 'execute', req: { statements: [{ sql: 'INSERT INTO t VALUES (3)' }], transaction: false, queue: false, timeout: 100 } };
    c.request(follower, op, (a) => (lost = a));
    c.world.advance(300);
    expect(lost).toMatchObject({ ok: false, problem: { code: 'timeout' } });
    expect(c.checkpoint()).not.toBeNull();
    c.dispose();
  });
});

describe('a forward the leader took before the checkpoint', () => {
  it('is still taken after the restore: a network copy of it arriving later is not written again', async () => {
    const SQL = await sqljs();
    const { cluster: c } = makeCluster(SQL, { nodes: 3, seed: 5 });
    const leader = waitLeader(c);
    const follower = [...c.servers.keys()].find((id) => id !== leader)!;
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.world.advance(100);
    // The forward doubled, its copies far apart; the rest of the network fast again: the answer
    // comes back before the second copy lands.
    c.setNetwork({ duplicate: 1, latency: [5, 400] });
    let answer: Answer | null = null;
    c.request(follower, write('INSERT INTO t VALUES (1)'), (a) => (answer = a));
    c.setNetwork({ duplicate: 0, latency: [5, 15] });
    const copyInFlight = () => c.world.inFlight().some((m) => m.msg.type === 'ClientRequest');
    c.world.runUntil(() => answer !== null, c.now + 2000);
    expect(answer).toMatchObject({ ok: true });
    let cp: ClusterCheckpoint | null = null;
    c.world.runUntil(() => (cp = copyInFlight() ? c.checkpoint() : null) !== null, c.now + 2000);
    expect(cp).not.toBeNull();
    const copy = new Cluster(SQL, { nodes: 3, seed: 5 }, false);
    copy.restore(cp!, [...c.world.log]);
    copy.world.advance(2000);
    expect(copy.world.runUntil(() => copy.converged(), copy.now + 3000)).toBe(true);
    expect(query(copy, leader, 'SELECT count(*) FROM t', 'none')).toMatchObject({ ok: true, result: { results: [{ values: [[1]] }] } });
    c.dispose();
    copy.dispose();
  });
});

describe('a forward no leader took yet', () => {
  it('its call answered by the deadline while it is on the wire: after the restore the leader takes it, as in the original', async () => {
    const SQL = await sqljs();
    const { cluster: c } = makeCluster(SQL, { nodes: 3, seed: 5 });
    const leader = waitLeader(c);
    const follower = [...c.servers.keys()].find((id) => id !== leader)!;
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    c.world.advance(100);
    // A 2 ms deadline: the call times out before its forward (5–15 ms on the wire) arrives.
    let answer: Answer | null = null;
    c.request(follower, { op: 'execute', req: { statements: [{ sql: 'INSERT INTO t VALUES (1)' }], transaction: false, queue: false, timeout: 2 } }, (a) => (answer = a));
    c.world.advance(2);
    expect(answer).toMatchObject({ ok: false, problem: { code: 'timeout' } });
    expect(c.world.inFlight().some((m) => m.msg.type === 'ClientRequest')).toBe(true);
    const cp = c.checkpoint();
    expect(cp).not.toBeNull();
    const copy = new Cluster(SQL, { nodes: 3, seed: 5 }, false);
    copy.restore(cp!, [...c.world.log]);
    for (const x of [c, copy]) {
      x.world.advance(1000);
      expect(x.world.runUntil(() => x.converged(), x.now + 3000)).toBe(true);
      expect(query(x, leader, 'SELECT count(*) FROM t', 'none')).toMatchObject({ ok: true, result: { results: [{ values: [[1]] }] } });
    }
    c.dispose();
    copy.dispose();
  });
});
