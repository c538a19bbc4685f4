/**
 * Rules from the Raft paper (§ numbers of "In Search of an Understandable Consensus Algorithm") and
 * Ongaro's thesis, one RaftNode at a time: messages go in, the test reads what comes out. In the
 * style of etcd's raft_paper_test.go. Written to pin the behaviour that mutation testing found
 * unchecked (docs/mutation-testing.md).
 */
import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { sameConfig as sameConfigOf } from '../../src/raft/quorum';
import { RaftNode } from '../../src/raft/node';
import {
  defaultRaftOptions,
  type AppendEntries,
  type AppendEntriesResp,
  type ClusterConfig,
  type Entry,
  type InstallSnapshot,
  type InstallSnapshotResp,
  type RaftMessage,
  type RaftOptions,
  type ReadState,
  type Snapshot,
  type RequestVote,
  type RequestVoteResp,
} from '../../src/raft/types';

const cfg3: ClusterConfig = { voters: ['n1', 'n2', 'n3'], learners: [] };
const cfg5: ClusterConfig = { voters: ['n1', 'n2', 'n3', 'n4', 'n5'], learners: [] };

interface Setup {
  id?: string;
  config?: ClusterConfig;
  /** Terms of the entries already in the log, from index 1. */
  log?: number[];
  term?: number;
  opts?: Partial<RaftOptions>;
  random?: () => number;
  now?: number;
}

function makeNode(s: Setup = {}): RaftNode {
  const st = new PersistentState(s.config ?? cfg3);
  st.term = s.term ?? 0;
  (s.log ?? []).forEach((t, i) => st.append({ index: i + 1, term: t, kind: 'command', data: `e${i + 1}` }));
  const opts: RaftOptions = { ...defaultRaftOptions, preVote: false, ...s.opts };
  return new RaftNode(s.id ?? 'n1', st, opts, s.random ?? (() => 0), s.now ?? 0);
}

/**
 * The node hands its outputs over as values (ready(), outbox()); these keep what it handed over so
 * a test can look at each part when it likes, as the old public fields allowed.
 */
interface Handed {
  msgs: RaftMessage[];
  snapshot: Snapshot | null;
  committed: Entry[];
  readStates: ReadState[];
}
const handed = new WeakMap<RaftNode, Handed>();

function handedBy(n: RaftNode, withReady: boolean): Handed {
  let h = handed.get(n);
  if (!h) handed.set(n, (h = { msgs: [], snapshot: null, committed: [], readStates: [] }));
  if (withReady) {
    const rd = n.ready();
    if (rd.snapshot) h.snapshot = rd.snapshot;
    h.committed.push(...rd.committed);
    h.readStates.push(...rd.readStates);
  }
  return h;
}

function take(n: RaftNode): RaftMessage[] {
  const h = handedBy(n, false);
  const out = [...h.msgs, ...n.outbox()];
  h.msgs = [];
  return out;
}

function flushAppends(n: RaftNode): void {
  handedBy(n, false).msgs.push(...n.outbox());
}

function takeCommitted(n: RaftNode): Entry[] {
  const h = handedBy(n, true);
  const out = h.committed;
  h.committed = [];
  return out;
}

const pendingSnapshot = (n: RaftNode): Snapshot | null => handedBy(n, true).snapshot;
const readStates = (n: RaftNode): ReadState[] => handedBy(n, true).readStates;

function only<T extends RaftMessage['type']>(n: RaftNode, type: T): Extract<RaftMessage, { type: T }>[] {
  return take(n).filter((m): m is Extract<RaftMessage, { type: T }> => m.type === type);
}

const voteResp = (m: Partial<RequestVoteResp>): RequestVoteResp => ({
  type: 'RequestVoteResp', from: 'n2', to: 'n1', term: 1, granted: true, preVote: false, ...m,
});

const vote = (m: Partial<RequestVote>): RequestVote => ({
  type: 'RequestVote', from: 'n2', to: 'n1', term: 1, lastLogIndex: 0, lastLogTerm: 0, preVote: false, transfer: false, ...m,
});

const append = (m: Partial<AppendEntries>): AppendEntries => ({
  type: 'AppendEntries', from: 'n2', to: 'n1', term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, seq: 1, ...m,
});

const appendResp = (m: Partial<AppendEntriesResp>): AppendEntriesResp => ({
  type: 'AppendEntriesResp', from: 'n2', to: 'n1', term: 1, success: true, matchIndex: 0, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 0, ...m,
});

const snapMsg = (m: Partial<InstallSnapshot>): InstallSnapshot => ({
  type: 'InstallSnapshot', from: 'n2', to: 'n1', term: 1, lastIncludedIndex: 5, lastIncludedTerm: 1, config: cfg3,
  offset: 0, total: 4, chunk: new Uint8Array([1, 2, 3, 4]), done: true, seq: 1, ...m,
});

const snapResp = (m: Partial<InstallSnapshotResp>): InstallSnapshotResp => ({
  type: 'InstallSnapshotResp', from: 'n2', to: 'n1', term: 1, lastIncludedIndex: 0, nextOffset: 0, done: true, seq: 0, ...m,
});

const entries = (from: number, terms: number[]): Entry[] =>
  terms.map((t, i) => ({ index: from + i, term: t, kind: 'command', data: `e${from + i}` }));

/** n1 wins an election at `now` with the fewest votes it needs (n2's, then n3's, …): a leader of term (term + 1) with its no-op appended. */
function makeLeader(s: Setup = {}, now = 0): RaftNode {
  const n = makeNode(s);
  n.onElectionTimeout(now);
  for (const id of n.config.voters) if (n.role === 'candidate' && id !== n.id) n.step(voteResp({ from: id, term: n.term }), now);
  expect(n.role).toBe('leader');
  take(n);
  return n;
}

/** Every follower of `n` acknowledges everything the leader has. */
function ackAll(n: RaftNode, now: number, seq = 0): void {
  for (const id of [...n.progress.keys()]) n.step(appendResp({ from: id, term: n.term, matchIndex: n.lastIndex, seq }), now);
}

