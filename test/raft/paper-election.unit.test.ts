/**
 * Rules of §5.2 and §5.4.1: elections and RequestVote, and §4.2.3 disruptive servers. One RaftNode at a time: messages
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
  append,
  appendResp,
  snapMsg,
  makeLeader,
} from '../helpers/raftNode';

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
      expect(m).toMatchObject({
        from: 'n1',
        term: 3,
        lastLogIndex: 2,
        lastLogTerm: 2,
        preVote: false,
        transfer: false,
      });
    }
  });

  it('election timeouts are drawn from [electionTimeoutMin, electionTimeoutMax]', () => {
    const low = makeNode({ random: () => 0, now: 1000 });
    expect(low.electionDeadline).toBe(1000 + defaultRaftOptions.electionTimeoutMin);
    const high = makeNode({ random: () => 0.9999, now: 1000 });
    expect(high.electionDeadline).toBe(1000 + defaultRaftOptions.electionTimeoutMax);
    const mid = makeNode({
      random: () => 0.5,
      now: 0,
      opts: { electionTimeoutMin: 100, electionTimeoutMax: 200 },
    });
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
    const n = makeNode({ config: cfg5, log: [1], term: 1 });
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
    for (const pr of n.progress.values())
      expect(pr).toMatchObject({ nextIndex: 2, matchIndex: 0, state: 'probe' });
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
      {
        type: 'AppendEntriesResp',
        from: 'n1',
        to: 'n2',
        term: 3,
        success: false,
        matchIndex: 0,
        rejectIndex: 2,
        conflictIndex: 0,
        conflictTerm: 0,
        seq: 9,
      },
    ]);
    expect(n.commitIndex).toBe(0);
    expect(n.leaderId).toBeNull();
    n.step(snapMsg({ term: 2, lastIncludedIndex: 9, seq: 4 }), 0);
    expect(take(n)).toEqual([
      {
        type: 'InstallSnapshotResp',
        from: 'n1',
        to: 'n2',
        term: 3,
        lastIncludedIndex: 9,
        nextOffset: 0,
        done: false,
        seq: 4,
      },
    ]);
    n.step(vote({ term: 2, lastLogIndex: 9, lastLogTerm: 3 }), 0);
    expect(take(n)).toEqual([
      { type: 'RequestVoteResp', from: 'n1', to: 'n2', term: 3, granted: false, preVote: false },
    ]);
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
    n.step(
      vote({ term: 2, lastLogIndex: 5, lastLogTerm: 1 }),
      100 + defaultRaftOptions.electionTimeoutMin - 1,
    );
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
