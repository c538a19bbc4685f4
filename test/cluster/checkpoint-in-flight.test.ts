import type { SqlJsStatic } from 'sql.js';
import { describe, expect, it } from 'vitest';
import type { CallTag } from '../../src/cluster/calls';
import { Cluster, type ClusterCheckpoint } from '../../src/cluster/cluster';
import type { Answer, ClientOp, ClusterOptions } from '../../src/cluster/types';
import { exec, sqljs, waitLeader } from '../helpers/drive';

/**
 * A checkpoint taken while client requests are in flight (heldCalls.ts): the calls, the timers
 * and retries waiting on them, the writes and reads a leader holds, the forwards on the wire and
 * the queued writes are data the checkpoint copies. A cluster restored from it into a fresh one
 * gives every waiting call its answer, through the listener its tag names, and goes on exactly as
 * the original: the same answers, events and databases. Before, no checkpoint could be taken
 * while any request waited, and a steady stream of writes left none for seconds.
 */

const OPTS: Partial<ClusterOptions> = { nodes: 3, seed: 5, snapshotThreshold: 8 };

const write = (sql: string, timeout = 2000, queue = false): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue, timeout } });
const read = (sql: string, level: 'weak' | 'linearizable' = 'linearizable'): ClientOp => ({ op: 'query', req: { statements: [{ sql }], level, timeout: 2000 } });

/** Answers by the number their call was tagged with. */
type Answers = Map<number, Answer>;

const listener = (answers: Answers) => (tag: CallTag) => (a: Answer) => void answers.set(tag.n, a);

interface Setup {
  c: Cluster;
  answers: Answers;
  leader: string;
  follower: string;
  /** Send a tagged request: answered into `answers` under `n`. */
  send(c: Cluster, answers: Answers, node: string, op: ClientOp, n: number): void;
}

async function setUp(SQL: SqlJsStatic, elect = true): Promise<Setup> {
  const c = new Cluster(SQL, OPTS);
  c.world.logLimit = 100_000;
  const answers: Answers = new Map();
  const send = (on: Cluster, into: Answers, node: string, op: ClientOp, n: number) => void on.request(node, op, listener(into)({ n }), { n });
  if (!elect) return { c, answers, leader: '', follower: '', send };
  const leader = waitLeader(c);
  const follower = [...c.servers.keys()].find((id) => id !== leader)!;
  expect(exec(c, leader, 'CREATE TABLE t(k INTEGER, v)').ok).toBe(true);
  c.world.advance(100);
  return { c, answers, leader, follower, send };
}

/** A fresh cluster resumed from `cp`, its calls' answers going to its own map; the log so far shared. */
function resumed(SQL: SqlJsStatic, from: Cluster, cp: ClusterCheckpoint): { copy: Cluster; answers: Answers } {
  const copy = new Cluster(SQL, OPTS, false);
  copy.world.logLimit = 100_000;
  const answers: Answers = new Map();
  copy.restore(cp, [...from.world.log], false, listener(answers));
  return { copy, answers };
}

/** The same on both: more writes and reads, a crash and a restart, and time to answer everything. */
function goOn(s: Setup, c: Cluster, answers: Answers): void {
  // At the checkpoint's own instant: it joins the AppendEntries round already due there, if any.
  s.send(c, answers, s.leader || 'n1', write('INSERT INTO t VALUES (49, 0)'), 49);
  s.send(c, answers, s.follower || 'n2', write('INSERT INTO t VALUES (50, randomblob(8))'), 50);
  c.world.advance(40);
  for (let i = 0; i < 12; i++) s.send(c, answers, s.leader || 'n1', write(`INSERT INTO t VALUES (${60 + i}, ${i})`), 60 + i);
  c.world.advance(200);
  s.send(c, answers, s.follower || 'n2', read('SELECT count(*), sum(k) FROM t'), 80);
  c.world.advance(3000);
}

const after = (c: Cluster, seq: number) => c.world.log.filter((e) => e.seq > seq).map((e) => JSON.stringify(e));