describe('§5.2 leader election', () => {
  it('a follower whose election timeout elapses becomes a candidate: new term, votes for itself, asks every other voter', () => {
    const n = makeNode({ log: [1, 2], term: 2 });
    n.onElectionTimeout(1000);
    expect(n.role).toBe('candidate');
    expect(n.term).toBe(3);
    expect(n.storage.votedFor).toBe('n1');
    expect(n.leaderId).toBeNull();
    const msgs = only(n, 'RequestVote');
    expect(msgs.map((m) => m.to).sort()).toEqual(['n2', 'n3']);
    for (const m of msgs) {
      expect(m).toMatchObject({ from: 'n1', term: 3, lastLogIndex: 2, lastLogTerm: 2, preVote: false, transfer: false });
    }
  });

  it('election timeouts are drawn from [electionTimeoutMin, electionTimeoutMax]', () => {
    const low = makeNode({ random: () => 0, now: 1000 });
    expect(low.electionDeadline).toBe(1000 + defaultRaftOptions.electionTimeoutMin);
    const high = makeNode({ random: () => 0.9999, now: 1000 });
    expect(high.electionDeadline).toBe(1000 + defaultRaftOptions.electionTimeoutMax);
    const mid = makeNode({ random: () => 0.5, now: 0, opts: { electionTimeoutMin: 100, electionTimeoutMax: 200 } });
    expect(mid.electionDeadline).toBe(150);
  });

  it('a candidate restarts its election timer so a split vote ends in a new election', () => {
    const n = makeNode({ random: () => 0 });
    n.onElectionTimeout(1000);
    expect(n.electionDeadline).toBe(1000 + defaultRaftOptions.electionTimeoutMin);
    n.onElectionTimeout(n.electionDeadline);
    expect(n.role).toBe('candidate');
    expect(n.term).toBe(2);
  });

  it('a candidate that wins votes from a majority becomes leader and asserts it at once', () => {
    const n = makeNode({ config: cfg5, log: [1] , term: 1 });
    n.onElectionTimeout(0);
    take(n);
    n.step(voteResp({ from: 'n2', term: 2 }), 5);
    expect(n.role).toBe('candidate');
    n.step(voteResp({ from: 'n3', term: 2 }), 6);
    expect(n.role).toBe('leader');
    expect(n.leaderId).toBe('n1');
    expect(n.electionDeadline).toBe(Infinity);
    expect(n.heartbeatDeadline).toBe(6 + defaultRaftOptions.heartbeatInterval);
    const out = only(n, 'AppendEntries');
    expect(out.map((m) => m.to).sort()).toEqual(['n2', 'n3', 'n4', 'n5']);
    for (const m of out) {
      expect(m).toMatchObject({ term: 2, prevLogIndex: 1, prevLogTerm: 1, leaderCommit: 0 });
      expect(m.entries).toEqual([{ index: 2, term: 2, kind: 'noop', data: null }]);
    }
    for (const pr of n.progress.values()) expect(pr).toMatchObject({ nextIndex: 2, matchIndex: 0, state: 'probe' });
  });

  it('a candidate steps down when a majority rejects it, and not before', () => {
    const n = makeNode({ config: cfg5 });
    n.onElectionTimeout(0);
    n.step(voteResp({ from: 'n2', term: 1, granted: false }), 1);
    n.step(voteResp({ from: 'n3', term: 1, granted: false }), 1);
    expect(n.role).toBe('candidate');
    n.step(voteResp({ from: 'n4', term: 1, granted: false }), 1);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(1);
  });

  it('votes from servers that are not voters are not counted', () => {
    const n = makeNode({ config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } });
    n.onElectionTimeout(0);
    n.step(voteResp({ from: 'n4', term: 1 }), 1);
    n.step(voteResp({ from: 'n9', term: 1 }), 1);
    expect(n.role).toBe('candidate');
    expect(n.votes.get('n4')).toBe(true);
    n.step(voteResp({ from: 'n3', term: 1 }), 1);
    expect(n.role).toBe('leader');
  });

  it('a vote response for another role or an older term is ignored', () => {
    const n = makeNode();
    n.step(voteResp({ term: 0 }), 0); // follower: not asking
    expect(n.role).toBe('follower');
    n.onElectionTimeout(0);
    n.step(voteResp({ term: 1, preVote: true }), 1); // candidate does not count pre-votes
    expect(n.role).toBe('candidate');
    n.step(voteResp({ term: 1 }), 2);
    expect(n.role).toBe('leader');
    n.step(voteResp({ from: 'n3', term: 1 }), 3); // a late vote changes nothing
    expect(n.role).toBe('leader');
  });

  it('a single voter elects itself as soon as its timer fires', () => {
    const n = makeNode({ config: { voters: ['n1'], learners: [] } });
    n.onElectionTimeout(0);
    expect(n.role).toBe('leader');
    expect(n.commitIndex).toBe(1);
  });

  it('a leader ignores its election timer', () => {
    const n = makeLeader();
    n.onElectionTimeout(10_000);
    expect(n.role).toBe('leader');
    expect(n.term).toBe(1);
    expect(n.electionDeadline).toBe(Infinity);
    expect(take(n)).toEqual([]);
  });

  it('a candidate that hears AppendEntries from a leader of its term returns to follower', () => {
    const n = makeNode();
    n.onElectionTimeout(0);
    take(n);
    n.step(append({ from: 'n3', term: 1 }), 10);
    expect(n.role).toBe('follower');
    expect(n.leaderId).toBe('n3');
    expect(n.term).toBe(1);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: true, to: 'n3' });
  });

  it('a learner never starts an election', () => {
    const n = makeNode({ id: 'n4', config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } });
    n.onElectionTimeout(1000);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(0);
    expect(take(n)).toEqual([]);
    expect(n.electionDeadline).toBeGreaterThan(1000);
  });

  it('§5.1 a higher term in any message makes a server follower of that term and forgets its vote', () => {
    const n = makeLeader();
    n.step(appendResp({ term: 7, success: false }), 50);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(7);
    expect(n.storage.votedFor).toBeNull();
    expect(n.leaderId).toBeNull();
    expect(n.heartbeatDeadline).toBe(Infinity);
    expect(n.progress.size).toBe(0);
  });

  it('§5.1 a higher-term AppendEntries makes its sender the known leader', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ from: 'n3', term: 4 }), 10);
    expect(n.term).toBe(4);
    expect(n.leaderId).toBe('n3');
  });

  it('§5.1 a server answers a stale-term message with its own term and otherwise ignores it', () => {
    const n = makeNode({ log: [1, 3], term: 3 });
    n.step(append({ term: 2, prevLogIndex: 2, prevLogTerm: 3, leaderCommit: 2, seq: 9 }), 0);
    expect(take(n)).toEqual([
      { type: 'AppendEntriesResp', from: 'n1', to: 'n2', term: 3, success: false, matchIndex: 0, rejectIndex: 2, conflictIndex: 0, conflictTerm: 0, seq: 9 },
    ]);
    expect(n.commitIndex).toBe(0);
    expect(n.leaderId).toBeNull();
    n.step(snapMsg({ term: 2, lastIncludedIndex: 9, seq: 4 }), 0);
    expect(take(n)).toEqual([
      { type: 'InstallSnapshotResp', from: 'n1', to: 'n2', term: 3, lastIncludedIndex: 9, nextOffset: 0, done: false, seq: 4 },
    ]);
    n.step(vote({ term: 2, lastLogIndex: 9, lastLogTerm: 3 }), 0);
    expect(take(n)).toEqual([{ type: 'RequestVoteResp', from: 'n1', to: 'n2', term: 3, granted: false, preVote: false }]);
    n.step(voteResp({ term: 2 }), 0);
    n.step(appendResp({ term: 2 }), 0);
    expect(take(n)).toEqual([]);
  });
});

describe('§5.2, §5.4.1 RequestVote', () => {
  it('granting a vote resets the election timer; refusing one does not', () => {
    const n = makeNode({ log: [2], term: 2, random: () => 0 });
    n.step(vote({ from: 'n3', term: 2, lastLogIndex: 1, lastLogTerm: 1 }), 100); // stale log: refused
    expect(only(n, 'RequestVoteResp')[0].granted).toBe(false);
    expect(n.electionDeadline).toBe(defaultRaftOptions.electionTimeoutMin);
    n.step(vote({ from: 'n3', term: 2, lastLogIndex: 1, lastLogTerm: 2 }), 120);
    expect(only(n, 'RequestVoteResp')[0].granted).toBe(true);
    expect(n.electionDeadline).toBe(120 + defaultRaftOptions.electionTimeoutMin);
    n.step(vote({ from: 'n2', term: 2, lastLogIndex: 1, lastLogTerm: 2 }), 130); // already voted
    expect(only(n, 'RequestVoteResp')[0].granted).toBe(false);
    expect(n.electionDeadline).toBe(120 + defaultRaftOptions.electionTimeoutMin);
  });

  it('a server may grant its vote again to the candidate it voted for', () => {
    const n = makeNode();
    n.step(vote({ term: 1 }), 0);
    n.step(vote({ term: 1 }), 1);
    expect(only(n, 'RequestVoteResp').map((m) => m.granted)).toEqual([true, true]);
  });

  it('a candidate does not vote for a rival of its own term', () => {
    const n = makeNode();
    n.onElectionTimeout(0);
    take(n);
    n.step(vote({ from: 'n3', term: 1 }), 1);
    expect(only(n, 'RequestVoteResp')[0]).toMatchObject({ granted: false, term: 1, to: 'n3' });
  });

  it('the up-to-date check compares last terms first, then log length (§5.4.1)', () => {
    const mk = () => makeNode({ log: [1, 2, 2], term: 2 });
    const ask = (lastLogTerm: number, lastLogIndex: number) => {
      const n = mk();
      n.step(vote({ term: 3, lastLogTerm, lastLogIndex }), 0);
      return only(n, 'RequestVoteResp')[0].granted;
    };
    expect(ask(3, 1)).toBe(true); // higher last term wins even with a shorter log
    expect(ask(2, 3)).toBe(true); // same term, same length
    expect(ask(2, 4)).toBe(true);
    expect(ask(2, 2)).toBe(false); // same term, shorter
    expect(ask(1, 9)).toBe(false); // lower last term loses even with a longer log
  });

  it('a leader does not grant votes in its own term, even with the double-vote bug on', () => {
    const n = makeLeader({ opts: { unsafeDoubleVote: true, checkQuorum: false } });
    n.step(vote({ from: 'n3', term: 1, lastLogIndex: 9, lastLogTerm: 9 }), 1);
    expect(only(n, 'RequestVoteResp')[0].granted).toBe(false);
  });

  it('with unsafeDoubleVote a follower votes twice in one term (the teaching bug)', () => {
    const n = makeNode({ opts: { unsafeDoubleVote: true } });
    n.step(vote({ from: 'n2', term: 1 }), 0);
    n.step(vote({ from: 'n3', term: 1 }), 0);
    expect(only(n, 'RequestVoteResp').map((m) => m.granted)).toEqual([true, true]);
  });

  it('the defaults are the safe protocol: no teaching bug is switched on', () => {
    expect(defaultRaftOptions.unsafeCommitOldTerms).toBe(false);
    expect(defaultRaftOptions.unsafeDoubleVote).toBe(false);
    expect(defaultRaftOptions).toMatchObject({ preVote: true, checkQuorum: true, fastBacktrack: true });
    expect(defaultRaftOptions.electionTimeoutMin).toBeLessThan(defaultRaftOptions.electionTimeoutMax);
    expect(defaultRaftOptions.heartbeatInterval).toBeLessThan(defaultRaftOptions.electionTimeoutMin);
  });
});

