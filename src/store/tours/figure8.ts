import { paper } from './paper';
import type { Tour } from './types';

export const figure8Tour: Tour = {
  id: 'figure8',
  title: '6. Figure 8: the current-term commit rule',
  summary: 'An old entry stored on a majority is still overwritten — which is why a leader only counts replicas of its own term.',
  speed: 0.25,
  scenario: {
    name: 'Tour 6: Figure 8',
    description: 'The Raft paper’s Figure 8 replayed: an entry from term 1 reaches a majority, yet a later leader legally overwrites it. Because leaders only commit entries of their own term by counting replicas, it was never committed.',
    nodes: 5,
    seed: 1,
    options: { maxEntriesPerAppend: 1 },
    steps: [
      { waitFor: 'leader', comment: 'n5 wins the first election (term 1)' },
      { execute: 'CREATE TABLE t(v)' },
      { waitFor: 'converged' },
      { partition: [['n5', 'n1'], ['n2', 'n3', 'n4']] },
      { execute: "INSERT INTO t VALUES('a')", node: 'n5', timeout: 30 },
      { wait: 419 },
      { isolate: 'n2' },
      { partition: [['n5', 'n1', 'n3'], ['n4'], ['n2']] },
      { wait: 318 },
      { isolate: 'n1' },
      { partition: [['n2', 'n3', 'n4'], ['n5'], ['n1']] },
      { wait: 3000 },
      { heal: true },
      { waitFor: 'converged' },
    ],
  },
  steps: [
    {
      title: 'The setup',
      text: [
        'This tour replays Figure 8 of the Raft paper, the trickiest case in the algorithm. n5 leads term 1; index 2 (CREATE TABLE) is committed everywhere.',
        'To make every step visible, leaders here send one entry per message.',
      ],
      refs: [paper.oldTerms],
      run: 3,
      highlight: { nodes: ['n5'] },
    },
    {
      title: '(a) An entry reaches two servers',
      text: [
        'The network split n5 and n1 off from the rest. A client wrote ‘a’ to n5: it appended it at index 3 in term 1 and copied it to n1 only. Two of five: not committed.',
      ],
      refs: [paper.oldTerms],
      run: 2,
      highlight: { cells: [{ node: 'n5', index: 3 }, { node: 'n1', index: 3 }], nodes: ['n5', 'n1'] },
    },
    {
      title: '(b) A leader that never speaks',
      text: [
        'The other three elected n2 in term 2. At the very instant it won — before its own entry for index 3 reached anyone — n2 was cut off. n2 has an entry of term 2 at index 3; no one else does.',
      ],
      refs: [paper.oldTerms, paper.election],
      run: 2,
      highlight: { nodes: ['n2'], cells: [{ node: 'n2', index: 3 }] },
    },
    {
      title: '(c) The old entry is now on a majority',
      text: [
        'n5, n1 and n3 can talk again. n1 won a new term (4) and copied its log to n3, including ‘a’ at index 3 from term 1. Now ‘a’ is stored on three servers out of five — a majority.',
        'Is ‘a’ committed? It would be tempting to say yes. Raft says no: a leader only decides that an entry is committed by counting replicas if the entry is from the leader’s own current term. ‘a’ is from term 1, and n1 leads term 4.',
      ],
      refs: [paper.oldTerms],
      run: 2,
      highlight: { cells: [{ node: 'n5', index: 3 }, { node: 'n1', index: 3 }, { node: 'n3', index: 3 }], nodes: ['n1'] },
    },
    {
      title: '(d) …and it is overwritten',
      text: [
        'n1 was cut off; n2 came back together with n3 and n4. Its last log entry is from term 2, newer than their term 1, so its log counts as more up-to-date and they vote for it.',
        'As leader, n2 makes every follower’s log match its own: index 3 becomes n2’s term-2 entry and ‘a’ disappears from n3. An entry that was on a majority was overwritten.',
        'If n1 had counted three copies and declared ‘a’ committed (and told the client “done”, and applied it), a committed write would now have been lost. That is exactly what the current-term rule prevents.',
      ],
      refs: [paper.oldTerms, paper.restriction],
      run: 3,
      highlight: { cells: [{ index: 3 }], nodes: ['n2'] },
    },
    {
      title: 'Everyone converges',
      text: [
        'The network healed and every server now holds n2’s log. Old-term entries do get committed eventually, but only indirectly: once an entry of the current term is committed on top of them.',
        'To see the unsafe way, open the Safety tab and press “Show me: Figure 8 with the rule off”: the same schedule runs with leaders committing old-term entries by counting replicas, and the safety monitor catches a committed entry being lost (Leader Completeness, then State Machine Safety). “Jump to where it broke” takes you to the moment.',
      ],
      refs: [paper.oldTerms],
      run: 2,
      highlight: { cells: [{ index: 3 }] },
    },
  ],
};
