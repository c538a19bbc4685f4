import { paper } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const figure8Tour: Tour = {
  ...about('figure8'),
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
        'This tour replays Figure 8 of the Raft paper, the subtlest case in the algorithm. n5 leads term {n5.term}; index 2 (CREATE TABLE) is committed everywhere.',
        'To make every step visible, leaders here send one entry per message.',
      ],
      refs: [paper.oldTerms],
      run: 3,
      facts: [{ leader: 'n5', term: 1 }, { converged: true }, { entry: { node: 'n5', index: 2, sql: 'CREATE TABLE' } }],
      highlight: { nodes: ['n5'] },
    },
    {
      title: '(a) An entry reaches two servers',
      text: [
        'The network split n5 and n1 off from the rest. A client wrote ‘a’ to n5: it appended it at index 3 in term {n5.log:3} and copied it to n1 only. Two of five: not committed.',
      ],
      refs: [paper.oldTerms],
      run: 2,
      facts: [{ together: ['n5', 'n1'] }, { apart: ['n5', 'n2'] }, { entry: { node: 'n5', index: 3, term: 1, sql: "'a'" } }, { entry: { node: 'n1', index: 3, term: 1 } }, { node: 'n5', committed: 2 }],
      highlight: { cells: [{ node: 'n5', index: 3 }, { node: 'n1', index: 3 }], nodes: ['n5', 'n1'] },
    },
    {
      title: '(b) A leader that never speaks',
      text: [
        'The other three elected n2 in term {n2.term}. At the instant it won, before its own entry for index 3 (term {n2.log:3}) reached anyone, n2 was cut off. No one else has that entry.',
      ],
      refs: [paper.oldTerms, paper.election],
      run: 2,
      facts: [{ node: 'n2', role: 'leader' }, { isolated: 'n2' }, { entry: { node: 'n2', index: 3, term: 3 } }, { entry: { node: 'n3', index: 3, absent: true } }, { entry: { node: 'n4', index: 3, absent: true } }],
      highlight: { nodes: ['n2'], cells: [{ node: 'n2', index: 3 }] },
    },
    {
      title: '(c) The old entry is now on a majority',
      text: [
        'n5, n1 and n3 can talk again. n1 won term {n1.term} and copied its log to n3, including ‘a’ at index 3 from term 1. ‘a’ is now on three of five servers: a majority.',
      ],
      refs: [paper.oldTerms],
      run: 2,
      facts: [
        { node: 'n1', role: 'leader' },
        { node: 'n1', term: 4 },
        { entry: { node: 'n3', index: 3, term: 1, sql: "'a'" } },
        { entry: { node: 'n5', index: 3, term: 1 } },
        { entry: { node: 'n1', index: 3, term: 1 } },
      ],
      highlight: { cells: [{ node: 'n5', index: 3 }, { node: 'n1', index: 3 }, { node: 'n3', index: 3 }], nodes: ['n1'] },
    },
    {
      title: 'Is ‘a’ committed?',
      text: [
        'Tempting to say yes. Raft says no: a leader counts replicas only for entries of its own current term. ‘a’ is from term 1 and n1 leads term {n1.term}, so n1 does not commit it.',
        'n1’s own entry of term {n1.log:4}, its no-op at index 4, is on two servers only.',
      ],
      refs: [paper.oldTerms],
      facts: [{ node: 'n1', committed: 2 }, { entry: { node: 'n3', index: 3, term: 1 } }, { entry: { node: 'n1', index: 4, term: 4 } }, { entry: { node: 'n5', index: 4, term: 4 } }, { entry: { node: 'n3', index: 4, absent: true } }],
      highlight: { cells: [{ index: 3 }, { node: 'n1', index: 4 }], nodes: ['n1'] },
    },
    {
      title: '(d) …and it is overwritten',
      text: [
        'n1 was cut off; n2 came back with n3 and n4. n2’s last entry was from term 3, n4’s from term 1: n2’s log was more up-to-date, so they elected it (term {n2.term}).',
        'n2 made the followers’ logs match its own: ‘a’ at index 3 was replaced by n2’s entry. An entry on a majority was overwritten.',
      ],
      refs: [paper.oldTerms, paper.restriction],
      run: 3,
      facts: [
        { leader: 'n2', term: 5 },
        { isolated: 'n1' },
        { entry: { node: 'n2', index: 3, term: 3 } },
        { entry: { node: 'n3', index: 3, term: 3 } },
        { entry: { node: 'n4', index: 2, term: 1 } },
        { entry: { node: 'n5', index: 3, term: 1, sql: "'a'" } },
      ],
      highlight: { cells: [{ index: 3 }], nodes: ['n2'] },
    },
    {
      title: 'Why the rule matters',
      text: [
        'Had n1 counted three copies and declared ‘a’ committed — told the client “done”, applied it — a committed write would now be lost. The current-term rule prevents exactly that.',
      ],
      refs: [paper.oldTerms, paper.safety],
      facts: [{ entry: { node: 'n2', index: 3, term: 3 } }, { entry: { node: 'n1', index: 3, term: 1 } }],
      highlight: { cells: [{ index: 3 }] },
    },
    {
      title: '(e) Why a new leader writes a no-op',
      text: [
        'Figure 8(e): had n1 got its own term-{n1.log:4} entry onto a majority first, ‘a’ below it would have been committed with it, and n2 could never have won.',
        'That is why every new leader appends a no-op of its term at once: committing it commits everything before it.',
      ],
      refs: [paper.oldTerms],
      facts: [{ entry: { node: 'n1', index: 4, term: 4 } }, { leader: 'n2' }],
      highlight: { cells: [{ node: 'n1', index: 4 }] },
    },
    {
      title: 'Everyone converges',
      text: [
        'The network healed and every server now holds n2’s log. Old-term entries are committed only indirectly, under an entry of the current term.',
        'To see the unsafe way, open the Safety tab and press “Show me: Figure 8 with the rule off”: the safety monitor catches a committed entry being lost.',
      ],
      refs: [paper.oldTerms],
      run: 2,
      facts: [{ converged: true }, { leader: 'n2' }],
      highlight: { cells: [{ index: 3 }] },
    },
  ],
};