describe('§4.2.3 disruptive servers: a server that hears from a leader ignores RequestVote', () => {
  it('a follower ignores a higher-term RequestVote within the minimum election timeout of leader contact', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ from: 'n3', term: 1 }), 100);
    take(n);
    n.step(vote({ term: 2, lastLogIndex: 5, lastLogTerm: 1 }), 100 + defaultRaftOptions.electionTimeoutMin - 1);
    expect(take(n)).toEqual([]);
    expect(n.term).toBe(1);
    n.step(vote({ term: 2, lastLogIndex: 5, lastLogTerm: 1 }), 100 + defaultRaftOptions.electionTimeoutMin);
    expect(only(n, 'RequestVoteResp')[0]).toMatchObject({ granted: true, term: 2 });
  });

  it('a follower that knows no leader votes at once', () => {
    const n = makeNode({ term: 1 });
    n.step(vote({ term: 2 }), 0);
    expect(only(n, 'RequestVoteResp')[0]).toMatchObject({ granted: true, term: 2 });
  });

  it('a check-quorum leader ignores a higher-term RequestVote; without check-quorum it steps down', () => {
    const lease = makeLeader();
    lease.step(vote({ from: 'n3', term: 5, lastLogIndex: 9, lastLogTerm: 9 }), 10);
    expect(lease.role).toBe('leader');
    expect(lease.term).toBe(1);
    expect(take(lease)).toEqual([]);
    const plain = makeLeader({ opts: { checkQuorum: false } });
    plain.step(vote({ from: 'n3', term: 5, lastLogIndex: 9, lastLogTerm: 9 }), 10);
    expect(plain.role).toBe('follower');
    expect(plain.term).toBe(5);
    expect(only(plain, 'RequestVoteResp')[0].granted).toBe(true);
  });

  it('a RequestVote sent after TimeoutNow is not ignored', () => {
    const n = makeLeader();
    n.step(vote({ from: 'n3', term: 5, lastLogIndex: 9, lastLogTerm: 9, transfer: true }), 10);
    expect(n.role).toBe('follower');
    expect(n.term).toBe(5);
  });
});

describe('§9.6 pre-vote', () => {
  it('a pre-candidate asks for votes in the next term without changing its own term or vote', () => {
    const n = makeNode({ log: [1], term: 1, opts: { preVote: true } });
    n.onElectionTimeout(1000);
    expect(n.role).toBe('precandidate');
    expect(n.term).toBe(1);
    expect(n.storage.votedFor).toBeNull();
    const msgs = only(n, 'RequestVote');
    expect(msgs).toHaveLength(2);
    for (const m of msgs) expect(m).toMatchObject({ term: 2, preVote: true, transfer: false, lastLogIndex: 1, lastLogTerm: 1 });
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
    expect(take(n)).toEqual([{ type: 'RequestVoteResp', from: 'n1', to: 'n2', preVote: true, granted: true, term: 3 }]);
    expect(n.term).toBe(2);
    expect(n.storage.votedFor).toBeNull();
  });

  it('a voter refuses a pre-vote for a stale log or a term that is not later, answering with its own term', () => {
    const n = makeNode({ log: [1, 2], term: 2 });
    n.step(vote({ term: 3, preVote: true, lastLogIndex: 1, lastLogTerm: 2 }), 0);
    expect(take(n)).toEqual([{ type: 'RequestVoteResp', from: 'n1', to: 'n2', preVote: true, granted: false, term: 2 }]);
    n.step(vote({ term: 2, preVote: true, lastLogIndex: 5, lastLogTerm: 2 }), 0);
    expect(take(n)).toEqual([{ type: 'RequestVoteResp', from: 'n1', to: 'n2', preVote: true, granted: false, term: 2 }]);
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
    expect(n.transferLeadership('n1', 0)).toEqual({ ok: false, refusal: { code: 'already-leader', node: 'n1' } });
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

describe('§5.3 log replication, follower side', () => {
  it('a follower accepts AppendEntries, records the leader and resets its election timer', () => {
    const n = makeNode({ random: () => 0 });
    n.step(append({ from: 'n3', term: 1, entries: entries(1, [1]), seq: 7 }), 500);
    expect(n.leaderId).toBe('n3');
    expect(n.electionDeadline).toBe(500 + defaultRaftOptions.electionTimeoutMin);
    expect(take(n)).toEqual([
      { type: 'AppendEntriesResp', from: 'n1', to: 'n3', term: 1, success: true, matchIndex: 1, rejectIndex: 0, conflictIndex: 0, conflictTerm: 0, seq: 7 },
    ]);
  });

  it('a follower rejects AppendEntries whose prevLogIndex is past its log, hinting its next index', () => {
    const n = makeNode({ log: [1, 1], term: 1 });
    n.step(append({ term: 1, prevLogIndex: 3, prevLogTerm: 1 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: false, rejectIndex: 3, conflictIndex: 3, conflictTerm: 0, matchIndex: 0 });
    n.step(append({ term: 1, prevLogIndex: 2, prevLogTerm: 1 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: true, matchIndex: 2 });
  });

  it('a follower rejects AppendEntries whose prevLogTerm does not match, hinting the first index of the conflicting term', () => {
    const n = makeNode({ log: [1, 2, 2, 2], term: 2 });
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: false, rejectIndex: 4, conflictIndex: 2, conflictTerm: 2 });
    expect(n.lastIndex).toBe(4);
  });

  it('the conflict hint stops at the snapshot', () => {
    const n = makeNode({ log: [2, 2, 2, 2], term: 2 });
    takeCommitted(n);
    n.commitIndex = 2;
    takeCommitted(n);
    n.compact(2, new Uint8Array(0));
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: false, conflictIndex: 3, conflictTerm: 2 });
  });

  it('without fast backtracking the follower hints only prevLogIndex', () => {
    const n = makeNode({ log: [1, 2, 2, 2], term: 2, opts: { fastBacktrack: false } });
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: false, conflictIndex: 4, conflictTerm: 2 });
  });

  it('an existing entry that conflicts with a new one is deleted with all that follow it', () => {
    const n = makeNode({ log: [1, 1, 1, 1], term: 1 });
    n.step(append({ term: 2, prevLogIndex: 1, prevLogTerm: 1, entries: entries(2, [1, 2]) }), 0);
    expect(n.storage.entries.map((e) => e.term)).toEqual([1, 1, 2]);
    expect(n.lastIndex).toBe(3);
  });

  it('entries the follower already has are not re-appended', () => {
    const n = makeNode({ log: [1, 1, 1], term: 1 });
    const two = n.storage.entry(2);
    n.step(append({ term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: entries(2, [1]) }), 0);
    expect(n.storage.entry(2)).toBe(two);
    expect(n.lastIndex).toBe(3);
  });

  it('§5.3 commitIndex = min(leaderCommit, index of the last new entry), and it never goes back', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ term: 1, entries: entries(1, [1, 1]), leaderCommit: 5 }), 0);
    expect(n.commitIndex).toBe(2);
    n.step(append({ term: 1, prevLogIndex: 2, prevLogTerm: 1, leaderCommit: 1 }), 0);
    expect(n.commitIndex).toBe(2);
    expect(takeCommitted(n).map((e) => e.index)).toEqual([1, 2]);
    expect(takeCommitted(n)).toEqual([]);
    n.step(append({ term: 1, prevLogIndex: 2, prevLogTerm: 1, entries: entries(3, [1]), leaderCommit: 3 }), 0);
    expect(takeCommitted(n).map((e) => e.index)).toEqual([3]);
    expect(n.lastApplied).toBe(3);
  });

  it('an append below the snapshot skips the compacted entries and acknowledges the rest', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ term: 1, entries: entries(1, [1, 1, 1]), leaderCommit: 3 }), 0);
    takeCommitted(n);
    n.compact(2, new Uint8Array(0));
    take(n);
    n.step(append({ term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: entries(1, [1, 1, 1, 1]), leaderCommit: 4 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: true, matchIndex: 4 });
    expect(n.storage.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(n.commitIndex).toBe(4);
  });

  it('§4.1 a follower uses a configuration as soon as it is in its log, and drops it when it is truncated', () => {
    const n = makeNode({ log: [1], term: 1 });
    const cfgEntry: Entry = { index: 2, term: 1, kind: 'config', data: null, config: cfg5 };
    n.step(append({ term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [cfgEntry] }), 0);
    expect(n.config).toBe(cfg5);
    expect(n.configIndex).toBe(2);
    n.step(append({ term: 2, prevLogIndex: 1, prevLogTerm: 1, entries: entries(2, [2]) }), 0);
    expect(n.config).toBe(cfg3);
    expect(n.configIndex).toBe(0);
  });

  it('a leader does not take AppendEntries of its own term', () => {
    const n = makeLeader();
    const last = n.lastIndex;
    n.step(append({ from: 'n3', term: 1, prevLogIndex: last, prevLogTerm: 1, entries: entries(last + 1, [1]) }), 0);
    expect(n.role).toBe('leader');
    expect(n.lastIndex).toBe(last);
    expect(take(n)).toEqual([]);
  });
});

