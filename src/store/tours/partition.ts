import { paper, thesis } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const partitionTour: Tour = {
  ...about('partition'),
  speed: 0.25,
  scenario: {
    name: 'Tour 5: network partition',
    description: 'The leader and one follower are cut off from the other three. The minority cannot commit; the majority elects a new leader. On heal, the old leader steps down and its uncommitted entry is replaced.',
    nodes: 5,
    seed: 3,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(v TEXT)' },
      { partition: [['leader', 'n1']] },
      { execute: "INSERT INTO t VALUES('minority')", timeout: 1000 },
      { wait: 500, comment: 'after the learner writes to the new leader' },
      { waitFor: 'converged', comment: 'after the learner heals the network' },
      { query: 'SELECT v FROM t', level: 'linearizable' },
    ],
  },
  steps: [
    {
      title: 'Five servers, majority three',
      text: ['Five servers; {$old} leads and the table t exists. Everything Raft decides needs a majority: here any {majority} of {voters}.'],
      refs: [paper.basics],
      run: 2,
      bind: { old: 'leader' },
      facts: [{ leader: '$old' }, { entry: { node: '$old', index: 2, sql: 'CREATE TABLE t' } }],
      highlight: { nodes: ['$old'] },
    },
    {
      title: 'The network splits',
      text: [
        'The network just split: {$old} and n1 on one side (dimmed), the other three on the other. Messages across are lost.',
        'Neither side knows what happened. {$old} still thinks it leads.',
      ],
      refs: [paper.election],
      run: 1,
      facts: [{ together: ['$old', 'n1'] }, { apart: ['$old', 'n2'] }, { together: ['n2', 'n4', 'n5'] }, { node: '$old', role: 'leader' }],
      highlight: { nodes: ['$old', 'n1'], label: 'minority' },
    },
    {
      title: 'The minority cannot commit',
      text: [
        'A client sent an INSERT to {$old}. It appended it at index 3 and n1 copied it, but two of five is not a majority: it can never be committed there.',
        'The client got “leadership lost”. Like a timeout, that leaves the outcome unknown.',
      ],
      refs: [paper.replication, thesis.retries],
      run: 1,
      bind: { new: 'leader' },
      facts: [
        { entry: { node: '$old', index: 3, sql: "'minority'" } },
        { entry: { node: 'n1', index: 3, sql: "'minority'" } },
        { node: '$old', committed: 2 },
        { output: 3, ok: false, code: 'leadership-lost' },
      ],
      highlight: { cells: [{ node: '$old', index: 3 }, { node: 'n1', index: 3 }] },
    },
    {
      title: 'Check-quorum: the old leader steps down',
      text: [
        '{$old} is a follower now. A leader that has not heard from a majority for an election timeout steps down by itself: check-quorum.',
        'So a cut-off leader soon stops accepting requests it can never commit.',
      ],
      refs: [thesis.checkQuorum],
      facts: [{ node: '$old', role: 'follower' }, { node: '$old', term: 1 }],
      highlight: { nodes: ['$old'], label: 'stepped down' },
    },
    {
      title: 'The majority elects a leader',
      text: [
        'The other three stopped hearing heartbeats, held an election, and {$new} won term {$new.term}. With three of five it can commit.',
        'Two servers may briefly both believe they lead, in different terms; only one has a majority.',
      ],
      refs: [paper.election],
      facts: [{ leader: '$new', term: 2 }, { apart: ['$old', '$new'] }],
      highlight: { nodes: ['$new'], label: 'new leader' },
    },
    {
      title: 'Your turn: write on the majority side',
      text: ['In the console set “to” to {$new}, the new leader, and run, for example:', "INSERT INTO t VALUES('majority')"],
      task: {
        kind: 'request',
        op: 'execute',
        node: '$new',
        sql: 'insert',
        prompt: 'Send an INSERT to the new leader.',
        example: "INSERT INTO t VALUES('majority')",
        confirm: true,
      },
      facts: [{ leader: '$new' }, { apart: ['$old', '$new'] }],
      highlight: { target: 'sql-console', nodes: ['$new'] },
    },
    {
      title: 'Committed on the majority',
      text: ['{$new} copied your INSERT to its two followers and committed it: its commit index is {$new.commit}. The minority side has not seen it.'],
      refs: [paper.replication],
      run: 1,
      facts: [{ leader: '$new' }, { entry: { node: '$new', index: 'last', sql: 'insert' } }, { node: '$old', committed: 2 }, { node: '$new', committed: { min: 4 } }],
      highlight: { cells: [{ node: '$new', index: 'last' }] },
    },
    {
      title: 'Pre-vote: no pointless elections',
      text: [
        'n1 and {$old} hear no leader, so their timers run out. With pre-vote, each first asks “would you vote for me?” without raising its term. No majority answers, so they stay in term {$old.term}.',
        'Without it, they would return with a higher term and force a needless election.',
      ],
      refs: [thesis.preVote],
      facts: [{ node: '$old', term: 1 }, { node: 'n1', term: 1 }, { node: '$new', term: 2 }],
      highlight: { nodes: ['$old', 'n1'], label: 'pre-candidate' },
    },
    {
      title: 'Your turn: heal the network',
      text: ['Open the Network tab and press Heal.'],
      task: { kind: 'heal', prompt: 'Heal the partition (Network tab → Heal).' },
      facts: [{ apart: ['$old', '$new'] }],
      highlight: { target: 'tab-network' },
    },
    {
      title: 'The minority catches up',
      text: [
        'Hearing {$new}’s higher term {$new.term}, n1 and {$old} adopted it. Their uncommitted ‘minority’ entry conflicted with {$new}’s log and was replaced.',
        'The linearizable read at the end (console) has no ‘minority’: nothing uncommitted sneaks in.',
      ],
      refs: [paper.basics, paper.replication],
      run: 2,
      facts: [{ converged: true }, { leader: '$new' }, { node: '$old', term: 2 }, { node: 'n1', term: 2 }, { entry: { node: '$old', index: 3, term: 2 } }, { output: 6, ok: true, lacks: 'minority' }],
      highlight: { cells: [{ index: 3 }] },
    },
  ],
};
