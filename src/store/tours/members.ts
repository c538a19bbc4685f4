import { paper, rqlite, thesis } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const membersTour: Tour = {
  ...about('members'),
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
        'Three servers agree on a table and one row. Every decision needs a majority of the voters: {majority} of {voters}.',
        'The set of servers is itself something they must agree on. If one counted three members and another five, each could count a different majority, and two leaders could win the same term.',
      ],
      refs: [paper.membership],
      run: 3,
      facts: [{ count: 'leader', is: 1 }, { node: 'leader', committed: 3 }],
      highlight: { nodes: ['leader'] },
    },
    {
      title: 'Your turn: add a server',
      text: [
        'Press the “+ Add” button at the bottom right of the cluster view (leave “as voter” selected). A new, empty server starts, and the leader logs a new configuration (⚙) that lists it.',
      ],
      task: { kind: 'join', voter: true, prompt: 'Add a voter: press “+ Add” at the bottom right.' },
      facts: [{ count: 'leader', is: 1 }],
      highlight: { target: 'add-node-button' },
    },
    {
      title: 'Non-voter first, then voter',
      text: [
        'n4 joined as a non-voter (“joining”) and copied the log; once caught up, a second ⚙ entry made it a voter. Counting an empty server at once would raise the majority while it cannot help yet.',
        'This catch-up step is the dissertation’s (§4.2.1); rqlite adds a voter directly.',
      ],
      refs: [thesis.catchUp, rqlite.clustering],
      run: 1,
      facts: [{ node: 'n4', member: 'voter' }, { converged: true }],
      highlight: { nodes: ['n4'], cells: [{ node: 'leader', index: 'last' }] },
    },
    {
      title: 'One change at a time',
      text: [
        'Four voters now: the majority is {majority}. Each change adds or removes one server only, so every majority of the old configuration overlaps every majority of the new one: never two separate majorities.',
        'A leader starts a change only after the previous one is committed.',
      ],
      refs: [thesis.singleServer, paper.membership],
      facts: [{ node: 'n4', member: 'voter' }],
    },
    {
      title: 'A read-only replica',
      text: [
        'n5 joined as a non-voter and stays one: it gets every entry and serves reads with level none, but never votes or counts for a commit. rqlite calls this a read-only node.',
      ],
      refs: [rqlite.readOnly],
      run: 2,
      facts: [{ node: 'n5', member: 'non-voter' }, { converged: true }],
      highlight: { nodes: ['n5'], label: 'non-voter' },
    },
    {
      title: 'Your turn: remove a follower',
      text: ['Click a follower that votes (not n5), open the Node tab and press “Remove from cluster”.'],
      task: { kind: 'remove', prompt: 'Remove a voting follower: click it, Node tab, Remove from cluster.' },
      facts: [{ node: 'n5', member: 'non-voter' }],
      highlight: { target: 'tab-node' },
    },
    {
      title: 'Gone from the configuration',
      text: [
        'The leader appended a configuration without that server and used it at once: every server uses the newest configuration in its log, committed or not. The removed server is drawn faded; its vote no longer counts.',
      ],
      refs: [paper.membership],
      run: 2,
      facts: [{ count: 'leader', is: 1 }],
      highlight: { nodes: ['leader'], cells: [{ node: 'leader', index: 'last' }] },
    },
    {
      title: 'A removed server cannot disrupt',
      text: [
        'It still runs (rqlite would shut it down), hears nothing, and asks for votes. Servers that heard from a leader within the minimum election timeout ignore it (§4.2.3); pre-vote alone would not stop it.',
      ],
      refs: [thesis.disruptive],
      facts: [{ count: 'leader', is: 1 }],
    },
    {
      title: 'A leader removes itself',
      text: [
        'Last, the leader was asked to remove itself. It led until the configuration without it was committed, then stepped down; {leader} won term {leader.term} and committed the next write.',
        'A new leader commits an entry of its own term before any change: the cluster stayed available throughout.',
      ],
      refs: [thesis.removeLeader, paper.membership],
      run: 4,
      facts: [{ count: 'leader', is: 1 }, { node: 'leader', term: { min: 2 } }, { converged: true }],
      highlight: { nodes: ['leader'] },
    },
  ],
};