describe('§7 InstallSnapshot, follower side', () => {
  it('installs a snapshot sent in chunks, then sets commit, applied and configuration from it', () => {
    const n = makeNode({ log: [1], term: 1 });
    n.step(snapMsg({ offset: 0, total: 5, chunk: new Uint8Array([1, 2]), done: false, config: cfg5 }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 2, done: false, lastIncludedIndex: 5, seq: 1 });
    expect(pendingSnapshot(n)).toBeNull();
    n.step(snapMsg({ offset: 2, total: 5, chunk: new Uint8Array([3, 4, 5]), done: true, config: cfg5, seq: 2 }), 1);
    expect(take(n)).toEqual([
      { type: 'InstallSnapshotResp', from: 'n1', to: 'n2', term: 1, lastIncludedIndex: 5, nextOffset: 5, done: true, seq: 2 },
    ]);
    expect(Array.from(pendingSnapshot(n)!.data)).toEqual([1, 2, 3, 4, 5]);
    expect(pendingSnapshot(n)).toMatchObject({ index: 5, term: 1 });
    expect(n.storage.snapshot.index).toBe(5);
    expect(n.commitIndex).toBe(5);
    expect(n.lastApplied).toBe(5);
    expect(n.config).toBe(cfg5);
    expect(n.leaderId).toBe('n2');
  });

  it('asks again from the offset it has when a chunk arrives out of order', () => {
    const n = makeNode({ term: 1 });
    n.step(snapMsg({ offset: 2, done: false }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 0, done: false });
    n.step(snapMsg({ offset: 0, total: 6, chunk: new Uint8Array([1, 2]), done: false }), 0);
    take(n);
    n.step(snapMsg({ offset: 4, total: 6, chunk: new Uint8Array([5, 6]), done: true }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 2, done: false });
    expect(n.storage.snapshot.index).toBe(0);
  });

  it('a snapshot for another point restarts the transfer', () => {
    const n = makeNode({ term: 2 });
    n.step(snapMsg({ term: 2, lastIncludedIndex: 5, lastIncludedTerm: 1, total: 4, chunk: new Uint8Array([1, 2]), done: false }), 0);
    n.step(snapMsg({ term: 2, lastIncludedIndex: 5, lastIncludedTerm: 2, total: 2, chunk: new Uint8Array([7, 8]), done: true }), 0);
    expect(Array.from(n.storage.snapshot.data)).toEqual([7, 8]);
    expect(n.storage.snapshot.term).toBe(2);
  });

  it('a snapshot the follower has already committed past is acknowledged as done and not installed', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ term: 1, entries: entries(1, [1, 1, 1, 1, 1, 1]), leaderCommit: 6 }), 0);
    take(n);
    n.step(snapMsg({ lastIncludedIndex: 5, total: 4 }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 4, done: true });
    expect(n.storage.snapshot.index).toBe(0);
    expect(pendingSnapshot(n)).toBeNull();
  });

  it('a leader ignores InstallSnapshot of its own term', () => {
    const n = makeLeader();
    n.step(snapMsg({ term: 1 }), 0);
    expect(n.role).toBe('leader');
    expect(take(n)).toEqual([]);
  });
});

