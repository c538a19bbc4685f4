/**
 * One RaftNode at a time: build it, feed it messages, read what it hands over. Shared by the
 * test/raft/paper-*.unit.test.ts files (rules of the Raft paper and the thesis, in the style of etcd
 * raft_paper_test.go).
 */
import { expect } from 'vitest';
import { PersistentState } from '../../src/raft/log';
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

export const cfg3: ClusterConfig = { voters: ['n1', 'n2', 'n3'], learners: [] };
export const cfg5: ClusterConfig = { voters: ['n1', 'n2', 'n3', 'n4', 'n5'], learners: [] };

export interface Setup {
  id?: string;
  config?: ClusterConfig;
  /** Terms of the entries already in the log, from index 1. */
  log?: number[];
  term?: number;
  opts?: Partial<RaftOptions>;
  random?: () => number;
  now?: number;
}

export function makeNode(s: Setup = {}): RaftNode {
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
export interface Handed {
  msgs: RaftMessage[];
  snapshot: Snapshot | null;
  committed: Entry[];
  readStates: ReadState[];
}
export const handed = new WeakMap<RaftNode, Handed>();

export function handedBy(n: RaftNode, withReady: boolean): Handed {
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

export function take(n: RaftNode): RaftMessage[] {
  const h = handedBy(n, false);
  const out = [...h.msgs, ...n.outbox()];
  h.msgs = [];
  return out;
}

export function flushAppends(n: RaftNode): void {
  handedBy(n, false).msgs.push(...n.outbox());
}

export function takeCommitted(n: RaftNode): Entry[] {
  const h = handedBy(n, true);
  const out = h.committed;
  h.committed = [];
  return out;
}

export const pendingSnapshot = (n: RaftNode): Snapshot | null => handedBy(n, true).snapshot;
export const readStates = (n: RaftNode): ReadState[] => handedBy(n, true).readStates;

export function only<T extends RaftMessage['type']>(
  n: RaftNode,
  type: T,
): Extract<RaftMessage, { type: T }>[] {
  return take(n).filter((m): m is Extract<RaftMessage, { type: T }> => m.type === type);
}

export const voteResp = (m: Partial<RequestVoteResp>): RequestVoteResp => ({
  type: 'RequestVoteResp',
  from: 'n2',
  to: 'n1',
  term: 1,
  granted: true,
  preVote: false,
  ...m,
});

export const vote = (m: Partial<RequestVote>): RequestVote => ({
  type: 'RequestVote',
  from: 'n2',
  to: 'n1',
  term: 1,
  lastLogIndex: 0,
  lastLogTerm: 0,
  preVote: false,
  transfer: false,
  ...m,
});

export const append = (m: Partial<AppendEntries>): AppendEntries => ({
  type: 'AppendEntries',
  from: 'n2',
  to: 'n1',
  term: 1,
  prevLogIndex: 0,
  prevLogTerm: 0,
  entries: [],
  leaderCommit: 0,
  seq: 1,
  ...m,
});

export const appendResp = (m: Partial<AppendEntriesResp>): AppendEntriesResp => ({
  type: 'AppendEntriesResp',
  from: 'n2',
  to: 'n1',
  term: 1,
  success: true,
  matchIndex: 0,
  rejectIndex: 0,
  conflictIndex: 0,
  conflictTerm: 0,
  seq: 0,
  ...m,
});

export const snapMsg = (m: Partial<InstallSnapshot>): InstallSnapshot => ({
  type: 'InstallSnapshot',
  from: 'n2',
  to: 'n1',
  term: 1,
  lastIncludedIndex: 5,
  lastIncludedTerm: 1,
  config: cfg3,
  offset: 0,
  total: 4,
  chunk: new Uint8Array([1, 2, 3, 4]),
  done: true,
  seq: 1,
  ...m,
});

export const snapResp = (m: Partial<InstallSnapshotResp>): InstallSnapshotResp => ({
  type: 'InstallSnapshotResp',
  from: 'n2',
  to: 'n1',
  term: 1,
  lastIncludedIndex: 0,
  nextOffset: 0,
  done: true,
  seq: 0,
  ...m,
});

export const entries = (from: number, terms: number[]): Entry[] =>
  terms.map((t, i) => ({ index: from + i, term: t, kind: 'command', data: `e${from + i}` }));

/** n1 wins an election at `now` with the fewest votes it needs (n2's, then n3's, …): a leader of term (term + 1) with its no-op appended. */
export function makeLeader(s: Setup = {}, now = 0): RaftNode {
  const n = makeNode(s);
  n.onElectionTimeout(now);
  for (const id of n.config.voters)
    if (n.role === 'candidate' && id !== n.id) n.step(voteResp({ from: id, term: n.term }), now);
  expect(n.role).toBe('leader');
  take(n);
  return n;
}

/** Every follower of `n` acknowledges everything the leader has. */
export function ackAll(n: RaftNode, now: number, seq = 0): void {
  for (const id of [...n.progress.keys()])
    n.step(appendResp({ from: id, term: n.term, matchIndex: n.lastIndex, seq }), now);
}
