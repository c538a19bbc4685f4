import { paper } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const rsmTour: Tour = {
  ...about('rsm'),
  scenario: {
    name: 'Tour 1: a replicated state machine',
    description: 'Three servers elect a leader, replicate a CREATE TABLE and an INSERT, and every copy answers the same.',
    nodes: 3,
    seed: 1,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE fruit(name TEXT, qty INTEGER)' },
      { waitFor: 'converged' },
      { waitFor: 'converged', comment: 'after the learner’s INSERT' },
      { query: 'SELECT name, qty FROM fruit', node: 'n1', level: 'none' },
      { query: 'SELECT name, qty FROM fruit', node: 'n2', level: 'none' },
      { query: 'SELECT name, qty FROM fruit', node: 'n3', level: 'none' },
    ],
  },
  steps: [
    {
      title: 'Three servers, one database',
      text: [
        'Each circle is a server with its own copy of a SQLite database. The goal: copies that never disagree, so that losing a server loses no data.',
        'The servers have elected {leader} as their leader (the crown ♛). Only the leader decides what goes into the log next.',
      ],
      refs: [paper.rsm],
      run: 1,
      facts: [{ count: 'leader', is: 1 }],
      highlight: { nodes: ['n1', 'n2', 'n3'] },
    },
    {
      title: 'Copy the commands, not the data',
      text: [
        'The trick: do not copy the database, copy the list of commands that changed it. Same commands, in the same order, from the same empty start: the same database everywhere.',
        'That list is the log. A program that turns the same inputs into the same state is a state machine.',
      ],
      refs: [paper.rsm],
      facts: [{ count: 'leader', is: 1 }],
    },
    {
      title: 'A command enters the log',
      text: [
        'The tour sent CREATE TABLE fruit(…) to {leader}. Under the cluster, each row is one server’s log, each square an entry, with its term printed in it.',
        'The highlighted entry is at index 2 on every server; click a square to read its command. Index 1, drawn round, is the no-op every new leader writes first.',
      ],
      refs: [paper.replication],
      run: 2,
      facts: [
        { entry: { node: 'n1', index: 2, sql: 'CREATE TABLE fruit' } },
        { entry: { node: 'n2', index: 2, sql: 'CREATE TABLE fruit' } },
        { entry: { node: 'n3', index: 2, sql: 'CREATE TABLE fruit' } },
        { entry: { node: 'leader', index: 1 } },
      ],
      highlight: { cells: [{ index: 2 }] },
    },
    {
      title: 'Committed, then applied',
      text: [
        'An entry is committed once the leader that created it has it stored on a majority ({majority} of {voters}). Every later leader is then sure to have it.',
        'Only committed entries are applied to the databases. An entry not yet committed has a dashed outline.',
      ],
      refs: [paper.replication],
      facts: [{ node: 'leader', committed: 2 }, { converged: true }],
      highlight: { cells: [{ index: 2 }] },
    },
    {
      title: 'Your turn: write a row',
      text: [
        'Type an INSERT into the SQL console and press Ctrl+Enter (or Run), for example:',
        "INSERT INTO fruit VALUES('apple', 3)",
        'Any server will do: a follower forwards a write to the leader.',
      ],
      task: {
        kind: 'request',
        op: 'execute',
        sql: 'insert',
        prompt: 'Send an INSERT INTO fruit … from the console.',
        example: "INSERT INTO fruit VALUES('apple', 3)",
        confirm: true,
      },
      facts: [{ count: 'leader', is: 1 }],
      highlight: { target: 'sql-console' },
    },
    {
      title: 'Every copy answers the same',
      text: [
        'Your INSERT reached every log, was committed, and each server applied it to its own database.',
        'The tour then asked each server directly, with read level “none”: answer from your own copy. The three answers in the console are identical. The Tables tab shows the table on each node.',
      ],
      refs: [paper.rsm],
      run: 4,
      facts: [{ converged: true }, { output: 4, ok: true }, { output: 5, ok: true }, { output: 6, ok: true }],
      highlight: { cells: [{ index: 'last' }], target: 'tab-tables' },
    },
    {
      title: 'What Raft is for',
      text: [
        'Identical logs give identical databases: that is a replicated state machine. The hard part is keeping the logs identical while servers crash, messages are lost and the network splits.',
        'That is Raft’s job. The next tours show how.',
      ],
      refs: [paper.fig2],
    },
  ],
};
