import { paper, thesis } from './paper';
import type { Tour } from './types';

const inserts = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, k) => ({
    execute: `INSERT INTO t VALUES(${from + k}, zeroblob(2000))`,
  }));

export const snapshotsTour: Tour = {
  id: 'snapshots',
  title: '9. Snapshots and InstallSnapshot',
  summary:
    'A log cannot grow forever: servers replace its old part with a copy of the database, and send that copy to a server that fell too far behind.',
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
        'Three servers; every write becomes one more entry in every log. The log is how servers agree — but a real server runs for months, and a log that only grows would fill its disk, and a server restarting would have to replay all of it.',
        'Yet once an entry is applied, the database already holds its effect. The entries themselves are only needed by a server that has not applied them yet.',
        '(Each row carries 2 KB of zeros, zeroblob(2000), only to make the database big enough to be sent in several pieces later on.)',
      ],
      refs: [paper.compaction],
      run: 7,
      highlight: { cells: [{ index: 'last' }] },
    },
    {
      title: 'Your turn: take a snapshot on the leader',
      text: [
        'Click the leader (highlighted), open the Node tab and press “Take snapshot”.',
        'Watch its log strip: everything it has applied turns into one hatched block, “snapshot ≤ …”.',
      ],
      task: {
        kind: 'snapshot',
        node: 'leader',
        prompt: 'Take a snapshot on the leader: click it, Node tab, Take snapshot.',
      },
      select: 'leader',
      highlight: { nodes: ['leader'], target: 'np-snapshot' },
    },
    {
      title: 'What a snapshot is',
      text: [
        'The leader wrote its whole database to one file (here: sql.js’s db.export(), the SQLite file) together with two numbers: the index and the term of the last entry the file includes. Then it threw away every entry up to that index.',
        'Nothing is lost: the file is the result of applying those entries, and the index and term let the consistency check of the next AppendEntries still work across the boundary. Each server takes its own snapshots, when it likes — no agreement is needed, because all of them applied the same committed entries.',
      ],
      refs: [paper.compaction, thesis.snapshots],
      highlight: { nodes: ['leader'] },
    },
    {
      title: 'Falling behind',
      text: [
        'n1 just crashed, and twelve more INSERTs were committed without it. In this cluster a server snapshots by itself every 12 applied entries (rqlite does the same, with a larger number), so the two live servers have compacted again.',
        'The leader no longer has the entries n1 is missing. It cannot send them with AppendEntries — they are gone.',
      ],
      refs: [paper.compaction],
      run: 14,
      highlight: { nodes: ['n1'], label: 'missed 12 entries' },
    },
    {
      title: 'Your turn: restart n1',
      text: [
        'Click n1 (✕ down), open the Node tab and press “Restart”. Then watch the messages from the leader to it.',
      ],
      task: { kind: 'restart', node: 'n1', prompt: 'Restart n1.' },
      select: 'n1',
      highlight: { nodes: ['n1'], target: 'np-restart' },
    },
    {
      title: 'InstallSnapshot, in chunks',
      text: [
        'The leader tried AppendEntries, learned from n1’s answer that n1 needs entries older than its log, and switched to InstallSnapshot: it sends its snapshot file, 16 KB at a time (the “Snap” messages; the one on its way now is the last of three). Click it to see its byte range.',
        'n1 answers each chunk with the offset it wants next, so a lost chunk is simply sent again. When the last chunk is in, n1 throws away its whole log and its database and loads the file instead.',
      ],
      refs: [paper.compaction],
      run: 1,
      highlight: { nodes: ['n1'], messages: ['snapshot', 'snapshot-resp'] },
    },
    {
      title: 'Caught up',
      text: [
        'n1’s log now starts at the snapshot boundary, followed by the few entries written after it, and a read on n1 itself (level none) counts all 16 rows.',
        'That is the whole trick: a snapshot replaces a prefix of the log, and a server too far behind receives the snapshot instead of the prefix.',
      ],
      refs: [paper.compaction],
      run: 2,
      highlight: { nodes: ['n1'] },
    },
  ],
};
