import { paper, rqlite, thesis } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const readsTour: Tour = {
  ...about('reads'),
  speed: 0.5,
  scenario: {
    name: 'Tour 7: read consistency levels',
    description: 'n3 is isolated; the others update the row. A none read on n3 is stale, with freshness it refuses, a linearizable read through n3 fails, one through n1 sees the new value.',
    nodes: 3,
    seed: 1,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(v TEXT)' },
      { execute: "INSERT INTO t VALUES('old')" },
      { waitFor: 'converged' },
      { isolate: 'n3' },
      { execute: "UPDATE t SET v = 'new'", node: 'n1' },
      { wait: 1000 },
      { query: 'SELECT v FROM t', node: 'n3', level: 'none', freshness: 500, comment: 'after the learner’s none read' },
      { query: 'SELECT v FROM t', node: 'n3', level: 'linearizable', timeout: 1000 },
      { query: 'SELECT v FROM t', node: 'n1', level: 'linearizable' },
    ],
  },
  steps: [
    {
      title: 'Reads are not free',
      text: [
        'Writes always go through the log. Reads could too, but that is slow, so rqlite lets a client choose how careful a read is.',
        'The table t has one row, v = ‘old’, on all three servers.',
      ],
      refs: [paper.clients, rqlite.consistency],
      run: 4,
      facts: [{ converged: true }, { leader: 'n1' }],
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'n3 is cut off',
      text: ['n3 was just isolated from the other two. It keeps its database, and will soon miss the heartbeats.'],
      refs: [paper.election],
      run: 1,
      facts: [{ isolated: 'n3' }, { node: 'n3', role: 'follower' }],
      highlight: { nodes: ['n3'], label: 'isolated' },
    },
    {
      title: 'The majority moves on',
      text: ['n1 and n2 committed UPDATE t SET v = ‘new’ at index 4. n3 never heard about it.'],
      refs: [paper.replication],
      run: 2,
      facts: [{ entry: { node: 'n1', index: 4, sql: 'UPDATE' } }, { node: 'n1', committed: 4 }, { node: 'n2', committed: 4 }, { entry: { node: 'n3', index: 4, absent: true } }],
      highlight: { cells: [{ index: 4 }] },
    },
    {
      title: 'Your turn: read from n3 with level “none”',
      text: ['In the console set “to” to n3 and “reads” to none, then run:', 'SELECT v FROM t', 'Level none means: answer from your own database, now, without asking anyone.'],
      task: { kind: 'request', op: 'query', node: 'n3', level: 'none', prompt: 'Query n3 with read level none.', example: 'SELECT v FROM t', confirm: true },
      facts: [{ isolated: 'n3' }],
      highlight: { target: 'sql-console', nodes: ['n3'] },
    },
    {
      title: 'A stale read',
      text: ['n3 answered from its own copy, which still says ‘old’: a stale read. Level none is instant and never blocks, but may return data overwritten long ago.'],
      refs: [rqlite.consistency],
      facts: [{ entry: { node: 'n3', index: 4, absent: true } }],
      highlight: { nodes: ['n3'] },
    },
    {
      title: 'Freshness',
      text: [
        'The tour asked n3 again with a freshness of 500 ms: refused, because n3 has not heard from a leader for longer than that.',
        'Freshness bounds how long since the server heard from a leader, not how old its data is: a follower that hears heartbeats can still lag behind.',
      ],
      refs: [rqlite.consistency],
      run: 1,
      facts: [{ output: 7, ok: false, code: 'stale' }, { isolated: 'n3' }],
      highlight: { nodes: ['n3'] },
    },
    {
      title: 'Linearizable: refuse rather than lie',
      text: [
        'A linearizable read is served by the leader with ReadIndex: it commits an entry of its own term, notes its commit index, confirms with a heartbeat round that a majority still follows it, waits until that index is applied, then reads.',
        'Sent to n3, which reaches no leader, the read failed. Through n1 it returned ‘new’.',
      ],
      refs: [thesis.readIndex, rqlite.consistency],
      run: 2,
      facts: [{ output: 8, ok: false }, { output: 9, ok: true, rows: [['new']] }, { isolated: 'n3' }, { leader: 'n1' }],
      highlight: { nodes: ['n1', 'n3'] },
    },
    {
      title: 'Which level when',
      text: [
        'none: the local copy. weak: the leader answers without checking that it still leads, so a deposed leader may answer stale for a moment — the case ReadIndex exists for. linearizable: ReadIndex’s round trip. strong: the read goes through the log itself, slowest of all.',
      ],
      refs: [rqlite.consistency, thesis.readIndex],
    },
  ],
};
