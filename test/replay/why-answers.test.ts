import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster';
import type { Answer } from '../../src/cluster/types';
import { eventsOf } from '../../src/replay/eventStore';
import { History, ruleWords, why } from '../../src/replay/why';
import { exec, sqljs, waitLeader } from '../helpers/drive';

function ask(c: Cluster, node: string, freshness: number): { answer: Answer; sentAt: number } {
  let answer: Answer | null = null;
  const sentAt = c.now;
  c.request(node, { op: 'query', req: { statements: [{ sql: 'SELECT 1' }], level: 'none', freshness, timeout: 1000 } }, (a) => (answer = a));
  c.world.runUntil(() => answer !== null, c.now + 1001);
  return { answer: answer!, sentAt };
}

describe('why a console request was refused', () => {
  it('a stale read names how long ago the node last heard from a leader, and that message', async () => {
    const c = new Cluster(await sqljs(), { nodes: 3, seed: 1 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const cut = ['n1', 'n2', 'n3'].find((n) => n !== leader)!;
    c.isolate(cut);
    c.world.advance(1000);
    const { answer, sentAt } = ask(c, cut, 500);
    if (answer.ok) throw new Error('expected a refusal');
    expect(answer.problem.code).toBe('stale');
    const h = new History(eventsOf([...c.world.log]));
    const w = why(h, { kind: 'answer', node: answer.node, sentTo: cut, problem: answer.problem, sentAt, answeredAt: c.now, before: h.end });
    const text = ruleWords(w.rules[0], h).text;
    if (answer.problem.code !== 'stale') throw new Error('not stale');
    expect(text).toContain(`for ${answer.problem.age} ms, longer than the 500 ms`);
    const request = w.causes.find((x) => x.role === 'request');
    expect(h.event(request!.seq)).toMatchObject({ kind: 'client', node: cut, time: sentAt });
    // The last word from the leader: an append delivered to the isolated node before it was cut off.
    const last = w.causes.find((x) => x.role === 'last-contact');
    const e = h.event(last!.seq)!;
    expect(e).toMatchObject({ kind: 'deliver', node: cut });
    expect(sentAt - e.time).toBe(answer.problem.age);
    c.dispose();
  });

  it('a timed-out write names its proposal at the leader and the partition that kept it from a majority', async () => {
    const c = new Cluster(await sqljs(), { nodes: 5, seed: 1 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v)').ok).toBe(true);
    const others = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((n) => n !== leader);
    c.partition([[leader, others[0]], others.slice(1)]);
    const sentAt = c.now;
    const answer = exec(c, leader, "INSERT INTO t VALUES('a')", 30);
    if (answer.ok) throw new Error('expected a timeout');
    expect(answer.problem.code).toBe('timeout');
    const h = new History(eventsOf([...c.world.log]));
    const w = why(h, { kind: 'answer', node: answer.node, sentTo: leader, problem: answer.problem, sentAt, answeredAt: c.now, before: h.end });
    expect(ruleWords(w.rules[0], h).text).toContain('the outcome is unknown');
    const proposal = w.causes.find((x) => x.role === 'proposal');
    expect(proposal?.decision?.reason).toMatchObject({ code: 'proposed', kind: 'command', term: expect.any(Number) });
    expect(proposal?.decision?.node).toBe(leader);
    expect(h.event(w.causes.find((x) => x.role === 'fault')!.seq)).toMatchObject({ kind: 'partition' });
    c.dispose();
  });
});
