import { paper, rqlite, thesis } from './paper';
import type { Tour } from './types';

export const membersTour: Tour = {
  id: 'members',
  title: '10. Adding and removing a node',
  summary:
    'Servers join and leave a running cluster one at a time, through the log, without ever stopping writes.',
  speed: 0.25,
  scenario: {
    name: 'Tour 10: adding and removing a node',
    description:
      'A three-server cluster gains a voter (added by the learner) and a read-only non-voter, loses a follower (removed by the learner), and finally its leader removes itself and hands over.',
    nodes: 3,
    seed: 3,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(v TEXT)' },
      { execute: "INSERT INTO t VALUES('three servers')" },
      { waitFor: 'converged', comment: 'after the learner added n4: it catches up and is promoted' },
      { join: 'n5', voter: false, comment: 'a read-only replica, like an rqlite read-only node' },
      { waitFor: 'converged' },
      {
        execute: "INSERT INTO t VALUES('after the removal')",
        comment: 'after the learner removed a follower',
      },
      { waitFor: 'converged' },
      { remove: 'leader', comment: 'the leader removes itself' },
      { waitFor: 'leader' },
      { execute: "INSERT INTO t VALUES('new leader')" },
      { waitFor: 'converged' },
    ],
  },
  steps: [
    {
      title: 'Three servers, majority two',
      text: [
        'Three servers agree on a table and one row. Every decision needs a majority of the voters: two of three.',
        'The set of servers is itself something they must agree on. If one server thought the cluster had three members and another thought five, each could count a different “majority” and two leaders could be elected in the same term.',
      ],
      refs: [paper.membership],
      run: 3,
      highlight: { nodes: ['leader'] },
    },
    {
      title: 'Your turn: add a server',
      text: [
        'Press “+ Add n4” at the bottom right of the cluster view (leave “as voter” selected).',
        'A new, empty server starts, and the leader writes a new configuration into its log (the ⚙ entry) that lists n4.',
      ],
      task: { kind: 'join', voter: true, prompt: 'Add n4 as a voter: press “+ Add n4” at the bottom right.' },
      highlight: { target: 'add-node-button' },
    },
    {
      title: 'Non-voter first, then voter',
      text: [
        'n4 joined as a non-voter (drawn with a dashed outline, “joining”): it receives the log but does not count for the majority yet. Had it counted at once, the cluster would have needed three of four for every commit while n4 was still empty and copying — one more failure and writes would stop.',
        'Once n4 had caught up, the leader appended a second ⚙ entry promoting it to voter. Four voters now: the majority is three. Each change adds or removes one server only, so any majority of the old configuration overlaps any majority of the new one, and there is never a moment with two separate majorities.',
      ],
      refs: [paper.membership, thesis.singleServer, thesis.catchUp, rqlite.clustering],
      run: 1,
      highlight: { nodes: ['n4'], cells: [{ node: 'leader', index: 'last' }] },
    },
    {
      title: 'A read-only replica',
      text: [
        'n5 joined as a non-voter and stays one: it gets every entry and serves reads with level none, but it never votes and never counts for a commit, so it can sit far away without slowing writes down. rqlite calls this a read-only node.',
      ],
      refs: [rqlite.readOnly],
      run: 2,
      highlight: { nodes: ['n5'], label: 'non-voter' },
    },
    {
      title: 'Your turn: remove a follower',
      text: ['Click a follower that votes (not n5), open the Node tab and press “Remove from cluster”.'],
      task: { kind: 'remove', prompt: 'Remove a voting follower: click it, Node tab, Remove from cluster.' },
      highlight: { target: 'tab-node' },
    },
    {
      title: 'Gone from the configuration',
      text: [
        'The leader appended a configuration without that server and used it at once, as every server uses the newest configuration in its log, committed or not. The removed server is drawn faded: it gets no more entries and its vote no longer counts.',
        'It is still running, though (rqlite would shut it down), and hears nothing more from the leader: it never even received the entry that removed it. So its timer runs out and it asks for votes. A removed server must not be able to disturb the cluster that way: it only asks for pre-votes, which do not raise any term, and servers that still hear from a leader refuse them.',
      ],
      refs: [paper.membership, thesis.disruptive],
      run: 2,
      highlight: { nodes: ['leader'], cells: [{ node: 'leader', index: 'last' }] },
    },
    {
      title: 'A leader removes itself',
      text: [
        'Last, the leader was asked to remove itself. It keeps leading until the new configuration, without it, is committed — a majority of the new configuration, not counting itself — then steps down. The others time out and elect a new leader, which commits the next write.',
        'Adding and removing servers one at a time, through the log, is all Raft needs: the cluster stayed available through every change.',
      ],
      refs: [thesis.removeLeader, paper.membership],
      run: 4,
      highlight: { nodes: ['leader'] },
    },
  ],
};
