import { paper, thesis } from './paper';
import { about } from './list';
import type { Tour } from './types';

const inserts = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => ({
    execute: `INSERT INTO t VALUES(${from + k}, zeroblob(2000))`,
  }));

export const snapshotsTour: Tour = {
  ...about('snapshots'),
  speed: 0.25,
  scenario: {
    name: 'Tour 9: snapshots and InstallSnapshot',
    description:
      'With a snapshot threshold of 12 each server compacts its log once 12 entries were applied since its last snapshot. A follower that was down while the leader compacted is brought back with InstallSnapshot, sent in chunks.',
    nodes: 3,
    seed: 3,
    options: { snapshotThreshold: 12 },
    steps: [
      { waitFor: 'leader' },
      {
        execute: 'CREATE TABLE t(v INTEGER, filler BLOB)',
        comment: '2 KB of zeros per row: a database big enough to need several chunks',
      },
      ...inserts(1, 4),
      { waitFor: 'converged' },
      {
        kill: 'n1',
        comment: 'after the learner took a snapshot: a follower goes down and misses what follows',
      },
      ...inserts(5, 16),
      { waitFor: 'converged', comment: 'every live server has compacted its log by now' },
      { wait: 38, comment: 'after the learner restarted n1: the last chunk of the snapshot is on its way' },
      { waitFor: 'converged' },
      { query: 'SELECT count(*) FROM t', node: 'n1', level: 'none' },
    ],
  },
  steps: [
    {
      title: 'A log that only grows',
      text: [
        'Every write is one more entry in every log. A real server runs for months: its log would fill the disk, and a restart would replay all of it.',
        'Yet once applied, an entry’s effect is in the database. (Each row here carries 2 KB of zeros, to make the database big.)',
      ],
      refs: [paper.compaction],
      run: 7,
      facts: [{ converged: true }, { node: 'leader', snapshot: 0 }],
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Your turn: take a snapshot on the leader',
      text: ['Click {leader}, open the Node tab and press “Take snapshot”. Watch its log strip: everything applied turns into one hatched block, “snapshot ≤ …”.'],
      task: { kind: 'snapshot', node: 'leader', prompt: 'Take a snapshot on the leader: click it, Node tab, Take snapshot.' },
      select: 'leader',
      facts: [{ count: 'leader', is: 1 }],
      highlight: { nodes: ['leader'], target: 'np-snapshot' },
    },
    {
      title: 'What a snapshot is',
      text: [
        '{leader} saved its whole database (the SQLite file), the index and term of the last entry it includes, and the latest configuration. Then it dropped every entry up to index {leader.snapshot}.',
        'Each server snapshots on its own: all applied the same committed entries.',
      ],
      refs: [paper.compaction, thesis.snapshots],
      facts: [{ node: 'leader', snapshot: { min: 1 } }],
      highlight: { nodes: ['leader'] },
    },
    {
      title: 'Falling behind',
      text: [
        'n1 crashed, and twelve more INSERTs were committed without it. Here a server snapshots by itself every 12 applied entries (rqlite too, with a larger number).',
        'The leader no longer has the entries n1 misses: AppendEntries cannot send them.',
      ],
      refs: [paper.compaction],
      run: 14,
      facts: [{ down: 'n1' }, { node: 'leader', snapshot: { min: 7 } }, { node: 'n1', lastIndex: { max: 6 } }],
      highlight: { nodes: ['n1'], label: 'missed 12 entries' },
    },
    {
      title: 'Your turn: restart n1',
      text: ['Click n1 (✕ down), open the Node tab and press “Restart”. Then watch the messages from the leader to it.'],
      task: { kind: 'restart', node: 'n1', prompt: 'Restart n1.' },
      select: 'n1',
      facts: [{ down: 'n1' }],
      highlight: { nodes: ['n1'], target: 'np-restart' },
    },
    {
      title: 'InstallSnapshot, in chunks',
      text: [
        'n1’s answer told the leader it needs entries older than its log, so the leader sends its snapshot file instead, 16 KB per “Snap” message. Click one to see its byte range.',
        'n1 answers each chunk with the offset it wants next, so a lost chunk is simply sent again.',
      ],
      refs: [paper.compaction],
      run: 1,
      facts: [{ up: 'n1' }],
      highlight: { nodes: ['n1'], messages: ['snapshot', 'snapshot-resp'] },
    },
    {
      title: 'Caught up',
      text: [
        'With the last chunk in, n1 replaced its log and database with the snapshot: it holds everything up to index {n1.snapshot}, and its log is empty after it until the next write. A read on n1 counts all 16 rows.',
        'A server too far behind receives the snapshot instead of the log.',
      ],
      refs: [paper.compaction],
      run: 2,
      facts: [{ node: 'n1', snapshot: 18 }, { node: 'n1', lastIndex: 18 }, { output: 23, ok: true, rows: [[16]] }],
      highlight: { nodes: ['n1'] },
    },
  ],
};