describe('§5.3 log replication, leader side', () => {
  it('propose appends an entry of the current term and sends it on flush, to every follower', () => {
    const n = makeLeader();
    expect(n.propose('command', 'x', 1)).toEqual({ ok: true, index: 2, term: 1 });
    expect(n.storage.entry(2)).toEqual({ index: 2, term: 1, kind: 'command', data: 'x' });
    expect(take(n)).toEqual([]);
    flushAppends(n);
    expect(take(n)).toEqual([]); // probing followers wait for an answer first
    ackAll(n, 2);
    take(n);
    n.propose('command', 'y', 3);
    n.propose('command', 'z', 3);
    flushAppends(n);
    const out = only(n, 'AppendEntries');
    expect(out).toHaveLength(2);
    for (const m of out) expect(m.entries.map((e) => e.data)).toEqual(['y', 'z']);
    flushAppends(n);
    expect(take(n)).toEqual([]);
  });

  it('a server that is not leader refuses proposals', () => {
    const n = makeNode();
    expect(n.propose('command', 'x', 0)).toEqual({ ok: false, refusal: { code: 'not-leader' } });
    expect(n.proposeConfig(cfg5, 0)).toEqual({ ok: false, refusal: { code: 'not-leader' } });
    expect(n.readIndex(1)).toBe(false);
    expect(n.lastIndex).toBe(0);
  });

  it('a probing follower gets one append at a time; an acknowledgement moves it to replicate', () => {
    const n = makeLeader({ log: [1, 1, 1] , term: 1});
    const pr = n.progress.get('n2')!;
    expect(pr.paused).toBe(true);
    n.onHeartbeatTimeout(50);
    const beat = only(n, 'AppendEntries').find((m) => m.to === 'n2')!;
    expect(beat).toMatchObject({ prevLogIndex: 3, prevLogTerm: 1 });
    expect(beat.entries.map((e) => e.index)).toEqual([4]);
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 4 }), 60);
    expect(pr).toMatchObject({ state: 'replicate', matchIndex: 4, nextIndex: 5, paused: false, lastProgressAt: 60 });
    expect(n.commitIndex).toBe(4);
  });

  it('appends carry at most maxEntriesPerAppend entries, and the leader streams the rest', () => {
    const n = makeLeader({ opts: { maxEntriesPerAppend: 2 } });
    ackAll(n, 1);
    take(n);
    for (let i = 0; i < 5; i++) n.propose('command', i, 2);
    flushAppends(n);
    const first = only(n, 'AppendEntries').filter((m) => m.to === 'n2');
    expect(first.map((m) => m.entries.map((e) => e.index))).toEqual([[2, 3]]);
    expect(n.progress.get('n2')!.nextIndex).toBe(4);
    n.step(appendResp({ from: 'n2', matchIndex: 3 }), 3);
    const next = only(n, 'AppendEntries');
    expect(next.map((m) => m.entries.map((e) => e.index))).toEqual([[4, 5]]);
    n.step(appendResp({ from: 'n2', matchIndex: 5 }), 4);
    expect(only(n, 'AppendEntries').map((m) => m.entries.map((e) => e.index))).toEqual([[6]]);
    n.step(appendResp({ from: 'n2', matchIndex: 6 }), 5);
    expect(take(n)).toEqual([]);
  });

  it('heartbeats to a replicating follower are empty appends at its match index', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.propose('command', 'x', 2);
    flushAppends(n);
    take(n);
    n.onHeartbeatTimeout(50);
    expect(n.heartbeatDeadline).toBe(50 + defaultRaftOptions.heartbeatInterval);
    const beats = only(n, 'AppendEntries');
    expect(beats).toHaveLength(2);
    for (const b of beats) expect(b).toMatchObject({ prevLogIndex: 1, prevLogTerm: 1, entries: [], leaderCommit: 1, seq: 1 });
  });

  it('a heartbeat never carries a commit index past what the follower has', () => {
    const n = makeLeader({ config: cfg5 });
    ackAll(n, 1);
    n.step(appendResp({ from: 'n2', matchIndex: 1 }), 1);
    n.propose('command', 'x', 2);
    flushAppends(n);
    n.step(appendResp({ from: 'n2', matchIndex: 2 }), 3);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 3);
    expect(n.commitIndex).toBe(2);
    take(n);
    n.onHeartbeatTimeout(50);
    const beats = only(n, 'AppendEntries');
    expect(beats.find((b) => b.to === 'n2')).toMatchObject({ prevLogIndex: 2, leaderCommit: 2 });
    expect(beats.find((b) => b.to === 'n4')).toMatchObject({ prevLogIndex: 1, leaderCommit: 1 });
  });

  it('optimistic appends that go unacknowledged for two heartbeats send the follower back to probing', () => {
    const n = makeLeader();
    ackAll(n, 0);
    n.propose('command', 'x', 0);
    flushAppends(n);
    take(n);
    const pr = n.progress.get('n2')!;
    expect(pr.nextIndex).toBe(3);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 10); // n3 keeps the leader in quorum
    n.onHeartbeatTimeout(2 * defaultRaftOptions.heartbeatInterval);
    expect(pr.state).toBe('replicate');
    take(n);
    n.onHeartbeatTimeout(2 * defaultRaftOptions.heartbeatInterval + 1);
    expect(pr.state).toBe('probe');
    expect(pr.nextIndex).toBe(2);
    const again = only(n, 'AppendEntries').find((m) => m.to === 'n2')!;
    expect(again.entries.map((e) => e.index)).toEqual([2]);
  });

  it('a non-leader heartbeat timer disarms itself', () => {
    const n = makeNode();
    n.onHeartbeatTimeout(10);
    expect(n.heartbeatDeadline).toBe(Infinity);
    expect(take(n)).toEqual([]);
  });

  it('a rejection backs nextIndex up to the follower hint and retries at once', () => {
    const n = makeLeader({ log: [1, 1, 1, 1], term: 1 });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 4, conflictIndex: 2, conflictTerm: 0 }), 1);
    expect(pr).toMatchObject({ nextIndex: 2, state: 'probe', rejections: 1 });
    const retry = only(n, 'AppendEntries')[0];
    expect(retry).toMatchObject({ to: 'n2', prevLogIndex: 1, prevLogTerm: 1 });
  });

  it('a stale rejection (for another prevLogIndex) is ignored', () => {
    const n = makeLeader({ log: [1, 1, 1, 1], term: 1 });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 2, conflictIndex: 1 }), 1);
    expect(pr).toMatchObject({ nextIndex: 5, rejections: 0 });
    expect(take(n)).toEqual([]);
  });

  it('a replicating follower ignores rejections at or below its match index', () => {
    const n = makeLeader({ log: [1, 1, 1, 1], term: 1 });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 5 }), 1);
    expect(pr.state).toBe('replicate');
    n.step(appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 5, conflictIndex: 1 }), 2);
    expect(pr).toMatchObject({ state: 'replicate', matchIndex: 5, rejections: 0 });
    n.step(appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 6, conflictIndex: 6 }), 3);
    expect(pr).toMatchObject({ state: 'probe', nextIndex: 6, rejections: 1 });
  });

  it('nextIndex never backs up below matchIndex + 1 nor past the rejected index', () => {
    const n = makeLeader({ log: [1, 1, 1, 1], term: 1 });
    const pr = n.progress.get('n2')!;
    pr.matchIndex = 2;
    n.step(appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 4, conflictIndex: 1 }), 1);
    expect(pr.nextIndex).toBe(3);
    take(n);
    const m = makeLeader({ log: [1, 1, 1, 1], term: 1 });
    m.step(appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 4, conflictIndex: 9 }), 1);
    expect(m.progress.get('n2')!.nextIndex).toBe(4);
  });

  it('fast backtracking skips the follower’s whole conflicting term when the leader has none of it', () => {
    // Leader log terms [1,1,3,3,3,4]; the follower has term 2 from index 3 on.
    const n = makeLeader({ log: [1, 1, 3, 3, 3], term: 3 });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 5, conflictIndex: 3, conflictTerm: 2 }), 1);
    expect(pr.nextIndex).toBe(3);
  });

  it('fast backtracking resumes after the leader’s last entry of the follower’s conflict term', () => {
    const n = makeLeader({ log: [1, 1, 2, 2, 3], term: 3 });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 5, conflictIndex: 2, conflictTerm: 2 }), 1);
    expect(pr.nextIndex).toBe(5);
  });

  it('fast backtracking looks no further back than the rejected index', () => {
    const n = makeLeader({ log: [2, 2, 2, 3, 3, 3], term: 3 });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 6, conflictIndex: 1, conflictTerm: 2 }), 1);
    expect(pr.nextIndex).toBe(4);
    // A term-3 entry past the rejected index must not count: below it the leader has only term 1.
    const m = makeLeader({ log: [1, 1, 3, 3], term: 3 });
    m.progress.get('n2')!.nextIndex = 3;
    m.step(appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 2, conflictIndex: 1, conflictTerm: 3 }), 1);
    expect(m.progress.get('n2')!.nextIndex).toBe(1);
  });

  it('without fast backtracking the leader steps back one entry per rejection', () => {
    const n = makeLeader({ log: [1, 1, 3, 3, 3], term: 3, opts: { fastBacktrack: false } });
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 5, conflictIndex: 3, conflictTerm: 2 }), 1);
    expect(pr.nextIndex).toBe(5);
  });

  it('responses from servers the leader does not track, or to a non-leader, are ignored', () => {
    const n = makeLeader();
    n.step(appendResp({ from: 'n9', matchIndex: 2 }), 1);
    n.step(snapResp({ from: 'n9', lastIncludedIndex: 2 }), 1);
    expect(n.commitIndex).toBe(0);
    const f = makeNode({ term: 1 });
    f.step(appendResp({ matchIndex: 2 }), 1);
    f.step(snapResp({ lastIncludedIndex: 2 }), 1);
    expect(take(f)).toEqual([]);
  });
});

