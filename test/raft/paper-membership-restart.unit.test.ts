/**
 * §4.1–4.2 membership changes one server at a time, and restart (§5.1 persistent state). One RaftNode at a time: messages
 * go in, the test reads what comes out (helpers: test/helpers/raftNode.ts).
 */
import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { RaftNode } from '../../src/raft/node';
import { defaultRaftOptions, type ClusterConfig, type Entry } from '../../src/raft/types';
import {
  cfg3,
  cfg5,
  makeNode,
  take,
  flushAppends,
  takeCommitted,
  pendingSnapshot,
  voteResp,
  append,
  appendResp,
  makeLeader,
  ackAll,
} from '../helpers/raftNode';

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
    const removal: Entry = {
      index: 2,
      term: 1,
      kind: 'config',
      data: null,
      config: { voters: ['n2', 'n3'], learners: [] },
    };
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
    const demote: Entry = {
      index: 2,
      term: 1,
      kind: 'config',
      data: null,
      config: { voters: ['n1', 'n2', 'n3'], learners: ['n4'] },
    };
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
