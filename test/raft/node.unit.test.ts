import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { RaftNode } from '../../src/raft/node';
import { defaultRaftOptions, type AppendEntries, type Entry, type RaftMessage, type RequestVote } from '../../src/raft/types';

const voters = ['n1', 'n2', 'n3'];
const cfg = { voters, learners: [] };

function node(id = 'n1', log: [number, string?][] = [], term = 0, opts = {}): RaftNode {
  const st = new PersistentState(cfg);
  st.term = term;
  log.forEach(([t, d], i) => st.append({ index: i + 1, term: t, kind: 'command', data: d ?? null }));
  return new RaftNode(id, st, { ...defaultRaftOptions, preVote: false, ...opts }, () => 0.5, 0);
}

const vote = (m: Partial<RequestVote>): RequestVote => ({
  type: 'RequestVote', from: 'n2', to: 'n1', term: 1, lastLogIndex: 0, lastLogTerm: 0, preVote: false, transfer: false, ...m,
});

const append = (m: Partial<AppendEntries>): AppendEntries => ({
  type: 'AppendEntries', from: 'n2', to: 'n1', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, seq: 1, ...m,
});

const entries = (from: number, terms: number[]): Entry[] =>
  terms.map((t, i) => ({ index: from + i, term: t, kind: 'command', data: `e${from + i}` }));

function take(n: RaftNode): RaftMessage[] {
  return n.outbox();
}

describe('RaftNode: RequestVote (§5.2, §5.4.1)', () => {
  it('grants one vote per term and persists it before answering', () => {
    const n = node();
    n.step(vote({ from: 'n2', term: 1 }), 0);
    expect(take(n)[0]).toMatchObject({ type: 'RequestVoteResp', granted: true, term: 1 });
    expect(n.storage.votedFor).toBe('n2');
    n.step(vote({ from: 'n3', term: 1 }), 1);
    expect(take(n)[0]).toMatchObject({ granted: false });
  });

  it('refuses a candidate whose log is less up to date', () => {
    const n = node('n1', [[1], [2]], 2);
    n.step(vote({ term: 3, lastLogIndex: 5, lastLogTerm: 1 }), 0);
    expect(take(n)[0]).toMatchObject({ granted: false, term: 3 });
    n.step(vote({ from: 'n3', term: 3, lastLogIndex: 1, lastLogTerm: 2 }), 0);
    expect(take(n)[0]).toMatchObject({ granted: false });
    n.step(vote({ from: 'n3', term: 4, lastLogIndex: 2, lastLogTerm: 2 }), 0);
    expect(take(n)[0]).toMatchObject({ granted: true, term: 4 });
  });

  it('rejects a stale-term request and tells the sender the newer term', () => {
    const n = node('n1', [], 5);
    n.step(vote({ term: 3 }), 0);
    expect(take(n)[0]).toMatchObject({ granted: false, term: 5 });
  });

  it('ignores votes while it hears from a live leader, unless it is a leadership transfer', () => {
    const n = node('n1', [], 1);
    n.step(append({ from: 'n3', term: 1 }), 100);
    take(n);
    n.step(vote({ term: 2, lastLogIndex: 9, lastLogTerm: 1 }), 120);
    expect(take(n)).toEqual([]);
    expect(n.term).toBe(1);
    n.step(vote({ term: 2, lastLogIndex: 9, lastLogTerm: 1, transfer: true }), 130);
    expect(take(n)[0]).toMatchObject({ granted: true });
  });
});

