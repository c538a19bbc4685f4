import { paper } from './paper';
import { about } from './list';
import type { Tour } from './types';

export const electionTour: Tour = {
  ...about('election'),
  speed: 0.25,
  scenario: {
    name: 'Tour 2: leader election and split votes',
    // Pre-vote off: this first election lesson shows plain Raft; tour 5 introduces pre-vote where it matters.
    description: 'Five servers with election timeouts of 150–200 ms and no pre-vote: three time out together and split the vote in term 1; term 2 elects a leader.',
    nodes: 5,
    seed: 286,
    options: { electionTimeout: [150, 200], preVote: false },
    steps: [
      { wait: 161, comment: 'three servers have become candidates in term 1' },
      { wait: 171, comment: 'each lost and went back to follower; nobody has started term 2 yet' },
      { waitFor: 'leader', comment: 'term 2 elects a leader' },
      { wait: 150 },
      { waitFor: 'leader', comment: 'after the learner kills the leader' },
      { wait: 200 },
    ],
  },
  steps: [
    {
      title: 'Everyone starts as a follower',
      text: [
        'Five servers have just started. All are followers, waiting to hear from a leader.',
        'The ring around each is its election timer. If it runs out before a leader speaks, the server tries to become leader. Timeouts are random (here 150–200 ms), so usually one runs out first.',
      ],
      refs: [paper.election],
      facts: [{ noLeader: true }, { count: 'follower', is: 5 }, { highestTerm: 0 }],
      highlight: { nodes: ['n1', 'n2', 'n3', 'n4', 'n5'] },
    },
    {
      title: 'Candidates ask for votes',
      text: [
        'The timers of {candidates} ran out within a few milliseconds. Each became a candidate: it started term {term} (a numbered era), voted for itself and sent RequestVote (“Vote?”) to everyone.',
        'To win, a candidate needs {majority} of {voters} votes.',
      ],
      refs: [paper.basics, paper.election],
      run: 1,
      facts: [{ count: 'candidate', is: 3 }, { highestTerm: 1 }, { noLeader: true }],
      highlight: { messages: ['vote-req', 'vote-yes', 'vote-no'], label: 'candidate' },
    },
    {
      title: 'One vote per term',
      text: [
        'A server grants at most one vote per term, first come first served, and only to a candidate whose log is at least as up-to-date as its own (the election restriction, tour 4).',
        'So two candidates can never both collect a majority in the same term.',
      ],
      refs: [paper.election, paper.restriction],
      facts: [{ count: 'candidate', is: 3 }, { highestTerm: 1 }],
      highlight: { messages: ['vote-req', 'vote-yes', 'vote-no'] },
    },
    {
      title: 'A split vote',
      text: [
        'The votes split: no candidate reached {majority}. Each saw a majority answer “no”, knew it had lost, and became a follower again. Term {term} ends without a leader.',
        'Nothing breaks. New random timeouts make a second tie unlikely: that is why Raft randomizes them. The Events tab lists every vote.',
      ],
      refs: [paper.election, paper.timing],
      run: 1,
      facts: [{ noLeader: true }, { count: 'candidate', is: 0 }, { highestTerm: 1 }],
      highlight: { target: 'tab-events' },
    },
    {
      title: 'A leader is elected',
      text: [
        '{leader} timed out first this time, started term {leader.term}, collected {majority} votes and became the leader (♛). Every server that heard from it shows T{leader.term}.',
      ],
      refs: [paper.election],
      run: 1,
      bind: { first: 'leader' },
      facts: [{ leader: '$first', term: 2 }],
      highlight: { nodes: ['$first'], label: 'leader' },
    },
    {
      title: 'Heartbeats keep the leader in charge',
      text: [
        'A leader stops new elections by sending AppendEntries every 50 ms, even with nothing to add: heartbeats (♥). Each one resets a follower’s timer — watch the rings refill.',
      ],
      refs: [paper.election],
      run: 1,
      facts: [{ leader: '$first' }],
      highlight: { messages: ['heartbeat'], nodes: ['$first'] },
    },
    {
      title: 'Your turn: crash the leader',
      text: ['What if the leader crashes? Click {$first}, open the Node tab and press “Stop (crash)”.'],
      task: { kind: 'kill', node: '$first', prompt: 'Crash the leader: click it, Node tab, Stop (crash).' },
      select: '$first',
      facts: [{ leader: '$first' }],
      highlight: { nodes: ['$first'], target: 'tab-node' },
    },
    {
      title: 'A new leader',
      text: [
        'With no heartbeats, the followers’ timers ran out. {leader} won term {leader.term}: four live servers still hold a majority of five.',
        'Every attempt uses a new term, won or split, so terms may advance by more than one.',
      ],
      refs: [paper.election],
      run: 2,
      facts: [{ down: '$first' }, { count: 'leader', is: 1 }, { node: 'leader', term: { min: 3 } }],
      highlight: { nodes: ['leader'], label: 'new leader' },
    },
    {
      title: 'What elections guarantee',
      text: [
        '{$first} kept its term, vote and log on disk — a server persists them before it answers — and will rejoin as a follower.',
        'At most one leader per term: two winners would need two majorities, which share a server that votes once. Two servers may still both believe they lead, in different terms (tour 5).',
      ],
      refs: [paper.basics, paper.election],
      facts: [{ down: '$first' }],
    },
  ],
};
