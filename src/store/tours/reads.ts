import { paper, rqlite } from './paper';
import type { Tour } from './types';

export const readsTour: Tour = {
  id: 'reads',
  title: '7. Read consistency: stale and linearizable reads',
  summary: 'A cut-off follower happily answers “none” reads with old data; a linearizable read refuses.',
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
        'Writes always go through the log. Reads could too, but that is slow, so rqlite lets the client choose how careful a read should be. This tour shows why the choice matters.',
        'The table t has one row, v = ‘old’, on all three servers.',
      ],
      refs: [paper.clients, rqlite.consistency],
      run: 4,
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'n3 is cut off',
      text: ['n3 has just been isolated from the other two. It is a follower; it will soon notice the missing heartbeats and try (and fail) to get elected, but it keeps its database.'],
      refs: [paper.election],
      run: 1,
      highlight: { nodes: ['n3'], label: 'isolated' },
    },
    {
      title: 'The majority moves on',
      text: ['The other two committed UPDATE t SET v = ‘new’. On n1 and n2 the row now says ‘new’; n3 never heard about it.'],
      refs: [paper.replication],
      run: 2,
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Your turn: read from n3 with level “none”',
      text: [
        'In the console set “to” to n3 and “reads” to none, then run:',
        'SELECT v FROM t',
        'Level none means: answer from your own database, right now, without asking anyone.',
      ],
      task: { kind: 'request', op: 'query', node: 'n3', level: 'none', prompt: 'Query n3 with read level none.', example: 'SELECT v FROM t' },
      highlight: { target: 'sql-console', nodes: ['n3'] },
    },
    {
      title: 'A stale read, then a refusal',
      text: [
        'n3 answered ‘old’ — a stale read. It is fast and never blocks, but it can return data that was overwritten long ago.',
        'The tour then sent the same query with “freshness”: 500 ms: n3 refuses, because it has not heard from a leader for longer than that. That is rqlite’s way to bound how stale a none read may be.',
      ],
      refs: [rqlite.consistency],
      run: 1,
      highlight: { nodes: ['n3'] },
    },
    {
      title: 'Linearizable: refuse rather than lie',
      text: [
        'Next, a linearizable read sent to n3. A linearizable read must return the latest committed value, so it is served by the leader, which first confirms with a majority that it is still the leader (a heartbeat round, the ReadIndex idea of §8). n3 cannot reach any leader, so after a second the read fails instead of answering.',
        'Finally the same linearizable read through n1 returns ‘new’. Strong reads are correct but cost a round trip; none reads are instant but may be stale; weak reads (the default) ask the leader without the extra check.',
      ],
      refs: [paper.clients, rqlite.consistency],
      run: 2,
      highlight: { nodes: ['n1', 'n3'] },
    },
  ],
};
