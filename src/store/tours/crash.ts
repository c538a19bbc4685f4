import { paper } from './paper';
import type { Tour } from './types';

export const crashTour: Tour = {
  id: 'crash',
  title: '4. A leader crash and log repair',
  summary: 'A leader writes an entry nobody else gets, crashes, and on return has that entry overwritten.',
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
      text: ['Five servers, a leader, and a table everyone has (index 2 is committed everywhere).'],
      refs: [paper.replication],
      run: 3,
      highlight: { nodes: ['leader'] },
    },
    {
      title: 'A write that reaches nobody',
      text: [
        'The leader was just cut off from the network. It does not know: nothing tells a server that its messages vanish.',
        'A client then sent it an INSERT. The leader appended it to its log (highlighted) in its current term and sent it out — but the messages never arrive. Without a majority the entry cannot be committed, so the client is never told “done”: after 40 ms it gives up with “request timed out”.',
      ],
      refs: [paper.replication],
      run: 2,
      highlight: { cells: [{ node: 'leader', index: 'last' }], nodes: ['leader'], label: 'cut off' },
    },
    {
      title: 'Your turn: crash the old leader',
      text: ['Click the highlighted leader, open the Node tab and press “Stop (crash)”. Its log, with the uncommitted entry, stays on its disk.'],
      task: { kind: 'kill', node: 'leader', prompt: 'Crash the cut-off leader.' },
      select: 'leader',
      highlight: { nodes: ['leader'], target: 'tab-node' },
    },
    {
      title: 'Life goes on without it',
      text: [
        'The tour healed the network. The other four noticed the missing heartbeats, elected a new leader in a higher term, and that leader wrote its no-op and a new INSERT (“kept”) at the same positions where the dead server has its “lost” entry.',
        'Two logs now disagree at the same index. That is allowed for entries that were never committed.',
      ],
      refs: [paper.election, paper.crashes],
      run: 3,
      highlight: { nodes: ['leader'], cells: [{ index: 3 }] },
    },
    {
      title: 'Your turn: restart the old leader',
      text: ['Click the crashed server (✕ down), open the Node tab and press “Restart”.'],
      task: { kind: 'restart', prompt: 'Restart the crashed server.' },
      highlight: { target: 'tab-node' },
    },
    {
      title: 'A conflicting entry',
      text: [
        'The old leader is back, as a follower. Nobody has talked to it yet, so it still believes it is term 1, and its log still holds “lost” at index 3 from term 1. The log strip marks it: it conflicts with the leader’s entry at the same index.',
        'A server never decides by itself that its entry is wrong. The leader finds out with its next AppendEntries: the consistency check fails (“no”), the leader steps back, and sends its own entries from the point where the two logs agree.',
      ],
      refs: [paper.replication],
      run: 1,
      highlight: { cells: [{ index: 3 }], messages: ['append-no', 'append'] },
    },
    {
      title: 'Repaired',
      text: [
        'The follower deleted its conflicting entry and everything after it, and copied the leader’s. All five logs are identical again, and “lost” is gone from every database — which is fine, because no client was ever told it was written.',
        'Raft’s rule is simple: the leader’s log is right, and followers are made to match it. The election rule (a candidate needs a log at least as up-to-date as a majority’s) makes sure that a leader always has every committed entry, so only uncommitted entries are ever overwritten.',
      ],
      refs: [paper.replication, paper.restriction],
      run: 1,
      highlight: { cells: [{ index: 3 }] },
    },
  ],
};
