/**
 * §9.6 pre-vote, §3.10 leadership transfer and §6.2 check-quorum (Ongaro's thesis). One RaftNode at a time: messages
 * go in, the test reads what comes out (helpers: test/helpers/raftNode.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultRaftOptions } from '../../src/raft/types';
import {
  cfg5,
  makeNode,
  take,
  only,
  voteResp,
  vote,
  appendResp,
  makeLeader,
  ackAll,
} from '../helpers/raftNode';

describe('§9.6 pre-vote', () => {
  it('a pre-candidate asks for votes in the next term without changing its own term or vote', () => {
    const n = makeNode({ log: [1], term: 1, opts: { preVote: true } });
    n.onElectionTimeout(1000);
    expect(n.role).toBe('precandidate');
    expect(n.term).toBe(1);
    expect(n.storage.votedFor).toBeNull();
    const msgs = only(n, 'RequestVote');
    expect(msgs).toHaveLength(2);
    for (const m of msgs)
      expect(m).toMatchObject({ term: 2, preVote: true, transfer: false, lastLogIndex: 1, lastLogTerm: 1 });
  });

  it('a pre-candidate with a majority of pre-votes starts the real election', () => {
    const n = makeNode({ term: 1, opts: { preVote: true } });
    n.onElectionTimeout(0);
    take(n);
    n.step(voteResp({ term: 2, preVote: true }), 1);
    expect(n.role).toBe('candidate');
    expect(n.term).toBe(2);
    const real = only(n, 'RequestVote');
    expect(real).toHaveLength(2);
    expect(real.every((m) => !m.preVote && !m.transfer && m.term === 2)).toBe(true);
  });

  it('a granted pre-vote for another term, or a real vote, does not count for a pre-candidate', () => {
    const n = makeNode({ term: 1, opts: { preVote: true } });
    n.onElectionTimeout(0);
    n.step(voteResp({ term: 1, preVote: true }), 1);
    expect(n.role).toBe('precandidate');
    n.step(voteResp({ term: 1, preVote: false }), 1);
    expect(n.role).toBe('precandidate');
  });

  it('a rejected pre-vote carrying a higher term makes the pre-candidate adopt it', () => {
    const n = makeNode({ term: 1, opts: { preVote: true } });
    n.onElectionTimeout(0);
    n.step(voteResp({ term: 4, preVote: true, granted: false }), 1);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(4);
  });

  it('a granted higher-term pre-vote does not move the pre-candidate to that term', () => {
    const n = makeNode({ term: 1, config: cfg5, opts: { preVote: true } });
    n.onElectionTimeout(0);
    n.step(voteResp({ term: 2, preVote: true }), 1);
    expect(n.term).toBe(1);
    expect(n.role).toBe('precandidate');
  });

  it('a voter grants a pre-vote for a later term and an up-to-date log, without voting or changing term', () => {
    const n = makeNode({ log: [1, 2], term: 2 });
    n.step(vote({ term: 3, preVote: true, lastLogIndex: 2, lastLogTerm: 2 }), 0);
    expect(take(n)).toEqual([
      { type: 'RequestVoteResp', from: 'n1', to: 'n2', preVote: true, granted: true, term: 3 },
    ]);
    expect(n.term).toBe(2);
    expect(n.storage.votedFor).toBeNull();
  });

  it('a voter refuses a pre-vote for a stale log or a term that is not later, answering with its own term', () => {
    const n = makeNode({ log: [1, 2], term: 2 });
    n.step(vote({ term: 3, preVote: true, lastLogIndex: 1, lastLogTerm: 2 }), 0);
    expect(take(n)).toEqual([
      { type: 'RequestVoteResp', from: 'n1', to: 'n2', preVote: true, granted: false, term: 2 },
    ]);
    n.step(vote({ term: 2, preVote: true, lastLogIndex: 5, lastLogTerm: 2 }), 0);
    expect(take(n)).toEqual([
      { type: 'RequestVoteResp', from: 'n1', to: 'n2', preVote: true, granted: false, term: 2 },
    ]);
  });

  it('a pre-candidate that loses the pre-vote returns to follower in the same term', () => {
    const n = makeNode({ term: 1, opts: { preVote: true } });
    n.onElectionTimeout(0);
    n.step(voteResp({ from: 'n2', term: 1, preVote: true, granted: false }), 1);
    n.step(voteResp({ from: 'n3', term: 1, preVote: true, granted: false }), 1);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(1);
  });
});

describe('§3.10 leadership transfer (thesis)', () => {
  it('TimeoutNow makes a voter start an election at once, flagged as a transfer', () => {
    const n = makeNode({ term: 1 });
    n.step({ type: 'TimeoutNow', from: 'n2', to: 'n1', term: 1 }, 10);
    expect(n.role).toBe('candidate');
    expect(n.term).toBe(2);
    expect(only(n, 'RequestVote').every((m) => m.transfer)).toBe(true);
  });

  it('TimeoutNow is ignored by a leader and by a learner', () => {
    const l = makeLeader();
    l.step({ type: 'TimeoutNow', from: 'n2', to: 'n1', term: 1 }, 10);
    expect(l.role).toBe('leader');
    const learner = makeNode({ id: 'n4', config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] }, term: 1 });
    learner.step({ type: 'TimeoutNow', from: 'n2', to: 'n4', term: 1 }, 10);
    expect(learner.role).toBe('follower');
  });

  it('the leader refuses a transfer to itself, to a non-voter, or when it is not leader', () => {
    const f = makeNode();
    expect(f.transferLeadership('n2', 0)).toEqual({ ok: false, refusal: { code: 'not-leader' } });
    const n = makeLeader({ config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } });
    expect(n.transferLeadership('n1', 0)).toEqual({
      ok: false,
      refusal: { code: 'already-leader', node: 'n1' },
    });
    expect(n.transferLeadership('n4', 0)).toEqual({ ok: false, refusal: { code: 'not-voter', node: 'n4' } });
    expect(n.transferLeadership('n9', 0)).toEqual({ ok: false, refusal: { code: 'not-voter', node: 'n9' } });
    expect(n.transferTarget).toBeNull();
  });

  it('the leader sends TimeoutNow to an up-to-date target, and first catches a lagging one up', () => {
    const n = makeLeader();
    ackAll(n, 1);
    take(n);
    expect(n.transferLeadership('n2', 10)).toEqual({ ok: true });
    expect(n.transferTarget).toBe('n2');
    expect(n.transferDeadline).toBe(10 + defaultRaftOptions.electionTimeoutMax);
    expect(take(n)).toEqual([{ type: 'TimeoutNow', to: 'n2', from: 'n1', term: 1 }]);

    const m = makeLeader();
    expect(m.transferLeadership('n2', 10)).toEqual({ ok: true });
    const out = take(m);
    expect(out.map((x) => x.type)).toEqual(['AppendEntries']);
    m.step(appendResp({ from: 'n2', matchIndex: 1 }), 11);
    expect(take(m).at(-1)).toEqual({ type: 'TimeoutNow', to: 'n2', from: 'n1', term: 1 });
  });

  it('no proposals are taken while a transfer is under way; it is abandoned after its deadline', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.transferLeadership('n3', 10);
    expect(n.propose('command', 'x', 11)).toEqual({ ok: false, refusal: { code: 'transfer-in-progress' } });
    expect(n.proposeConfig(cfg5, 11)).toEqual({ ok: false, refusal: { code: 'transfer-in-progress' } });
    ackAll(n, 20);
    n.onHeartbeatTimeout(10 + defaultRaftOptions.electionTimeoutMax - 1);
    expect(n.transferTarget).toBe('n3');
    n.onHeartbeatTimeout(10 + defaultRaftOptions.electionTimeoutMax);
    expect(n.transferTarget).toBeNull();
    expect(n.transferDeadline).toBe(Infinity);
    expect(n.propose('command', 'x', 400).ok).toBe(true);
  });

  it('a leader that steps down forgets its transfer target', () => {
    const n = makeLeader();
    n.transferLeadership('n3', 10);
    n.step(appendResp({ term: 2 }), 11);
    expect(n.transferTarget).toBeNull();
  });
});

describe('§6.2 check-quorum: a leader that cannot reach a majority steps down', () => {
  it('steps down when no majority answered within an election timeout', () => {
    const n = makeLeader();
    n.step(appendResp({ from: 'n2', matchIndex: 1 }), 100);
    n.onHeartbeatTimeout(100 + defaultRaftOptions.electionTimeoutMax);
    expect(n.role).toBe('leader');
    n.onHeartbeatTimeout(100 + defaultRaftOptions.electionTimeoutMax + 1);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(1);
    expect(n.leaderId).toBeNull();
  });

  it('does not step down without check-quorum', () => {
    const n = makeLeader({ opts: { checkQuorum: false } });
    n.onHeartbeatTimeout(100_000);
    expect(n.role).toBe('leader');
  });

  it('a leader deposed by check-quorum knows no leader, so it votes for the next candidate', () => {
    const n = makeLeader();
    n.onHeartbeatTimeout(10_000);
    expect(n.role).toBe('follower');
    n.step(vote({ from: 'n3', term: 2, lastLogIndex: 5, lastLogTerm: 5 }), 10_001);
    expect(only(n, 'RequestVoteResp')[0].granted).toBe(true);
  });
});