describe('RaftNode: AppendEntries (§5.3)', () => {
  it('rejects when the log has no matching entry at prevLogIndex, with a conflict hint', () => {
    const n = node('n1', [[1], [1], [2], [2]], 2);
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(take(n)[0]).toMatchObject({ success: false, conflictTerm: 2, conflictIndex: 3, rejectIndex: 4 });
    n.step(append({ term: 3, prevLogIndex: 9, prevLogTerm: 3 }), 0);
    expect(take(n)[0]).toMatchObject({ success: false, conflictTerm: 0, conflictIndex: 5 });
  });

  it('truncates conflicting entries and appends the leader’s, keeping matching ones', () => {
    const n = node('n1', [[1], [1], [2], [2]], 2);
    const kept = n.storage.entry(2);
    n.step(append({ term: 3, prevLogIndex: 2, prevLogTerm: 1, entries: entries(3, [3, 3]), leaderCommit: 3 }), 0);
    expect(take(n)[0]).toMatchObject({ success: true, matchIndex: 4 });
    expect(n.storage.entries.map((e) => e.term)).toEqual([1, 1, 3, 3]);
    expect(n.storage.entry(2)).toBe(kept);
    expect(n.commitIndex).toBe(3);
  });

  it('ignores a duplicated older append without truncating newer entries', () => {
    const n = node('n1', [], 1);
    n.step(append({ term: 1, entries: entries(1, [1, 1, 1]) }), 0);
    n.step(append({ term: 1, entries: entries(1, [1]) }), 1);
    expect(n.lastIndex).toBe(3);
  });

  it('never moves commitIndex past what it verified', () => {
    const n = node('n1', [[1], [1], [1]], 1);
    n.step(append({ term: 1, prevLogIndex: 1, prevLogTerm: 1, leaderCommit: 3 }), 0);
    expect(n.commitIndex).toBe(1);
  });
});

describe('RaftNode: leader commit rule (§5.4.2, Figure 8)', () => {
  function leaderWithOldEntry(unsafe: boolean): RaftNode {
    const n = node('n1', [[1], [2]], 2, { unsafeCommitOldTerms: unsafe });
    n.onElectionTimeout(1000);
    n.step({ type: 'RequestVoteResp', from: 'n2', to: 'n1', term: 3, granted: true, preVote: false }, 1001);
    expect(n.role).toBe('leader');
    take(n);
    return n;
  }

  it('does not commit an old-term entry just because a majority stores it', () => {
    const n = leaderWithOldEntry(false);
    // n2 acknowledges index 2 (term 2) but not yet the leader's own no-op at index 3.
    n.step({ type: 'AppendEntriesResp', from: 'n2', to: 'n1', term: 3, success: true, matchIndex: 2, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 0 }, 1010);
    expect(n.commitIndex).toBe(0);
    n.step({ type: 'AppendEntriesResp', from: 'n2', to: 'n1', term: 3, success: true, matchIndex: 3, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 0 }, 1020);
    expect(n.commitIndex).toBe(3);
  });

  it('with the rule switched off it commits the old entry: the Figure 8 bug', () => {
    const n = leaderWithOldEntry(true);
    n.step({ type: 'AppendEntriesResp', from: 'n2', to: 'n1', term: 3, success: true, matchIndex: 2, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 0 }, 1010);
    expect(n.commitIndex).toBe(2);
  });

  it('a new leader appends a no-op of its term', () => {
    const n = leaderWithOldEntry(false);
    expect(n.storage.entry(3)).toMatchObject({ term: 3, kind: 'noop' });
  });
});

describe('RaftNode: restart keeps term, vote and log but nothing volatile', () => {
  it('rebuilds from persisted state', () => {
    const st = new PersistentState(cfg);
    const a = new RaftNode('n1', st, defaultRaftOptions, () => 0.5, 0);
    a.step(vote({ term: 4, lastLogIndex: 0, lastLogTerm: 0 }), 0);
    a.step(append({ from: 'n2', term: 4, entries: entries(1, [4, 4]), leaderCommit: 2 }), 10);
    expect(a.commitIndex).toBe(2);
    const b = new RaftNode('n1', st, defaultRaftOptions, () => 0.5, 20);
    expect(b.term).toBe(4);
    expect(b.storage.votedFor).toBe('n2');
    expect(b.lastIndex).toBe(2);
    expect(b.commitIndex).toBe(0);
    expect(b.role).toBe('follower');
    expect(b.leaderId).toBeNull();
  });
});