describe('§5.4.2 committing entries from previous terms', () => {
  it('the leader commits once a majority has an entry of its term, and the earlier entries with it', () => {
    const n = makeLeader({ log: [1, 1], term: 1, config: cfg5 });
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 3 }), 1);
    expect(n.commitIndex).toBe(0);
    n.step(appendResp({ from: 'n3', term: 2, matchIndex: 3 }), 1);
    expect(n.commitIndex).toBe(3);
    expect(takeCommitted(n).map((e) => e.index)).toEqual([1, 2, 3]);
  });

  it('an acknowledgement of an older index does not move matchIndex back', () => {
    const n = makeLeader();
    const pr = n.progress.get('n2')!;
    n.step(appendResp({ from: 'n2', matchIndex: 1 }), 1);
    n.step(appendResp({ from: 'n2', matchIndex: 0 }), 2);
    expect(pr.matchIndex).toBe(1);
    expect(pr.lastProgressAt).toBe(1);
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

describe('§6.4 ReadIndex', () => {
  it('a new leader delays reads until it has committed an entry of its term', () => {
    const n = makeLeader();
    expect(n.readIndex(7)).toBe(true);
    expect(take(n)).toEqual([]);
    ackAll(n, 1, 0);
    // The commit started the read: one heartbeat round with a new sequence number.
    const beats = only(n, 'AppendEntries');
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.every((b) => b.seq === 1)).toBe(true);
    expect(readStates(n)).toEqual([]);
    n.step(appendResp({ from: 'n2', matchIndex: 1, seq: 1 }), 2);
    expect(readStates(n)).toEqual([{ ctx: 7, index: 1 }]);
  });

  it('a read is served only after a majority acknowledges a heartbeat sent after it', () => {
    const n = makeLeader({ config: cfg5 });
    ackAll(n, 1);
    take(n);
    n.readIndex(1);
    const seq = only(n, 'AppendEntries')[0].seq;
    n.step(appendResp({ from: 'n2', matchIndex: 1, seq: seq - 1 }), 2);
    n.step(appendResp({ from: 'n3', matchIndex: 1, seq }), 2);
    expect(readStates(n)).toEqual([]);
    n.step(appendResp({ from: 'n4', matchIndex: 1, seq }), 2);
    expect(readStates(n)).toEqual([{ ctx: 1, index: 1 }]);
  });

  it('reads are answered in order, each with the commit index at its start', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.readIndex(1);
    n.propose('command', 'x', 2);
    flushAppends(n);
    n.step(appendResp({ from: 'n2', matchIndex: 2, seq: 0 }), 3);
    n.readIndex(2);
    expect(readStates(n)).toEqual([]);
    n.step(appendResp({ from: 'n3', matchIndex: 2, seq: 2 }), 4);
    expect(readStates(n)).toEqual([{ ctx: 1, index: 1 }, { ctx: 2, index: 2 }]);
  });

  it('a single-voter leader answers at once', () => {
    const n = makeNode({ config: { voters: ['n1'], learners: ['n2'] } });
    n.onElectionTimeout(0);
    n.readIndex(3);
    expect(readStates(n)).toEqual([{ ctx: 3, index: 1 }]);
  });

  it('a leader that steps down drops its pending reads', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.readIndex(1);
    n.step(appendResp({ from: 'n2', term: 3 }), 2);
    expect(readStates(n)).toEqual([]);
  });
});

describe('§7 log compaction and InstallSnapshot, leader side', () => {
  it('the host may compact only what it has applied', () => {
    const n = makeLeader({ config: { voters: ['n1'], learners: [] } });
    n.propose('command', 'x', 1);
    expect(n.commitIndex).toBe(2);
    n.compact(2, new Uint8Array(0));
    expect(n.storage.snapshot.index).toBe(0);
    takeCommitted(n);
    n.compact(2, new Uint8Array([1]));
    expect(n.storage.snapshot.index).toBe(2);
  });

  it('a follower behind the snapshot gets it in chunks; its acknowledgements drive the next chunk', () => {
    const n = makeLeader({ opts: { snapshotChunkSize: 3 } });
    ackAll(n, 1);
    n.propose('command', 'x', 1);
    flushAppends(n);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 2);
    takeCommitted(n);
    n.compact(2, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
    take(n);
    const pr = n.progress.get('n2')!;
    pr.state = 'probe';
    pr.nextIndex = 1;
    n.onHeartbeatTimeout(50);
    const first = only(n, 'InstallSnapshot').find((m) => m.to === 'n2')!;
    expect(first).toMatchObject({ lastIncludedIndex: 2, lastIncludedTerm: 1, offset: 0, total: 7, done: false });
    expect(Array.from(first.chunk)).toEqual([1, 2, 3]);
    expect(pr.state).toBe('snapshot');
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 2, nextOffset: 3, done: false }), 51);
    const second = only(n, 'InstallSnapshot')[0];
    expect(second).toMatchObject({ offset: 3, done: false });
    expect(Array.from(second.chunk)).toEqual([4, 5, 6]);
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 2, nextOffset: 6, done: false }), 52);
    const last = only(n, 'InstallSnapshot')[0];
    expect(last).toMatchObject({ offset: 6, done: true });
    expect(Array.from(last.chunk)).toEqual([7]);
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 2, nextOffset: 7, done: true }), 53);
    expect(pr).toMatchObject({ state: 'probe', matchIndex: 2, nextIndex: 3, lastProgressAt: 53 });
    expect(take(n).map((m) => m.type)).toEqual(['AppendEntries']);
  });

  it('a snapshot response for an older snapshot is ignored', () => {
    const n = makeLeader({ opts: { snapshotChunkSize: 3 } });
    ackAll(n, 1);
    takeCommitted(n);
    n.compact(1, new Uint8Array([1, 2, 3, 4]));
    const pr = n.progress.get('n2')!;
    pr.state = 'probe';
    pr.nextIndex = 1;
    n.onHeartbeatTimeout(50);
    take(n);
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 0, nextOffset: 3, done: true }), 51);
    expect(pr).toMatchObject({ state: 'snapshot', matchIndex: 1 });
    expect(take(n)).toEqual([]);
  });

  it('a heartbeat to a follower whose match point was compacted away is a regular append', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.propose('command', 'x', 1);
    flushAppends(n);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 2);
    takeCommitted(n);
    n.compact(2, new Uint8Array([1]));
    take(n);
    n.readIndex(1);
    const out = only(n, 'AppendEntries');
    expect(out.find((m) => m.to === 'n2')).toMatchObject({ prevLogIndex: 2, prevLogTerm: 1 });
    expect(out.find((m) => m.to === 'n3')).toMatchObject({ prevLogIndex: 2, prevLogTerm: 1 });
  });
});

describe('§4.1–4.2 membership changes, one server at a time (thesis)', () => {
  function leaderWithOwnTermCommitted(config = cfg3): RaftNode {
    const n = makeLeader({ config });
    ackAll(n, 1);
    take(n);
    return n;
  }

  it('a new leader refuses a change until an entry of its term is committed', () => {
    const n = makeLeader();
    expect(n.proposeConfig(cfg5, 1)).toEqual({ ok: false, refusal: { code: 'leader-not-committed' } });
  });

  it('a change takes effect at once, adds progress for new members and refuses a second change until committed', () => {
    const n = leaderWithOwnTermCommitted();
    const cfg4: ClusterConfig = { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] };
    expect(n.proposeConfig(cfg4, 10)).toEqual({ ok: true, index: 2, term: 1 });
    expect(n.config).toBe(cfg4);
    expect(n.configIndex).toBe(2);
    const pr = n.progress.get('n4')!;
    expect(pr).toMatchObject({ nextIndex: 1, matchIndex: 0, lastProgressAt: 10 });
    expect(n.proposeConfig(cfg5, 11)).toEqual({ ok: false, refusal: { code: 'change-in-progress' } });
    flushAppends(n);
    // The new configuration needs 3 of 4.
    n.step(appendResp({ from: 'n2', matchIndex: 2 }), 12);
    expect(n.commitIndex).toBe(1);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 12);
    expect(n.commitIndex).toBe(2);
  });

  it('a new member learns the log from a snapshot when the leader has compacted', () => {
    const n = leaderWithOwnTermCommitted();
    takeCommitted(n);
    n.compact(1, new Uint8Array([1]));
    n.proposeConfig({ voters: ['n1', 'n2', 'n3'], learners: ['n4'] }, 10);
    expect(n.progress.get('n4')!.nextIndex).toBe(1);
    flushAppends(n);
    n.onHeartbeatTimeout(50);
    expect(take(n).find((m) => m.to === 'n4')?.type).toBe('InstallSnapshot');
  });

  it('removing a member drops its progress', () => {
    const n = leaderWithOwnTermCommitted();
    n.proposeConfig({ voters: ['n1', 'n2'], learners: [] }, 10);
    expect([...n.progress.keys()]).toEqual(['n2']);
  });

  it('a leader that removes itself steps down once the change is committed', () => {
    const n = leaderWithOwnTermCommitted();
    n.proposeConfig({ voters: ['n2', 'n3'], learners: [] }, 10);
    expect(n.role).toBe('leader');
    flushAppends(n);
    n.step(appendResp({ from: 'n2', matchIndex: 2 }), 11);
    expect(n.commitIndex).toBe(1);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 11);
    expect(n.commitIndex).toBe(2);
    expect(n.role).toBe('follower');
  });

  it('a server whose removal is still uncommitted may campaign; once committed it may not', () => {
    const n = makeNode({ log: [1], term: 1 });
    const removal: Entry = { index: 2, term: 1, kind: 'config', data: null, config: { voters: ['n2', 'n3'], learners: [] } };
    n.step(append({ term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [removal], leaderCommit: 1 }), 0);
    n.onElectionTimeout(1000);
    expect(n.role).toBe('candidate');
    // It counts votes in the new configuration: both n2 and n3 must agree.
    n.step(voteResp({ from: 'n2', term: 2 }), 1001);
    expect(n.role).toBe('candidate');
    n.step(voteResp({ from: 'n3', term: 2 }), 1001);
    expect(n.role).toBe('leader');

    const m = makeNode({ log: [1], term: 1 });
    m.step(append({ term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [removal], leaderCommit: 2 }), 0);
    m.onElectionTimeout(1000);
    expect(m.role).toBe('follower');
  });

  it('a server added by an uncommitted change may not campaign on the strength of the previous one', () => {
    const n = makeNode({ id: 'n4', log: [1], term: 1, config: cfg3 });
    const demote: Entry = { index: 2, term: 1, kind: 'config', data: null, config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } };
    n.step(append({ term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [demote], leaderCommit: 1 }), 0);
    n.onElectionTimeout(1000);
    expect(n.role).toBe('follower');
  });
});

