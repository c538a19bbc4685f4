import { paper } from './paper';
import type { Tour } from './types';

export const rsmTour: Tour = {
  id: 'rsm',
  title: '1. What a replicated state machine is',
  summary: 'Three servers keep three copies of one SQLite database identical by agreeing on one log of commands.',
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
        'Each circle is a server. Every server keeps its own copy of a SQLite database, and the point of the whole exercise is that the copies never disagree — so that if one server dies, the others still have all the data.',
        'The trick is simple to say: do not copy the database, copy the list of commands that changed it. If every server runs the same commands in the same order, starting from the same empty database, every copy ends up the same. That list of commands is the log, and a program that turns the same inputs into the same state is a state machine.',
        'First the servers pick one of themselves to be the leader (the crown ♛). Only the leader decides what goes into the log next.',
      ],
      refs: [paper.rsm],
      run: 1,
      highlight: { nodes: ['n1', 'n2', 'n3'] },
    },
    {
      title: 'A command enters the log',
      text: [
        'The tour just sent CREATE TABLE fruit(…) to the leader. The strips under the cluster are the three logs, one row per server, one square per entry, coloured by the leader’s term.',
        'The highlighted square is the CREATE TABLE command. It is in every server’s log at the same position (its index). The little “·” before it is a no-op every new leader writes first.',
        'A square with a dark outline is committed: a majority of servers store it, so it can never be lost. Only committed entries are applied to the databases.',
      ],
      refs: [paper.rsm, paper.replication],
      run: 2,
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Your turn: write a row',
      text: [
        'Type an INSERT into the SQL console on the right and press Ctrl+Enter (or Run). For example:',
        "INSERT INTO fruit VALUES('apple', 3)",
        'It does not matter which server the console sends it to: a follower forwards writes to the leader.',
      ],
      task: { kind: 'request', op: 'execute', sqlMatches: 'insert', prompt: 'Send an INSERT INTO fruit … from the console.', example: "INSERT INTO fruit VALUES('apple', 3)" },
      highlight: { target: 'sql-console' },
    },
    {
      title: 'Every copy answers the same',
      text: [
        'Your INSERT went into the log after the CREATE TABLE, reached every server, was committed and then applied by each one to its own database.',
        'The tour then asked each server directly (read level “none”: answer from your own copy, no questions asked). Look at the three answers in the console: they are identical, because the three databases ran exactly the same commands in exactly the same order.',
        'Open the Tables tab and click through the nodes to see the same table three times.',
      ],
      refs: [paper.rsm],
      run: 4,
      highlight: { cells: [{ index: 'last' }], target: 'tab-tables' },
    },
    {
      title: 'What Raft is for',
      text: [
        'That is a replicated state machine: identical logs give identical databases. Everything hard about it is keeping the logs identical while servers crash, messages get lost and the network splits. That is the job of Raft, the algorithm this page simulates.',
        'The next tours show its pieces: electing a leader, replicating and committing entries, and surviving crashes and partitions.',
      ],
      refs: [paper.fig2],
    },
  ],
};
