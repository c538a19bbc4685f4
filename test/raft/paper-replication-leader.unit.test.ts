/**
 * §5.3 log replication on the leader's side, and §5.4.2 committing entries from previous terms. One RaftNode at a time: messages
 * go in, the test reads what comes out (helpers: test/helpers/raftNode.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultRaftOptions } from '../../src/raft/types';
import {
  cfg5,
  makeNode,
  take,
  flushAppends,
  takeCommitted,
  only,
  appendResp,
  snapResp,
  makeLeader,
  ackAll,
} from '../helpers/raftNode';

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
    const n = makeLeader({ log: [1, 1, 1], term: 1 });
    const pr = n.progress.get('n2')!;
    expect(pr.paused).toBe(true);
    n.onHeartbeatTimeout(50);
    const beat = only(n, 'AppendEntries').find((m) => m.to === 'n2')!;
    expect(beat).toMatchObject({ prevLogIndex: 3, prevLogTerm: 1 });
    expect(beat.entries.map((e) => e.index)).toEqual([4]);
    n.step(appendResp({ from: 'n2', term: 2, matchIndex: 4 }), 60);
    expect(pr).toMatchObject({
      state: 'replicate',
      matchIndex: 4,
      nextIndex: 5,
      paused: false,
      lastProgressAt: 60,
    });
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
    for (const b of beats)
      expect(b).toMatchObject({ prevLogIndex: 1, prevLogTerm: 1, entries: [], leaderCommit: 1, seq: 1 });
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
    n.step(
      appendResp({ from: 'n2', term: 2, success: false, rejectIndex: 4, conflictIndex: 2, conflictTerm: 0 }),
      1,
    );
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
    n.step(
      appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 5, conflictIndex: 3, conflictTerm: 2 }),
      1,
    );
    expect(pr.nextIndex).toBe(3);
  });

  it('fast backtracking resumes after the leader’s last entry of the follower’s conflict term', () => {
    const n = makeLeader({ log: [1, 1, 2, 2, 3], term: 3 });
    const pr = n.progress.get('n2')!;
    n.step(
      appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 5, conflictIndex: 2, conflictTerm: 2 }),
      1,
    );
    expect(pr.nextIndex).toBe(5);
  });

  it('fast backtracking looks no further back than the rejected index', () => {
    const n = makeLeader({ log: [2, 2, 2, 3, 3, 3], term: 3 });
    const pr = n.progress.get('n2')!;
    n.step(
      appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 6, conflictIndex: 1, conflictTerm: 2 }),
      1,
    );
    expect(pr.nextIndex).toBe(4);
    // A term-3 entry past the rejected index must not count: below it the leader has only term 1.
    const m = makeLeader({ log: [1, 1, 3, 3], term: 3 });
    m.progress.get('n2')!.nextIndex = 3;
    m.step(
      appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 2, conflictIndex: 1, conflictTerm: 3 }),
      1,
    );
    expect(m.progress.get('n2')!.nextIndex).toBe(1);
  });

  it('without fast backtracking the leader steps back one entry per rejection', () => {
    const n = makeLeader({ log: [1, 1, 3, 3, 3], term: 3, opts: { fastBacktrack: false } });
    const pr = n.progress.get('n2')!;
    n.step(
      appendResp({ from: 'n2', term: 4, success: false, rejectIndex: 5, conflictIndex: 3, conflictTerm: 2 }),
      1,
    );
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
