import { paper, thesis } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const transferTour: Tour = {
  ...about('transfer'),
  speed: 0.25,
  scenario: {
    name: 'Tour 11: leadership transfer and timing',
    description: 'Three servers elect a leader and replicate a table; the learner hands leadership to a follower, which starts an election at once when the leader sends it TimeoutNow.',
    nodes: 3,
    seed: 11,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(v TEXT)' },
      { waitFor: 'converged' },
      { wait: 120, comment: 'after the learner asks for the transfer: TimeoutNow, one election, a new leader' },
    ],
  },
  steps: [
    {
      title: 'A leader to replace',
      text: [
        'Three servers; {$old} leads term {$old.term} and the table t is on every log.',
        'An operator may want another server to lead, say to restart {$old} for an upgrade. Crashing it would leave the cluster with no leader for an election timeout.',
      ],
      refs: [thesis.transfer],
      run: 3,
      bind: { old: 'leader' },
      facts: [{ leader: '$old' }, { converged: true }],
      highlight: { nodes: ['$old'] },
    },
    {
      title: 'Your turn: transfer leadership',
      text: ['Click a follower, open the Node tab and press “Transfer leadership here”.'],
      task: { kind: 'transfer', prompt: 'Hand leadership to a follower: click it, Node tab, “Transfer leadership here”.' },
      facts: [{ leader: '$old' }, { count: 'follower', is: 2 }],
      highlight: { target: 'tab-node' },
    },
    {
      title: 'TimeoutNow',
      text: [
        '{$old} stopped taking new writes, checked that {leader}’s log matched its own, and sent it TimeoutNow: “start an election now”.',
        '{leader} did not wait for its timer. It started term {leader.term} at once and won; {$old} saw the higher term and became a follower.',
      ],
      refs: [thesis.transfer],
      run: 1,
      bind: { heir: 'leader' },
      facts: [{ leader: '$heir' }, { node: '$old', role: 'follower' }, { node: '$old', term: { min: 2 } }],
      highlight: { messages: ['timeout-now', 'vote-req', 'vote-yes'], nodes: ['$old', '$heir'] },
    },
    {
      title: 'How long things take here',
      text: [
        'Raft keeps a leader only if broadcastTime ≪ electionTimeout ≪ MTBF, the time between failures of one server.',
        'Here a message takes {latency}, so a request and its reply take {roundTrip}. The leader sends a heartbeat every {heartbeat}; election timeouts are drawn from {electionTimeout}.',
      ],
      refs: [paper.timing, thesis.timing],
      facts: [{ leader: '$heir' }, { timing: { beats: { min: 2 } } }],
      highlight: { messages: ['heartbeat'], nodes: ['$heir'] },
    },
    {
      title: 'Why “much less than”',
      text: [
        'So a follower hears at least {beats} heartbeats before its shortest timeout can run out, and starts no needless election.',
        'Were a round trip longer than the timeout, followers would keep electing and no leader would last. Servers fail months apart, not every few hundred milliseconds.',
      ],
      refs: [paper.timing],
      facts: [{ timing: { beats: { min: 2 } } }],
    },
    {
      title: 'Transfer or crash',
      text: [
        'The transfer took a few round trips. After a crash the followers first wait out a timeout, from {electionTimeout}, with no leader (tour 2).',
        'Transfer gives up if the target does not win within an election timeout; the old leader then takes writes again.',
      ],
      refs: [thesis.transfer],
      facts: [{ leader: '$heir' }],
    },
  ],
};
