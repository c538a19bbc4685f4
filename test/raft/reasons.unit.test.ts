import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { RaftNode } from '../../src/raft/node';
import type { Reason } from '../../src/raft/reasons';
import { defaultRaftOptions, type AppendEntries, type ClusterConfig, type Entry, type RaftOptions, type RequestVote } from '../../src/raft/types';

const config: ClusterConfig = { voters: ['n1', 'n2', 'n3'], learners: [] };

function node(id: string, opts: Partial<RaftOptions> = {}, log: Entry[] = [], term = 0): RaftNode {
  const st = new PersistentState(config);
  st.term = term;
  for (const e of log) st.append(e);
  return new RaftNode(id, st, { ...defaultRaftOptions, preVote: false, ...opts }, () => 0.5, 0);
}

const entry = (index: number, term: number): Entry => ({ index, term, kind: 'command', data: null });
const reasons = (n: RaftNode): readonly Reason[] => n.ready().reasons;
const vote = (from: string, term: number, lastLogIndex: number, lastLogTerm: number, preVote = false): RequestVote => ({
  type: 'RequestVote', from, to: 'n2', term, lastLogIndex, lastLogTerm, preVote, transfer: false,
});
const append = (prevLogIndex: number, prevLogTerm: number, entries: Entry[], leaderCommit: number, term = 2): AppendEntries => ({
  type: 'AppendEntries', from: 'n1', to: 'n2', term, prevLogIndex, prevLogTerm, entries, leaderCommit, seq: 1,
});

/** A leader of term 1 in n1..n3, its no-op at index 1. */
function leader(opts: Partial<RaftOptions> = {}): RaftNode {
  const n = node('n1', opts);
  n.onElectionTimeout(1000);
  n.step({ type: 'RequestVoteResp', from: 'n2', to: 'n1', term: 1, granted: true, preVote: false }, 1001);
  expect(n.role).toBe('leader');
  return n;
}

describe('the Raft core records why it decided (reason codes, Figure 2)', () => {
  it('an election: the timeout with its deadline, then the win with the granted votes and the quorum', () => {
    const n = node('n1');
    const deadline = n.electionDeadline;
    n.onElectionTimeout(deadline);
    n.step({ type: 'RequestVoteResp', from: 'n3', to: 'n1', term: 1, granted: true, preVote: false }, deadline + 5);
    const rs = reasons(n);
    expect(rs[0]).toEqual({ code: 'election-timeout', term: 0, deadline, preVote: false, lastLeader: null });
    expect(rs).toContainEqual({ code: 'election-won', term: 1, granted: ['n1', 'n3'], voters: ['n1', 'n2', 'n3'], quorum: 2 });
    expect(rs).toContainEqual({ code: 'proposed', index: 1, term: 1, kind: 'noop' });
  });

  it('a vote refused for a log that is behind (§5.4.1) carries both last positions', () => {
    const voter = node('n2', {}, [entry(1, 1), entry(2, 2)], 2);
    voter.step(vote('n3', 3, 5, 1), 10);
    const r = reasons(voter).find((x) => x.code === 'vote-refused');
    expect(r).toMatchObject({ candidate: 'n3', term: 3, candidateLast: { index: 5, term: 1 }, voterLast: { index: 2, term: 2 }, refusal: { why: 'log-behind' } });
  });

  it('a second vote in the same term is refused as already given, a stale term as stale', () => {
    const voter = node('n2', {}, [], 2);
    voter.step(vote('n1', 3, 0, 0), 10);
    voter.step(vote('n3', 3, 0, 0), 11);
    voter.step(vote('n3', 1, 0, 0), 12);
    const rs = reasons(voter).filter((x) => x.code === 'vote-granted' || x.code === 'vote-refused');
    expect(rs.map((x) => (x.code === 'vote-refused' ? x.refusal : x.code))).toEqual([
      'vote-granted',
      { why: 'already-voted', votedFor: 'n1' },
      { why: 'stale-term' },
    ]);
  });

  it('a step-down names the higher term and the message that carried it', () => {
    const n = leader();
    n.ready();
    n.step({ type: 'AppendEntriesResp', from: 'n3', to: 'n1', term: 7, success: false, matchIndex: 0, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 0 }, 1010);
    expect(reasons(n)).toEqual([
      { code: 'became-follower', term: 7, prevRole: 'leader', cause: { why: 'higher-term', from: 'n3', message: 'AppendEntriesResp', oldTerm: 1 } },
    ]);
  });

  it('check-quorum: the leader steps down naming whom it heard from (dissertation §6.2)', () => {
    const n = leader({ checkQuorum: true });
    n.ready();
    n.onHeartbeatTimeout(1001 + defaultRaftOptions.electionTimeoutMax + 1);
    const r = reasons(n)[0];
    expect(r).toMatchObject({ code: 'became-follower', prevRole: 'leader', cause: { why: 'check-quorum', heard: ['n1'], quorum: 2 } });
  });

  it('an append: the consistency check at prevLogIndex (§5.3), a truncation, and the commit from leaderCommit', () => {
    const f = node('n2', {}, [entry(1, 1), entry(2, 1)], 1);
    f.step(append(3, 2, [], 0), 10);
    f.step(append(1, 1, [entry(2, 2), entry(3, 2)], 3), 11);
    const rs = reasons(f);
    expect(rs.find((x) => x.code === 'append-rejected')).toMatchObject({ prev: { index: 3, term: 2 }, refusal: { why: 'missing', lastIndex: 2 } });
    expect(rs.find((x) => x.code === 'truncated')).toEqual({ code: 'truncated', leader: 'n1', from: 2, removed: [{ index: 2, term: 1 }], by: { index: 2, term: 2 } });
    expect(rs.find((x) => x.code === 'append-accepted')).toMatchObject({ appended: [{ index: 2, term: 2 }, { index: 3, term: 2 }], matchIndex: 3 });
    expect(rs.find((x) => x.code === 'commit-by-leader')).toEqual({ code: 'commit-by-leader', from: 0, to: 3, leader: 'n1', leaderCommit: 3, lastNew: 3 });
    expect(rs.find((x) => x.code === 'applied')).toEqual({ code: 'applied', from: 1, to: 3, commitIndex: 3 });
  });

  it('a term mismatch at prevLogIndex is told apart from a missing entry', () => {
    const f = node('n2', {}, [entry(1, 1)], 1);
    f.step(append(1, 2, [], 0), 10);
    expect(reasons(f).find((x) => x.code === 'append-rejected')).toMatchObject({ refusal: { why: 'term-mismatch', termThere: 1 } });
  });

  it('a commit by counting replicas names every match index, the quorum and the current-term rule', () => {
    const n = leader();
    n.ready();
    n.step({ type: 'AppendEntriesResp', from: 'n3', to: 'n1', term: 1, success: true, matchIndex: 1, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 0 }, 1010);
    expect(reasons(n)).toContainEqual({
      code: 'commit-by-quorum', from: 0, to: 1, term: 1, entryTerm: 1, currentTerm: true,
      matches: [{ node: 'n1', matchIndex: 1 }, { node: 'n2', matchIndex: 0 }, { node: 'n3', matchIndex: 1 }],
      voters: ['n1', 'n2', 'n3'], quorum: 2,
    });
  });
});
