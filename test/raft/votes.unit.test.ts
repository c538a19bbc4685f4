import { describe, expect, it } from 'vitest';
import { PersistentState } from '../../src/raft/log';
import { RaftNode } from '../../src/raft/node';
import { defaultRaftOptions, type ClusterConfig, type RequestVoteResp } from '../../src/raft/types';

/** n1..n3 vote; n4 and n5 are non-voters (learners), n9 is not a member at all. */
const config: ClusterConfig = { voters: ['n1', 'n2', 'n3'], learners: ['n4', 'n5'] };

function candidate(preVote = false): RaftNode {
  const n = new RaftNode('n1', new PersistentState(config), { ...defaultRaftOptions, preVote }, () => 0.5, 0);
  n.onElectionTimeout(1000);
  expect(n.role).toBe(preVote ? 'precandidate' : 'candidate');
  return n;
}

const answer = (from: string, granted: boolean, term: number, preVote = false): RequestVoteResp => ({
  type: 'RequestVoteResp', from, to: 'n1', term, granted, preVote,
});

describe('votes are counted among the voters of the configuration only (§5.2, thesis §4.2.1)', () => {
  it('only asks the voters', () => {
    const n = candidate();
    expect(n.outbox().filter((m) => m.type === 'RequestVote').map((m) => m.to).sort()).toEqual(['n2', 'n3']);
  });

  it('a candidate does not win on votes from non-voters and non-members', () => {
    const n = candidate();
    const term = n.term;
    for (const from of ['n4', 'n5', 'n9']) n.step(answer(from, true, term), 1001);
    // Its own vote and three from servers that do not vote: 1 of the 3 voters, no majority.
    expect(n.role).toBe('candidate');
    n.step(answer('n2', true, term), 1002);
    expect(n.role).toBe('leader');
  });

  it('a pre-candidate does not start a real election on pre-votes from non-voters', () => {
    const n = candidate(true);
    for (const from of ['n4', 'n5']) n.step(answer(from, true, n.term + 1, true), 1001);
    expect(n.role).toBe('precandidate');
    expect(n.term).toBe(0);
    n.step(answer('n3', true, n.term + 1, true), 1002);
    expect(n.role).toBe('candidate');
    expect(n.term).toBe(1);
  });

  it('refusals from non-voters do not make a candidate give up', () => {
    const n = candidate();
    const term = n.term;
    for (const from of ['n4', 'n5']) n.step(answer(from, false, term), 1001);
    expect(n.role).toBe('candidate');
    n.step(answer('n2', false, term), 1002);
    n.step(answer('n3', false, term), 1003);
    expect(n.role).toBe('follower');
  });
});