describe('restart (§5.1 persistent state)', () => {
  it('a restarted server has a pending snapshot to load iff it had one', () => {
    const st = new PersistentState(cfg3);
    expect(pendingSnapshot(new RaftNode('n1', st, defaultRaftOptions, () => 0, 0))).toBeNull();
    st.append({ index: 1, term: 1, kind: 'config', data: null, config: cfg5 });
    st.append({ index: 2, term: 1, kind: 'command', data: 'x' });
    st.compact(1, new Uint8Array([4]));
    const n = new RaftNode('n1', st, defaultRaftOptions, () => 0, 0);
    expect(pendingSnapshot(n)).toBe(st.snapshot);
    expect(n.commitIndex).toBe(1);
    expect(n.lastApplied).toBe(1);
    expect(n.config).toBe(cfg5);
    expect(n.configIndex).toBe(1);
  });

  it('a restarted server takes its configuration from the latest config entry in its log', () => {
    const st = new PersistentState(cfg3);
    st.append({ index: 1, term: 1, kind: 'config', data: null, config: cfg5 });
    st.append({ index: 2, term: 1, kind: 'command', data: 'x' });
    const n = new RaftNode('n1', st, defaultRaftOptions, () => 0, 0);
    expect(n.config).toBe(cfg5);
    expect(n.configIndex).toBe(1);
  });
});

describe('edges of the rules above', () => {
  it('§5.2 a server whose election timer fires forgets the leader it knew, even when it only pre-votes', () => {
    const n = makeNode({ term: 1, opts: { preVote: true } });
    n.step(append({ from: 'n3', term: 1 }), 0);
    expect(n.leaderId).toBe('n3');
    n.onElectionTimeout(1000);
    expect(n.role).toBe('precandidate');
    expect(n.leaderId).toBeNull();
    const learner = makeNode({ id: 'n4', term: 1, config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } });
    learner.step(append({ from: 'n3', to: 'n4', term: 1 }), 0);
    learner.onElectionTimeout(1000);
    expect(learner.leaderId).toBeNull();
  });

  it('§5.3 the consistency check applies at the snapshot’s last included index too', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ term: 1, entries: entries(1, [1, 1]), leaderCommit: 2 }), 0);
    takeCommitted(n);
    n.compact(2, new Uint8Array(0));
    take(n);
    n.step(append({ term: 2, prevLogIndex: 2, prevLogTerm: 2, entries: entries(3, [2]) }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: false });
    expect(n.lastIndex).toBe(2);
    n.step(append({ term: 2, prevLogIndex: 2, prevLogTerm: 1, entries: entries(3, [2]) }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: true, matchIndex: 3 });
  });

  it('§7 a snapshot exactly at the commit index is acknowledged and not installed', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ term: 1, entries: entries(1, [1, 1, 1, 1, 1]), leaderCommit: 5 }), 0);
    take(n);
    n.step(snapMsg({ lastIncludedIndex: 5, total: 4 }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 4, done: true });
    expect(pendingSnapshot(n)).toBeNull();
  });

  it('§7 a snapshot for another index restarts the chunked transfer', () => {
    const n = makeNode({ term: 1 });
    n.step(snapMsg({ lastIncludedIndex: 5, total: 4, chunk: new Uint8Array([1, 2]), done: false }), 0);
    n.step(snapMsg({ lastIncludedIndex: 6, offset: 2, total: 4, chunk: new Uint8Array([3, 4]), done: true }), 0);
    expect(only(n, 'InstallSnapshotResp').at(-1)).toMatchObject({ nextOffset: 0, done: false, lastIncludedIndex: 6 });
    expect(n.storage.snapshot.index).toBe(0);
  });

  it('a leader tracks learners as well as voters', () => {
    const n = makeLeader({ config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] } });
    expect([...n.progress.keys()].sort()).toEqual(['n2', 'n3', 'n4']);
  });

  it('§6.2 a new leader counts every follower as just heard from', () => {
    const n = makeLeader({}, 5000);
    n.onHeartbeatTimeout(5000 + defaultRaftOptions.heartbeatInterval);
    expect(n.role).toBe('leader');
    n.onHeartbeatTimeout(5000 + defaultRaftOptions.electionTimeoutMax + 1);
    expect(n.role).toBe('follower');
  });

  it('a caught-up follower stays in replicate however long the leader is idle', () => {
    const n = makeLeader();
    ackAll(n, 0);
    for (let t = 50; t <= 1000; t += 50) {
      ackAll(n, t);
      n.onHeartbeatTimeout(t);
    }
    expect(n.progress.get('n2')!.state).toBe('replicate');
    expect(n.role).toBe('leader');
  });

  it('a follower in snapshot state that acknowledges an append past the snapshot is replicated normally', () => {
    const n = makeLeader();
    ackAll(n, 1);
    takeCommitted(n);
    n.compact(1, new Uint8Array([1]));
    const pr = n.progress.get('n2')!;
    pr.state = 'probe';
    pr.nextIndex = 1;
    pr.matchIndex = 0;
    n.onHeartbeatTimeout(50);
    expect(pr.state).toBe('snapshot');
    n.step(appendResp({ from: 'n2', matchIndex: 1 }), 51);
    expect(pr.state).toBe('replicate');
  });

  it('a leader compacting again during a snapshot transfer restarts it with the new snapshot', () => {
    const n = makeLeader({ opts: { snapshotChunkSize: 2 } });
    ackAll(n, 1);
    takeCommitted(n);
    n.compact(1, new Uint8Array([1, 2, 3, 4]));
    const pr = n.progress.get('n2')!;
    pr.state = 'probe';
    pr.nextIndex = 1;
    pr.matchIndex = 0;
    n.onHeartbeatTimeout(50);
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 1, nextOffset: 2, done: false }), 51);
    n.propose('command', 'x', 52);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 53);
    takeCommitted(n);
    n.compact(2, new Uint8Array([9, 8, 7]));
    take(n);
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 1, nextOffset: 4, done: false }), 54);
    const chunk = only(n, 'InstallSnapshot')[0];
    expect(chunk).toMatchObject({ to: 'n2', lastIncludedIndex: 2, offset: 0, total: 3, done: false });
    expect(Array.from(chunk.chunk)).toEqual([9, 8]);
  });

  it('§6.4 an older acknowledgement never lowers what a follower has acknowledged', () => {
    const n = makeLeader();
    ackAll(n, 1);
    take(n);
    n.readIndex(1);
    n.readIndex(2);
    n.step(appendResp({ from: 'n2', matchIndex: 1, seq: 2 }), 2);
    expect(readStates(n).map((r) => r.ctx)).toEqual([1, 2]);
    n.step(appendResp({ from: 'n2', matchIndex: 1, seq: 1 }), 3);
    expect(n.progress.get('n2')!.ackedSeq).toBe(2);
  });

  it('§6.4 a leader that is not a voter itself confirms a read with the voters', () => {
    const n = makeLeader({ config: { voters: ['n1', 'n2'], learners: [] } });
    ackAll(n, 1);
    n.proposeConfig({ voters: ['n2'], learners: ['n1'] }, 2);
    expect(n.role).toBe('leader');
    take(n);
    n.readIndex(5);
    expect(readStates(n)).toEqual([]);
    expect(only(n, 'AppendEntries').map((m) => m.to)).toEqual(['n2']);
  });

  it('§6.4 committing an old-term entry with the Figure 8 bug on does not release waiting reads', () => {
    const n = makeLeader({ log: [1, 1], term: 1, opts: { unsafeCommitOldTerms: true } });
    n.readIndex(1);
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 2 }), 1);
    expect(n.commitIndex).toBe(2);
    expect(only(n, 'AppendEntries').every((m) => m.seq === 0)).toBe(true);
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 3 }), 2);
    expect(n.commitIndex).toBe(3);
    const beats = only(n, 'AppendEntries');
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.every((m) => m.seq === 1)).toBe(true);
  });

  it('§4.1 a configuration change keeps what the leader knows of existing followers', () => {
    const n = makeLeader();
    ackAll(n, 1);
    const before = n.progress.get('n2')!;
    n.proposeConfig({ voters: ['n1', 'n2', 'n3', 'n4'], learners: [] }, 2);
    expect(n.progress.get('n2')).toBe(before);
    expect(before.matchIndex).toBe(1);
  });

  it('§4.1 a new member starts at the leader’s snapshot index, which it will receive whole', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.propose('command', 'x', 2);
    flushAppends(n);
    ackAll(n, 3);
    takeCommitted(n);
    n.compact(2, new Uint8Array([1]));
    n.proposeConfig({ voters: ['n1', 'n2', 'n3'], learners: ['n4'] }, 4);
    expect(n.progress.get('n4')!.nextIndex).toBe(2);
  });

  it('§4.2.2 a leader that removed itself sends nothing more once it has stepped down', () => {
    const n = makeLeader();
    ackAll(n, 1);
    n.proposeConfig({ voters: ['n2', 'n3'], learners: [] }, 2);
    n.propose('command', 'after', 2);
    flushAppends(n);
    n.step(appendResp({ from: 'n2', matchIndex: 2 }), 3);
    take(n);
    n.step(appendResp({ from: 'n3', matchIndex: 2 }), 3);
    expect(n.role).toBe('follower');
    expect(take(n)).toEqual([]);
  });

  it('a deposed leader’s data counts as fresh up to its last contact with a majority, not the moment it stepped down', () => {
    const n = makeLeader();
    n.step(appendResp({ from: 'n2', term: n.term, matchIndex: n.lastIndex }), 500);
    n.step(appendResp({ term: 5 }), 777);
    expect(n.leaderId).toBeNull();
    // n1 (itself) and n2 at 500 are a majority of three; nobody vouched for it after that.
    expect(n.lastLeaderContact).toBe(500);
    const f = makeNode({ term: 1 });
    f.step(vote({ term: 2 }), 50);
    expect(f.lastLeaderContact).toBe(-Infinity);
  });
});

