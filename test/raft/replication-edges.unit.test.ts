/**
 * The leader's replication around a snapshot, at its edges: each case pins one rule that a
 * surviving mutant showed unchecked (docs/mutation-survivors.md). Helpers: test/helpers/raftNode.ts.
 */
import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../src/raft/node';
import {
  ackAll,
  appendResp,
  flushAppends,
  makeLeader,
  makeNode,
  only,
  snapResp,
  take,
  takeCommitted,
} from '../helpers/raftNode';

/** A leader of term 1 whose log is compacted up to index 2 (its no-op and one command, both committed), n2 and n3 having acknowledged both. */
function compactedLeader(chunk = 3): RaftNode {
  const n = makeLeader({ opts: { snapshotChunkSize: chunk } });
  ackAll(n, 1);
  n.propose('command', 'x', 1);
  flushAppends(n);
  ackAll(n, 2);
  takeCommitted(n);
  n.compact(2, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  take(n);
  return n;
}

/** Puts n2 in the middle of receiving the snapshot: the first chunk sent and acknowledged. */
function midTransfer(n: RaftNode) {
  const pr = n.progress.get('n2')!;
  pr.state = 'probe';
  pr.nextIndex = 1;
  pr.matchIndex = 0;
  n.onHeartbeatTimeout(50);
  take(n);
  n.step(snapResp({ from: 'n2', lastIncludedIndex: 2, nextOffset: 3, done: false }), 51);
  take(n);
  expect(pr).toMatchObject({ state: 'snapshot', snapshotOffset: 3 });
  return pr;
}

describe('the leader around its snapshot', () => {
  it('a heartbeat to a follower matched exactly at the snapshot index carries that match point, even with appends in flight', () => {
    const n = compactedLeader();
    const pr = n.progress.get('n2')!;
    expect(pr).toMatchObject({ state: 'replicate', matchIndex: 2 });
    n.propose('command', 'y', 3);
    flushAppends(n);
    take(n);
    expect(pr.nextIndex).toBe(4);
    n.onHeartbeatTimeout(50);
    const beat = only(n, 'AppendEntries').find((m) => m.to === 'n2')!;
    expect(beat).toMatchObject({ prevLogIndex: 2, prevLogTerm: 1, entries: [], leaderCommit: 2 });
  });

  it('a follower sent back to probe mid-transfer gets the snapshot again from its first byte', () => {
    const n = compactedLeader();
    midTransfer(n);
    // A late rejection of an old append (it asked for index 0, the probe point) moves n2 to probe.
    n.step(appendResp({ from: 'n2', success: false, rejectIndex: 0, conflictIndex: 1 }), 52);
    const again = only(n, 'InstallSnapshot').find((m) => m.to === 'n2')!;
    expect(again).toMatchObject({ lastIncludedIndex: 2, offset: 0, total: 7, done: false });
    expect(Array.from(again.chunk)).toEqual([1, 2, 3]);
  });

  it('an append acknowledgement that moves nothing does not resend a snapshot chunk', () => {
    const n = compactedLeader();
    const pr = midTransfer(n);
    n.step(appendResp({ from: 'n2', success: true, matchIndex: 0 }), 52);
    expect(take(n)).toEqual([]);
    expect(pr).toMatchObject({ state: 'snapshot', snapshotOffset: 3 });
  });

  it('a duplicate "done" for a snapshot already installed does not pull the follower back', () => {
    const n = compactedLeader();
    const pr = midTransfer(n);
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 2, nextOffset: 7, done: true }), 52);
    take(n);
    n.propose('command', 'y', 53);
    n.step(appendResp({ from: 'n2', matchIndex: 3 }), 54);
    take(n);
    expect(pr).toMatchObject({ state: 'replicate', matchIndex: 3, nextIndex: 4 });
    n.step(snapResp({ from: 'n2', lastIncludedIndex: 2, nextOffset: 7, done: true }), 55);
    expect(pr).toMatchObject({ state: 'replicate', matchIndex: 3, nextIndex: 4 });
    expect(take(n)).toEqual([]);
  });

  it('§5.3 the conflict hint is searched only in entries the leader still holds, not at its snapshot index', () => {
    // Leader of term 2: the snapshot ends at index 2 (term 1), entries 3–4 are of term 2.
    const n = makeLeader({ term: 1, log: [1, 1], opts: { fastBacktrack: true } });
    ackAll(n, 1);
    takeCommitted(n);
    n.compact(2, new Uint8Array([1]));
    n.propose('command', 'x', 2);
    take(n);
    const pr = n.progress.get('n2')!;
    pr.state = 'probe';
    pr.matchIndex = 0;
    pr.nextIndex = 5;
    pr.paused = true;
    // n2 holds term 1 up to index 4: its conflict term 1 starts at index 1.
    n.step(
      appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 4, conflictTerm: 1, conflictIndex: 1 }),
      3,
    );
    expect(pr.nextIndex).toBe(1);
    expect(only(n, 'InstallSnapshot').map((m) => m.to)).toEqual(['n2']);
  });
});

describe('a higher-term TimeoutNow names its sender as leader', () => {
  it('a learner that gets one follows the sender from that moment', () => {
    const n = makeNode({ id: 'n4', config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] }, term: 1 });
    n.step({ type: 'TimeoutNow', from: 'n1', to: 'n4', term: 2 }, 40);
    expect(n).toMatchObject({ role: 'follower', term: 2, leaderId: 'n1', lastLeaderContact: 40 });
  });
});
