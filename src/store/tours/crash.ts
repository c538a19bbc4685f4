import { paper, thesis } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const crashTour: Tour = {
  ...about('crash'),
  speed: 0.25,
  scenario: {
    name: 'Tour 4: a leader crash and how the log is repaired',
    description: 'A cut-off leader appends an entry no one else receives, is killed, and after restart the new leader overwrites the uncommitted entry.',
    nodes: 5,
    seed: 2,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(v TEXT)' },
      { waitFor: 'converged' },
      { isolate: 'leader', comment: 'the leader is cut off, but does not know it yet' },
      { execute: "INSERT INTO t VALUES('lost')", node: 'leader', timeout: 40, comment: 'appended on the old leader only; the client times out' },
      { heal: true, comment: 'after the learner kills the old leader' },
      { waitFor: 'leader' },
      { execute: "INSERT INTO t VALUES('kept')" },
      { wait: 4, comment: 'after the learner restarts the old leader' },
      { waitFor: 'converged' },
    ],
  },
  steps: [
    {
      title: 'A healthy cluster',
      text: ['Five servers; {$old} leads term {$old.term}. The table t is at index 2, committed and applied everywhere.'],
      refs: [paper.replication],
      run: 3,
      bind: { old: 'leader' },
      facts: [{ leader: '$old' }, { converged: true }, { entry: { node: '$old', index: 2, sql: 'CREATE TABLE t' } }],
      highlight: { nodes: ['$old'] },
    },
    {
      title: 'A write that reaches nobody',
      text: [
        '{$old} was just cut off, and cannot tell: a lost message looks like silence.',
        'A client sent it INSERT ‘lost’. {$old} appended it at index 3, in term {$old.log:3}, but no copy arrives, so it cannot be committed.',
      ],
      refs: [paper.replication],
      run: 2,
      facts: [{ isolated: '$old' }, { entry: { node: '$old', index: 3, sql: "'lost'" } }, { node: '$old', committed: 2 }],
      highlight: { cells: [{ node: '$old', index: 3 }], nodes: ['$old'], label: 'cut off' },
    },
    {
      title: 'Timed out is not failed',
      text: [
        'After 40 ms the client gave up: “request timed out”. That does not mean the write failed. The outcome is unknown: had a copy got through, it could still commit.',
        'A client that retries must make sure a write is not applied twice (§6.3).',
      ],
      refs: [thesis.retries],
      facts: [{ output: 4, ok: false, code: 'timeout' }],
      highlight: { nodes: ['$old'] },
    },
    {
      title: 'Your turn: crash the old leader',
      text: ['Crash {$old}: click it, open the Node tab and press “Stop (crash)”. Its log, with the uncommitted entry, stays on its disk.'],
      task: { kind: 'kill', node: '$old', prompt: 'Crash the cut-off leader.' },
      select: '$old',
      facts: [{ up: '$old' }, { entry: { node: '$old', index: 3, sql: "'lost'" } }],
      highlight: { nodes: ['$old'], target: 'tab-node' },
    },
    {
      title: 'Life goes on without it',
      text: [
        'The tour healed the network. The other four missed the heartbeats and elected {leader} in term {leader.term}. It wrote its no-op at index 3 and a new INSERT, ‘kept’, at index 4.',
        '{$old} still has ‘lost’ at index 3. Logs may disagree about entries that were never committed.',
      ],
      refs: [paper.election, paper.replication],
      run: 3,
      facts: [
        { down: '$old' },
        { count: 'leader', is: 1 },
        { entry: { node: 'leader', index: 4, sql: "'kept'" } },
        { entry: { node: 'leader', index: 3, term: { min: 2 } } },
        { entry: { node: '$old', index: 3, sql: "'lost'" } },
      ],
      highlight: { nodes: ['leader'], cells: [{ index: 3 }] },
    },
    {
      title: 'Your turn: restart the old leader',
      text: ['Click {$old} (✕ down), open the Node tab and press “Restart”.'],
      task: { kind: 'restart', node: '$old', prompt: 'Restart the crashed server.' },
      select: '$old',
      facts: [{ down: '$old' }],
      highlight: { nodes: ['$old'], target: 'tab-node' },
    },
    {
      title: 'A conflicting entry',
      text: [
        '{$old} is back, as a follower in term {$old.term}, with ‘lost’ at index 3. The log strip marks it: it conflicts with the leader’s entry there.',
        'No server decides alone that its entry is wrong. The leader’s AppendEntries will.',
      ],
      refs: [paper.replication],
      run: 1,
      facts: [{ up: '$old' }, { node: '$old', role: 'follower' }, { entry: { node: '$old', index: 3, sql: "'lost'" } }],
      highlight: { cells: [{ index: 3 }], messages: ['append'] },
    },
    {
      title: 'Repaired',
      text: [
        'The leader’s AppendEntries brought its entries from index 3 on. {$old}’s own index 3 had another term: a conflict. It deleted that entry and all after it, and took the leader’s (Figure 2, AppendEntries rule 3).',
        '‘lost’ was never committed nor applied anywhere; no client was told it was written.',
      ],
      refs: [paper.replication, paper.fig2],
      run: 1,
      facts: [{ converged: true }, { entry: { node: '$old', index: 3, term: { min: 2 } } }, { entry: { node: '$old', index: 4, sql: "'kept'" } }],
      highlight: { cells: [{ index: 3 }] },
    },
    {
      title: 'Why the leader’s log wins',
      text: [
        'Followers are made to match the leader. That is safe because of the election restriction: a vote goes only to a candidate whose log is at least as up-to-date — a later last term, or the same with at least as many entries.',
        'So every leader holds every committed entry (Leader Completeness).',
      ],
      refs: [paper.restriction, paper.safety],
      facts: [{ converged: true }],
    },
  ],
};
