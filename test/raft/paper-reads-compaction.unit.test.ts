/**
 * §6.4 ReadIndex and §7 log compaction on the leader's side. One RaftNode at a time: messages
 * go in, the test reads what comes out (helpers: test/helpers/raftNode.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  cfg5,
  makeNode,
  take,
  flushAppends,
  takeCommitted,
  readStates,
  only,
  appendResp,
  snapResp,
  makeLeader,
  ackAll,
} from '../helpers/raftNode';

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
    expect(readStates(n)).toEqual([
      { ctx: 1, index: 1 },
      { ctx: 2, index: 2 },
    ]);
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
    expect(first).toMatchObject({
      lastIncludedIndex: 2,
      lastIncludedTerm: 1,
      offset: 0,
      total: 7,
      done: false,
    });
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
