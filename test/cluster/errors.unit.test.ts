import { describe, expect, it } from 'vitest';
import {
  explainProblem,
  isTransient,
  problemText,
  type Problem,
  type ProblemCode,
} from '../../src/cluster/errors';

/** One of every problem the service can report (the `satisfies` below fails to compile if one is missing). */
const EVERY = {
  'not-leader': { code: 'not-leader' },
  'transfer-in-progress': { code: 'transfer-in-progress' },
  'change-in-progress': { code: 'change-in-progress' },
  'leader-not-committed': { code: 'leader-not-committed' },
  'already-leader': { code: 'already-leader', node: 'n7' },
  'not-voter': { code: 'not-voter', node: 'n7' },
  'no-leader': { code: 'no-leader' },
  'node-down': { code: 'node-down', node: 'n7' },
  crashed: { code: 'crashed', node: 'n7' },
  timeout: { code: 'timeout' },
  stale: { code: 'stale', node: 'n7', age: 1500, freshness: 1000 },
  'leadership-lost': { code: 'leadership-lost' },
  overwritten: { code: 'overwritten' },
  'already-member': { code: 'already-member', node: 'n7' },
  'not-member': { code: 'not-member', node: 'n7' },
  'last-voter': { code: 'last-voter' },
  down: { code: 'down', node: 'n7' },
  'nothing-to-snapshot': { code: 'nothing-to-snapshot', node: 'n7', index: 42 },
  'message-gone': { code: 'message-gone' },
  'no-live-node': { code: 'no-live-node' },
} as const satisfies { [C in ProblemCode]: Extract<Problem, { code: C }> };

const problems: Problem[] = Object.values(EVERY);

describe('problemText: the one place a problem is put into words', () => {
  it('gives every problem its own sentence, naming the node and the numbers it carries', () => {
    const texts = problems.map(problemText);
    for (const [i, t] of texts.entries()) expect(t.length, problems[i].code).toBeGreaterThan(8);
    expect(new Set(texts).size).toBe(problems.length);
    for (const p of problems) if ('node' in p) expect(problemText(p), p.code).toContain('n7');
    expect(problemText(EVERY['nothing-to-snapshot'])).toContain('index 42');
  });

  it('words them as rqlite users read them', () => {
    expect(problems.map((p) => [p.code, problemText(p)])).toEqual([
      ['not-leader', 'not leader'],
      ['transfer-in-progress', 'leadership transfer in progress'],
      ['change-in-progress', 'a configuration change is already in progress'],
      ['leader-not-committed', 'the leader has not yet committed an entry of its term'],
      ['already-leader', 'n7 is already the leader'],
      ['not-voter', 'n7 is not a voter'],
      ['no-leader', 'leader not found'],
      ['node-down', 'node n7 is not reachable (down)'],
      ['crashed', 'node n7 crashed'],
      ['timeout', 'request timed out'],
      ['stale', 'stale read: n7 last heard from a leader 1500 ms ago, more than the freshness of 1000 ms'],
      ['leadership-lost', 'leadership lost while the request was in progress'],
      ['overwritten', 'leadership lost: the entry was overwritten by a newer leader'],
      ['already-member', 'n7 is already a member'],
      ['not-member', 'n7 is not a member'],
      ['last-voter', 'cannot remove the last voter'],
      ['down', 'n7 is down'],
      ['nothing-to-snapshot', 'n7 has applied nothing since its last snapshot (index 42)'],
      ['message-gone', 'that message has already arrived or been lost'],
      ['no-live-node', 'no live node'],
    ]);
  });

  it('a node that never heard from a leader says so rather than "Infinity ms ago"', () => {
    expect(problemText({ code: 'stale', node: 'n2', age: Infinity, freshness: 1000 })).toBe(
      'stale read: n2 last heard from a leader never, more than the freshness of 1000 ms',
    );
  });
});

describe('explainProblem: the console’s sentence, with what to try', () => {
  it('says what to do about the problems a learner meets most', () => {
    expect(explainProblem(EVERY['no-leader'])).toBe(
      'No leader is known right now (an election may be under way, or the node is cut off). Try again in a moment.',
    );
    expect(explainProblem(EVERY.timeout)).toBe(
      'The request timed out. Its outcome is unknown: a write may still be committed later (a majority may be unreachable right now).',
    );
    expect(explainProblem(EVERY['leadership-lost'])).toBe(
      'leadership lost while the request was in progress. Its outcome is unknown: the write may still be committed by the next leader.',
    );
    expect(explainProblem(EVERY.stale)).toBe(`Refused a stale read — ${problemText(EVERY.stale)}`);
    expect(explainProblem(EVERY['node-down'])).toBe(
      'node n7 is not reachable (down): pick another node or restart it.',
    );
  });

  it('is the plain text for the rest', () => {
    const special = new Set<ProblemCode>(['no-leader', 'timeout', 'leadership-lost', 'stale', 'node-down']);
    for (const p of problems)
      if (!special.has(p.code)) expect(explainProblem(p), p.code).toBe(problemText(p));
  });
});

describe('isTransient: the refusals worth retrying', () => {
  it('is true for those time cures (an election, a change or transfer in flight), false for the rest', () => {
    const transient = problems.filter(isTransient).map((p) => p.code);
    expect(transient).toEqual([
      'not-leader',
      'transfer-in-progress',
      'change-in-progress',
      'leader-not-committed',
      'no-leader',
    ]);
  });
});
