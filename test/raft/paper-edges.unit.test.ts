/**
 * Edges of the rules in the other paper-*.unit.test.ts files, each written to kill a mutant
 * that survived (docs/mutation-survivors.md). One RaftNode at a time: messages
 * go in, the test reads what comes out (helpers: test/helpers/raftNode.ts).
 */
import { describe, expect, it } from 'vitest';
import { sameConfig as sameConfigOf } from '../../src/raft/quorum';
import { defaultRaftOptions, type Entry } from '../../src/raft/types';
import {
  cfg3,
  makeNode,
  take,
  flushAppends,
  takeCommitted,
  pendingSnapshot,
  readStates,
  only,
  voteResp,
  vote,
  append,
  appendResp,
  snapMsg,
  snapResp,
  entries,
  makeLeader,
  ackAll,
} from '../helpers/raftNode';

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
    n.step(
      snapMsg({ lastIncludedIndex: 6, offset: 2, total: 4, chunk: new Uint8Array([3, 4]), done: true }),
      0,
    );
    expect(only(n, 'InstallSnapshotResp').at(-1)).toMatchObject({
      nextOffset: 0,
      done: false,
      lastIncludedIndex: 6,
    });
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
    for (const id of ['n2', 'n3'])
      m.step(appendResp({ from: id, term: 3, matchIndex: m.lastIndex, seq: 99 }), 1002);
    expect(readStates(m)).toEqual([]);
  });

  it('§4.1 a server removed by an uncommitted change campaigns if the configuration before it had it as a voter', () => {
    const add: Entry = {
      index: 2,
      term: 1,
      kind: 'config',
      data: null,
      config: { voters: ['n1', 'n2', 'n3', 'n4'], learners: [] },
    };
    const remove: Entry = { index: 3, term: 1, kind: 'config', data: null, config: cfg3 };
    const n = makeNode({ id: 'n4', log: [1], term: 1 });
    n.step(
      append({ to: 'n4', term: 1, prevLogIndex: 1, prevLogTerm: 1, entries: [add, remove], leaderCommit: 2 }),
      0,
    );
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
    n.step(
      snapMsg({ lastIncludedIndex: 7, offset: 2, total: 4, chunk: new Uint8Array([3, 4]), done: false }),
      0,
    );
    take(n);
    n.step(
      snapMsg({ lastIncludedIndex: 5, offset: 2, total: 4, chunk: new Uint8Array([3, 4]), done: true }),
      0,
    );
    expect(only(n, 'InstallSnapshotResp')[0]).toMatchObject({ nextOffset: 4, done: true });
    expect(n.storage.snapshot.index).toBe(5);
  });
});
