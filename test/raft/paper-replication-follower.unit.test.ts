/**
 * §5.3 log replication and §7 InstallSnapshot, on the follower's side. One RaftNode at a time: messages
 * go in, the test reads what comes out (helpers: test/helpers/raftNode.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultRaftOptions, type Entry } from '../../src/raft/types';
import {
  cfg3,
  cfg5,
  makeNode,
  take,
  takeCommitted,
  pendingSnapshot,
  only,
  append,
  snapMsg,
  entries,
  makeLeader,
} from '../helpers/raftNode';

describe('§5.3 log replication, follower side', () => {
  it('a follower accepts AppendEntries, records the leader and resets its election timer', () => {
    const n = makeNode({ random: () => 0 });
    n.step(append({ from: 'n3', term: 1, entries: entries(1, [1]), seq: 7 }), 500);
    expect(n.leaderId).toBe('n3');
    expect(n.electionDeadline).toBe(500 + defaultRaftOptions.electionTimeoutMin);
    expect(take(n)).toEqual([
      {
        type: 'AppendEntriesResp',
        from: 'n1',
        to: 'n3',
        term: 1,
        success: true,
        matchIndex: 1,
        rejectIndex: 0,
        conflictIndex: 0,
        conflictTerm: 0,
        seq: 7,
      },
    ]);
  });

  it('a follower rejects AppendEntries whose prevLogIndex is past its log, hinting its next index', () => {
    const n = makeNode({ log: [1, 1], term: 1 });
    n.step(append({ term: 1, prevLogIndex: 3, prevLogTerm: 1 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({
      success: false,
      rejectIndex: 3,
      conflictIndex: 3,
      conflictTerm: 0,
      matchIndex: 0,
    });
    n.step(append({ term: 1, prevLogIndex: 2, prevLogTerm: 1 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({ success: true, matchIndex: 2 });
  });

  it('a follower rejects AppendEntries whose prevLogTerm does not match, hinting the first index of the conflicting term', () => {
    const n = makeNode({ log: [1, 2, 2, 2], term: 2 });
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({
      success: false,
      rejectIndex: 4,
      conflictIndex: 2,
      conflictTerm: 2,
    });
    expect(n.lastIndex).toBe(4);
  });

  it('the conflict hint stops at the snapshot', () => {
    const n = makeNode({ log: [2, 2, 2, 2], term: 2 });
    takeCommitted(n);
    n.commitIndex = 2;
    takeCommitted(n);
    n.compact(2, new Uint8Array(0));
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({
      success: false,
      conflictIndex: 3,
      conflictTerm: 2,
    });
  });

  it('without fast backtracking the follower hints only prevLogIndex', () => {
    const n = makeNode({ log: [1, 2, 2, 2], term: 2, opts: { fastBacktrack: false } });
    n.step(append({ term: 3, prevLogIndex: 4, prevLogTerm: 3 }), 0);
    expect(only(n, 'AppendEntriesResp')[0]).toMatchObject({
      success: false,
      conflictIndex: 4,
      conflictTerm: 2,
    });
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
    n.step(
      append({ term: 1, prevLogIndex: 2, prevLogTerm: 1, entries: entries(3, [1]), leaderCommit: 3 }),
      0,
    );
    expect(takeCommitted(n).map((e) => e.index)).toEqual([3]);
    expect(n.lastApplied).toBe(3);
  });

  it('an append below the snapshot skips the compacted entries and acknowledges the rest', () => {
    const n = makeNode({ term: 1 });
    n.step(append({ term: 1, entries: entries(1, [1, 1, 1]), leaderCommit: 3 }), 0);
    takeCommitted(n);
    n.compact(2, new Uint8Array(0));
    take(n);
    n.step(
      append({
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: entries(1, [1, 1, 1, 1]),
        leaderCommit: 4,
      }),
      0,
    );
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
    n.step(
      append({ from: 'n3', term: 1, prevLogIndex: last, prevLogTerm: 1, entries: entries(last + 1, [1]) }),
      0,
    );
    expect(n.role).toBe('leader');
    expect(n.lastIndex).toBe(last);
    expect(take(n)).toEqual([]);
  });
});

describe('§7 InstallSnapshot, follower side', () => {
  it('installs a snapshot sent in chunks, then sets commit, applied and configuration from it', () => {
    const n = makeNode({ log: [1], term: 1 });
    n.step(snapMsg({ offset: 0, total: 5, chunk: new Uint8Array([1, 2]), done: false, config: cfg5 }), 0);
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({
      nextOffset: 2,
      done: false,
      lastIncludedIndex: 5,
      seq: 1,
    });
    expect(pendingSnapshot(n)).toBeNull();
    n.step(
      snapMsg({ offset: 2, total: 5, chunk: new Uint8Array([3, 4, 5]), done: true, config: cfg5, seq: 2 }),
      1,
    );
    expect(take(n)).toEqual([
      {
        type: 'InstallSnapshotResp',
        from: 'n1',
        to: 'n2',
        term: 1,
        lastIncludedIndex: 5,
        nextOffset: 5,
        done: true,
        seq: 2,
      },
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
    n.step(
      snapMsg({
        term: 2,
        lastIncludedIndex: 5,
        lastIncludedTerm: 1,
        total: 4,
        chunk: new Uint8Array([1, 2]),
        done: false,
      }),
      0,
    );
    n.step(
      snapMsg({
        term: 2,
        lastIncludedIndex: 5,
        lastIncludedTerm: 2,
        total: 2,
        chunk: new Uint8Array([7, 8]),
        done: true,
      }),
      0,
    );
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
