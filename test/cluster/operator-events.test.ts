import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster';
import type { Answer, ClientOp } from '../../src/cluster/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

/**
 * The events Cluster records for the operator's actions and for client requests
 * (src/cluster/cluster.ts), field by field: the page's timeline, its sequence diagram and saved
 * runs read exactly these keys (describe.ts, replay/diagram), so a field missing, emptied or
 * present as `undefined` is a visible change. Also the entry points' answers for ids that are no
 * server, and who counts as a voter.
 */

/** The events recorded after `seq`, without their seq, time and decisions (tested elsewhere). */
function since(c: Cluster, seq: number): Record<string, unknown>[] {
  return c.world.log.filter((e) => e.seq > seq).map(({ seq: _s, time: _t, decisions: _d, ...rest }) => rest);
}

const lastSeq = (c: Cluster) => c.world.log.at(-1)?.seq ?? -1;

describe('network actions', () => {
  it('a partition records its groups as given, copied; an isolation names its node; a heal is bare', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    waitLeader(c);
    let seq = lastSeq(c);
    const groups = [['n1', 'n2'], ['n3']];
    c.partition(groups);
    groups[0].push('n3');
    expect(since(c, seq)).toStrictEqual([{ kind: 'partition', groups: [['n1', 'n2'], ['n3']] }]);

    seq = lastSeq(c);
    c.heal();
    expect(since(c, seq)).toStrictEqual([{ kind: 'heal' }]);

    seq = lastSeq(c);
    c.isolate('n2');
    expect(since(c, seq)).toStrictEqual([{ kind: 'partition', node: 'n2', groups: [['n2']], isolated: 'n2' }]);
    c.dispose();
  });
});

describe('timeout now', () => {
  it('records a forced election timeout at a follower; refuses a leader and an unknown id, recording nothing', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    const leader = waitLeader(c);
    const follower = [...c.servers.keys()].find((id) => id !== leader)!;
    let seq = lastSeq(c);
    expect(c.timeoutNow(leader)).toBe(false);
    expect(c.timeoutNow('n9')).toBe(false);
    expect(since(c, seq)).toStrictEqual([]);

    seq = lastSeq(c);
    expect(c.timeoutNow(follower)).toBe(true);
    expect(since(c, seq)[0]).toStrictEqual({ kind: 'timeout', node: follower, timer: 'election', forced: true });
    c.dispose();
  });

  it('kill and restart of an id that is no server change nothing', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    waitLeader(c);
    const seq = lastSeq(c);
    c.kill('n9');
    c.restart('n9');
    expect(since(c, seq)).toStrictEqual([]);
    expect([...c.servers.values()].every((s) => s.alive)).toBe(true);
    c.dispose();
  });
});

describe('client requests', () => {
  it('each is recorded at its node with its call id, op, SQL, and a level only for a query', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const seq = lastSeq(c);
    const answers: Answer[] = [];
    const keep = (a: Answer) => answers.push(a);
    const write: ClientOp = { op: 'execute', req: { statements: [{ sql: 'INSERT INTO t VALUES (1)' }, { sql: 'INSERT INTO t VALUES (2)' }], transaction: false, queue: false, timeout: 1000 } };
    const read: ClientOp = { op: 'query', req: { statements: [{ sql: 'SELECT count(*) FROM t' }], level: 'strong', timeout: 1000 } };
    const w = c.request(leader, write, keep);
    c.world.advance(300);
    const r = c.request(leader, read, keep);
    c.world.advance(300);
    expect(r.id).toBe(w.id + 1);
    expect(since(c, seq).filter((e) => e.kind === 'client')).toStrictEqual([
      { kind: 'client', node: leader, request: { call: w.id, op: 'execute', sql: ['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2)'] } },
      { kind: 'client', node: leader, request: { call: r.id, op: 'query', level: 'strong', sql: ['SELECT count(*) FROM t'] } },
    ]);
    // Not queued: the write is applied and answered with its rows, the read with its values.
    expect(answers).toMatchObject([
      { ok: true, result: { results: [{ rows_affected: 1 }, { rows_affected: 1 }] } },
      { ok: true, result: { results: [{ values: [[2]] }] } },
    ]);
    c.dispose();
  });

  it('a queued write is answered at once with its sequence number and no results; a request to an unknown node is recorded and refused', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    let queued: Answer | null = null;
    c.request(leader, { op: 'execute', req: { statements: [{ sql: 'INSERT INTO t VALUES (1)' }], transaction: false, queue: true, timeout: 1000 } }, (a) => (queued = a));
    expect(queued).toStrictEqual({ ok: true, node: leader, result: { results: [], sequence_number: expect.any(Number) } });

    const seq = lastSeq(c);
    let refused: Answer | null = null;
    const call = c.request('n9', { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'weak', timeout: 1000 } }, (a) => (refused = a));
    expect(refused).toMatchObject({ ok: false, problem: { code: 'node-down', node: 'n9' } });
    expect(since(c, seq)).toStrictEqual([{ kind: 'client', node: 'n9', request: { call: call.id, op: 'query', level: 'weak', sql: ['SELECT 1'] } }]);
    c.dispose();
  });
});

describe('observers', () => {
  it('one that only listens for events is told of each step, and applies go on without it', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    let events = 0;
    c.observe({ onEvent: () => events++ });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    expect(events).toBeGreaterThan(0);
    c.dispose();
  });
});

describe('isVoter', () => {
  it('asks the leader: a voter yes, a non-voter and an unknown id no; nothing is a voter without a leader', async () => {
    const { cluster: c } = makeCluster(await sqljs(), { nodes: 3, seed: 2 });
    expect(c.isVoter('n1')).toBe(false);
    const leader = waitLeader(c);
    // A leader takes a membership change once it has committed an entry of its own term.
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    expect(c.membership.join('n4', false).ok).toBe(true);
    c.world.advance(500);
    expect(c.servers.get('n4')!.alive).toBe(true);
    expect(['n1', 'n2', 'n3', 'n4', 'n9'].map((id) => c.isVoter(id))).toEqual([true, true, true, false, false]);
    c.dispose();
  });
});
