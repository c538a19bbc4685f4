import { paper } from './paper';
import type { Tour } from './types';

export const replicationTour: Tour = {
  id: 'replication',
  title: '3. Log replication and commit',
  summary: 'Follow one INSERT from the client to the leader’s log, to the followers, to commit and apply.',
  speed: 0.1,
  scenario: {
    name: 'Tour 3: log replication and commit',
    description: 'Slow links (20–40 ms one way) so each message can be watched: an entry is appended, replicated, committed at the leader, then at the followers.',
    nodes: 3,
    seed: 4,
    options: { latency: [20, 40], electionTimeout: [300, 600], heartbeat: 100 },
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)' },
      { waitFor: 'converged' },
      { wait: 15, comment: 'after the learner’s INSERT: AppendEntries on the wire' },
      { wait: 70, comment: 'acknowledged by a majority: committed at the leader' },
      { wait: 250, comment: 'followers learn the commit index from the next AppendEntries' },
    ],
  },
  steps: [
    {
      title: 'Only the leader writes',
      text: [
        'This cluster has slow links (20–40 ms each way) so you can follow every message. It has elected a leader and created a table.',
        'In Raft, clients send every write to the leader. The leader puts it at the end of its own log and then makes sure the followers copy it.',
      ],
      refs: [paper.replication],
      run: 3,
      highlight: { nodes: ['leader'], label: 'leader' },
    },
    {
      title: 'Your turn: send a write to the leader',
      text: [
        'In the console, set “to” to the server marked (leader), type an INSERT and press Ctrl+Enter. For example:',
        "INSERT INTO notes(body) VALUES('hello')",
      ],
      task: { kind: 'request', op: 'execute', node: 'leader', sqlMatches: 'insert', prompt: 'Send an INSERT to the leader.', example: "INSERT INTO notes(body) VALUES('hello')" },
      highlight: { target: 'sql-console', nodes: ['leader'] },
    },
    {
      title: 'Appended, not yet committed',
      text: [
        'The leader appended your INSERT to its log (the highlighted square on its row) and sent AppendEntries messages carrying it (“+1”) to both followers.',
        'Each message also says which entry comes just before the new one (its index and term). A follower only accepts the new entry if its own log has that same previous entry — this check is what keeps all logs identical, prefix by prefix (the Log Matching property).',
        'The entry is not committed yet: only one server stores it.',
      ],
      refs: [paper.replication],
      run: 1,
      highlight: { messages: ['append'], cells: [{ node: 'leader', index: 'last' }] },
    },
    {
      title: 'A majority stores it: committed',
      text: [
        'The followers wrote the entry to their logs and answered “ok”. As soon as the leader knew that a majority (itself plus one follower: 2 of 3) stored it, the entry became committed: the leader’s commit mark moved past it.',
        'Committed means durable: any future leader must have this entry (the election rules guarantee it). So now, and only now, the leader applies the INSERT to its database and answers the client.',
      ],
      refs: [paper.replication, paper.restriction],
      run: 1,
      highlight: { cells: [{ index: 'last' }], messages: ['append-ok'] },
    },
    {
      title: 'Followers learn the commit index',
      text: [
        'The followers stored the entry but did not apply it yet: they only apply what they know is committed. The leader tells them its commit index in every AppendEntries, including the next heartbeat.',
        'Now every server has applied the INSERT: the commit (thick) and applied (thin) marks are past it on every row. Open the Tables tab to see the row on each server.',
      ],
      refs: [paper.replication],
      run: 1,
      highlight: { cells: [{ index: 'last' }], target: 'tab-tables' },
    },
  ],
};