/** Take a checkpoint now (it must be possible), resume two copies from it, go on with all three: all the same. */
function expectResumesExactly(SQL: SqlJsStatic, s: Setup, waiting: number[]): void {
  const cp = s.c.checkpoint();
  expect(cp).not.toBeNull();
  // The calls named are still waiting: the checkpoint carries them.
  for (const n of waiting) expect(s.answers.has(n), `call ${n} waits`).toBe(false);
  const seq = s.c.world.log[s.c.world.log.length - 1].seq;
  const copies = [resumed(SQL, s.c, cp!), resumed(SQL, s.c, cp!)];
  goOn(s, s.c, s.answers);
  for (const { copy, answers } of copies) goOn(s, copy, answers);
  for (const n of waiting) expect(s.answers.has(n), `call ${n} answered`).toBe(true);
  for (const { copy, answers } of copies) {
    // The answers given before the checkpoint are the original's alone.
    expect(new Map([...s.answers].filter(([n]) => answers.has(n) || waiting.includes(n)))).toEqual(answers);
    expect(after(copy, seq)).toEqual(after(s.c, seq));
    for (const [id, server] of s.c.servers) expect(copy.servers.get(id)!.db?.hash() ?? null, id).toBe(server.db?.hash() ?? null);
    copy.dispose();
  }
  s.c.dispose();
}

describe('a checkpoint taken while requests are in flight resumes exactly', () => {
  it('a write the leader holds, its AppendEntries round still to be sent', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.leader, write('INSERT INTO t VALUES (1, 1)'), 1);
    expectResumesExactly(SQL, s, [1]);
  });

  it('a write the leader holds and has sent, its replies on the wire', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.leader, write('INSERT INTO t VALUES (1, 1)'), 1);
    s.c.world.advance(3);
    expectResumesExactly(SQL, s, [1]);
  });

  it('a linearizable read held for its read index', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.leader, read('SELECT count(*) FROM t'), 1);
    s.c.world.advance(2);
    expectResumesExactly(SQL, s, [1]);
  });

  it('a write forwarded by a follower, and a read forwarded back and forth', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.follower, write('INSERT INTO t VALUES (1, 1)'), 1);
    s.send(s.c, s.answers, s.follower, read('SELECT 1', 'weak'), 2);
    s.c.world.advance(7);
    expectResumesExactly(SQL, s, [1, 2]);
  });

  it('a forwarded write whose leader is cut off before it answers: timed out the same, not "leader not found"', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.follower, write('INSERT INTO t VALUES (1, 1)', 300), 1);
    s.c.world.advance(3);
    s.c.isolate(s.leader);
    expectResumesExactly(SQL, s, [1]);
  });

  it('queued writes waiting for their batch to be flushed', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.follower, write('INSERT INTO t VALUES (1, 1)', 2000, true), 1);
    s.send(s.c, s.answers, s.follower, write('INSERT INTO t VALUES (2, 2)', 2000, true), 2);
    s.c.world.advance(10);
    // Queued writes are answered at once, with a sequence number; the batch is still to go.
    expect(s.answers.get(2)).toMatchObject({ ok: true, result: { sequence_number: 2 } });
    expectResumesExactly(SQL, s, []);
  });

  it('a request retried every 20 ms at a node that knows no leader yet', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL, false);
    s.send(s.c, s.answers, 'n1', write('CREATE TABLE t(k INTEGER, v)', 5000), 1);
    s.c.world.advance(45);
    expect(s.c.leader()).toBeNull();
    expectResumesExactly(SQL, s, [1]);
  });

  it('a write a cut-off leader still holds after its call timed out', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.c.isolate(s.leader);
    s.send(s.c, s.answers, s.leader, write('INSERT INTO t VALUES (1, 1)', 30), 1);
    s.c.world.advance(40);
    expect(s.answers.get(1)).toMatchObject({ ok: false, problem: { code: 'timeout' } });
    expect(s.c.servers.get(s.leader)!.proc.raft!.role).toBe('leader');
    s.c.heal();
    expectResumesExactly(SQL, s, []);
  });
});

describe('no checkpoint', () => {
  it('while a call made without a tag waits: its listener could not be named again', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    let answer: Answer | null = null;
    s.c.request(s.leader, write('INSERT INTO t VALUES (1, 1)'), (a) => (answer = a));
    expect(s.c.checkpoint()).toBeNull();
    s.c.world.runUntil(() => answer !== null, s.c.now + 2000);
    expect(s.c.checkpoint()).not.toBeNull();
    s.c.dispose();
  });

  it('restored without a way to revive a waiting call: refused, naming the call', async () => {
    const SQL = await sqljs();
    const s = await setUp(SQL);
    s.send(s.c, s.answers, s.leader, write('INSERT INTO t VALUES (1, 1)'), 1);
    const cp = s.c.checkpoint()!;
    const copy = new Cluster(SQL, OPTS, false);
    expect(() => copy.restore(cp, [])).toThrow(/call \d+ waits for its answer/);
    copy.dispose();
    s.c.dispose();
  });
});
