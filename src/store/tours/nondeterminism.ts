import { paper, rqlite } from './paper';
import type { Tour } from './types';

export const nondeterminismTour: Tour = {
  id: 'nondeterminism',
  title: '8. Non-deterministic SQL: why the leader rewrites it',
  summary: 'RANDOM() and “now” would differ on every server; the leader replaces them with values before logging.',
  speed: 0.5,
  scenario: {
    name: 'Tour 8: non-deterministic SQL',
    description: 'An INSERT with random(), randomblob() and datetime(now) is rewritten at the leader, so all three databases store the same values.',
    nodes: 3,
    seed: 9,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE r(a INTEGER, b BLOB, c TEXT, d TEXT, e TEXT)' },
      { waitFor: 'converged', comment: 'after the learner’s INSERT' },
      { query: 'SELECT a, hex(b), c, d, e FROM r', node: 'n1', level: 'none' },
      { query: 'SELECT a, hex(b), c, d, e FROM r', node: 'n2', level: 'none' },
      { query: 'SELECT a, hex(b), c, d, e FROM r', node: 'n3', level: 'none' },
    ],
  },
  steps: [
    {
      title: 'Same commands, same result?',
      text: [
        'A replicated state machine only works if running the same command gives the same result on every server (tour 1). Most SQL does. Some does not: RANDOM() picks a different number each time it runs, and datetime(\'now\') depends on each server’s clock.',
        'If each server ran INSERT … VALUES(random()) itself, the three databases would silently hold three different numbers.',
      ],
      refs: [paper.rsm, rqlite.nondeterminism],
      run: 2,
    },
    {
      title: 'Your turn: insert something random',
      text: ['Run this in the console (any server):', "INSERT INTO r VALUES(random(), randomblob(8), datetime('now'), CURRENT_TIMESTAMP, 'random()')"],
      task: {
        kind: 'request',
        op: 'execute',
        sqlMatches: 'random|now|current_',
        prompt: 'Insert a row using random() or now.',
        example: "INSERT INTO r VALUES(random(), randomblob(8), datetime('now'), CURRENT_TIMESTAMP, 'random()')",
      },
      highlight: { target: 'sql-console' },
    },
    {
      title: 'The leader rewrote it',
      text: [
        'Hover over the highlighted log square (the entry that was replicated): the statement in the log is not what you typed. Before appending, the leader replaced random() with a number, randomblob(8) with a literal blob and \'now\' with its own time. The text \'random()\' inside quotes was left alone: it is a string, not a call.',
        'What is replicated is the rewritten statement, so every server inserts exactly the same values.',
      ],
      refs: [rqlite.nondeterminism],
      run: 1,
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Three identical answers',
      text: [
        'The tour asked each server for the row from its own database (read level none). Compare the three answers in the console: the same number, the same blob, the same timestamps.',
        'The general lesson: the state machine must be deterministic. Whatever depends on the outside world (randomness, clocks) is decided once, by the leader, and written into the log as data.',
      ],
      refs: [paper.rsm],
      run: 3,
      highlight: { target: 'sql-results' },
    },
  ],
};