describe('more edges', () => {
  it('§5.2 a candidate that loses keeps its own vote: it cannot vote again in that term', () => {
    const n = makeNode();
    n.onElectionTimeout(0);
    n.step(voteResp({ from: 'n2', term: 1, granted: false }), 1);
    n.step(voteResp({ from: 'n3', term: 1, granted: false }), 1);
    expect(n.role).toBe('follower');
    expect(n.storage.votedFor).toBe('n1');
    n.step(vote({ from: 'n3', term: 1 }), 2);
    expect(only(n, 'RequestVoteResp').at(-1)!.granted).toBe(false);
  });

  it('flushAppends sends nothing when nothing was proposed', () => {
    const n = makeLeader();
    ackAll(n, 1);
    take(n);
    flushAppends(n);
    expect(take(n)).toEqual([]);
  });

  it('§6.4 a released read is served once; a leader that stepped down forgets reads it was holding', () => {
    const n = makeLeader();
    n.readIndex(1);
    ackAll(n, 1, 0);
    n.step(appendResp({ from: 'n2', matchIndex: 1, seq: 1 }), 2);
    n.propose('command', 'x', 3);
    flushAppends(n);
    ackAll(n, 4, 1);
    expect(readStates(n)).toEqual([{ ctx: 1, index: 1 }]);

    const m = makeLeader();
    m.readIndex(9); // waits for an entry of term 1
    m.step(appendResp({ term: 2 }), 1); // deposed
    m.onElectionTimeout(1000);
    m.step(voteResp({ term: 3 }), 1000);
    expect(m.role).toBe('leader');
    ackAll(m, 1001, 0);
    for (const id of ['n2', 'n3']) m.step(appendResp({ from: id, term: 3, matchIndex: m.lastIndex, seq: 99 }), 1002);
    expect(readStates(m)).toEqual([]);
  });

  it('§4.1 a server removed by an uncommitted change campaigns if the configuration before it had it as a voter', () => {
    const add: Entry = { index: 2, term: 1, kind: 'config', data: null, config: { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] } };
    const remove: Entry = { index: 3, term: 1, kind: 'config', data: null, config: cfg3 };
    const n = makeNode({ id: 'n4', log: [1], term: 1 });
    n.step(append({ to: 'n4', term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [add, remove], leaderCommit: 2 }), 0);
    expect(n.config).toBe(cfg3);
    n.onElectionTimeout(1000);
    expect(n.role).toBe('candidate');
  });

  it('sameConfig: a configuration is not the same as a larger one containing it', () => {
    expect(sameConfigOf({ voters: ['a'], learners: [] }, { voters: ['a', 'b'], learners: [] })).toBe(false);
    expect(sameConfigOf({ voters: ['a'], learners: [] }, { voters: ['a'], learners: ['b'] })).toBe(false);
  });

  it('leadership transfer waits until the target has the whole log', () => {
    const n = makeLeader({ log: [1, 1], term: 1 });
    n.transferLeadership('n2', 10);
    take(n);
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 2 }), 11);
    expect(take(n).some((m) => m.type === 'TimeoutNow')).toBe(false);
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 3 }), 12);
    expect(take(n).some((m) => m.type === 'TimeoutNow')).toBe(true);
  });

  it('a follower receiving a snapshot is not sent extra chunks when the leader broadcasts', () => {
    const n = makeLeader();
    ackAll(n, 1);
    takeCommitted(n);
    n.compact(1, new Uint8Array([1]));
    const pr = n.progress.get('n2')!;
    pr.state = 'probe';
    pr.nextIndex = 1;
    pr.matchIndex = 0;
    n.onHeartbeatTimeout(50);
    expect(pr.state).toBe('snapshot');
    take(n);
    n.propose('command', 'x', 51);
    flushAppends(n);
    expect(take(n).filter((m) => m.to === 'n2')).toEqual([]);
  });

  it('§7 a snapshot being received is kept when a stray chunk of another snapshot arrives', () => {
    const n = makeNode({ term: 1 });
    n.step(snapMsg({ lastIncludedIndex: 5, total: 4, chunk: new Uint8Array([1, 2]), done: false }), 0);
    n.step(snapMsg({ lastIncludedIndex: 7, offset: 2, total: 4, chunk: new Uint8Array([3, 4]), done: false }), 0);
    take(n);
    n.step(snapMsg({ lastIncludedIndex: 5, offset: 2, total: 4, chunk: new Uint8Array([3, 4]), done: true }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 4, done: true });
    expect(n.storage.snapshot.index).toBe(5);
  });
});
