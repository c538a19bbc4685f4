import { paper, rqlite } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const nondeterminismTour: Tour = {
  ...about('nondeterminism'),
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
        'A replicated state machine works only if a command gives the same result on every server. RANDOM() picks a new number each run; datetime(\'now\') reads each server’s clock.',
        'If each server ran INSERT … VALUES(random()) itself, the copies would silently hold different numbers.',
      ],
      refs: [paper.rsm, rqlite.nondeterminism],
      run: 2,
      facts: [{ node: 'leader', committed: 2 }],
    },
    {
      title: 'Your turn: insert something random',
      text: ['Run this in the console (any server):', "INSERT INTO r VALUES(random(), randomblob(8), datetime('now'), CURRENT_TIMESTAMP, 'random()')"],
      task: {
        kind: 'request',
        op: 'execute',
        sql: 'nondeterministic',
        prompt: 'Insert a row using random() or now.',
        example: "INSERT INTO r VALUES(random(), randomblob(8), datetime('now'), CURRENT_TIMESTAMP, 'random()')",
        confirm: true,
      },
      facts: [{ count: 'leader', is: 1 }],
      highlight: { target: 'sql-console' },
    },
    {
      title: 'Rewritten before the log',
      text: [
        'Click the highlighted log square: the statement in the log is not what you typed. random() became a number, randomblob(8) a blob literal, \'now\' the leader’s time. The quoted text \'random()\' is a string, left alone.',
        'Every server applies the rewritten statement, so all store the same values.',
      ],
      refs: [rqlite.nondeterminism],
      run: 1,
      facts: [{ converged: true }],
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Here and in rqlite',
      text: [
        'This simulator rewrites at the leader, CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME included. rqlite rewrites RANDOM() and \'now\' at the node that first receives the statement, and does not rewrite the CURRENT_ keywords: its docs warn against them.',
      ],
      refs: [rqlite.nondeterminism],
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Three identical answers',
      text: [
        'The tour asked each server for the row from its own database (level none). The three answers match: same number, same blob, same timestamps.',
        'The lesson: whatever depends on the outside world is decided once, before the log, and written into it as data.',
      ],
      refs: [paper.rsm],
      run: 3,
      facts: [{ converged: true }, { output: 3, ok: true }, { output: 4, ok: true }, { output: 5, ok: true }],
      highlight: { target: 'sql-results' },
    },
  ],
};
