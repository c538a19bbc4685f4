import { paper } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const replicationTour: Tour = {
  ...about('replication'),
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
        'Slow links here (20–40 ms each way), so you can follow every message. {leader} leads; the table notes exists.',
        'Clients send every write to the leader. It appends it to its own log, then has the followers copy it.',
      ],
      refs: [paper.replication],
      run: 3,
      bind: { l: 'leader' },
      facts: [{ leader: '$l' }, { converged: true }, { entry: { node: '$l', index: 2, sql: 'CREATE TABLE notes' } }],
      highlight: { nodes: ['$l'], label: 'leader' },
    },
    {
      title: 'Your turn: send a write to the leader',
      text: ['In the console, set “to” to {$l}, type an INSERT and press Ctrl+Enter, for example:', "INSERT INTO notes(body) VALUES('hello')"],
      task: { kind: 'request', op: 'execute', node: '$l', sql: 'insert', prompt: 'Send an INSERT to the leader.', example: "INSERT INTO notes(body) VALUES('hello')" },
      facts: [{ leader: '$l' }],
      highlight: { target: 'sql-console', nodes: ['$l'] },
    },
    {
      title: 'Appended, not yet committed',
      text: [
        '{$l} appended your INSERT at index 3 and sent it to both followers in AppendEntries (“+1”).',
        'Each message also names the entry just before: index 2, term {$l.log:2}. A follower takes the new entry only if its log has that one, which keeps all logs identical, prefix by prefix (Log Matching).',
      ],
      refs: [paper.replication],
      run: 1,
      facts: [{ entry: { node: '$l', index: 3, sql: 'insert' } }, { node: '$l', committed: 2 }, { entry: { node: '$l', index: 2 } }],
      highlight: { messages: ['append'], cells: [{ node: '$l', index: 3 }] },
    },
    {
      title: 'A majority stores it: committed',
      text: [
        'The followers stored it and answered “ok”. With {majority} of {voters} copies (its own included), {$l} marked index 3 committed, applied the INSERT to its database and answered the client.',
        'Committed means every future leader will have it: the election restriction ensures that (Leader Completeness).',
      ],
      refs: [paper.replication, paper.safety],
      run: 1,
      facts: [{ node: '$l', committed: 3 }, { node: '$l', applied: 3 }, { entry: { node: '$l', index: 3, sql: 'insert' } }],
      highlight: { cells: [{ index: 3 }], messages: ['append-ok'] },
    },
    {
      title: 'Followers learn the commit index',
      text: [
        'Followers apply only what they know is committed. Every AppendEntries carries the leader’s commit index, heartbeats included.',
        'Now all three have applied the INSERT. The Tables tab shows the row on each server.',
      ],
      refs: [paper.replication],
      run: 1,
      facts: [{ converged: true }, { node: '$l', committed: 3 }],
      highlight: { cells: [{ index: 3 }], target: 'tab-tables' },
    },
  ],
};
