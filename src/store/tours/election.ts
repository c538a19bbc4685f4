import { paper } from './paper';
import type { Tour } from './types';

export const electionTour: Tour = {
  id: 'election',
  title: '2. Leader election and split votes',
  summary: 'Randomized timers, RequestVote, terms, a split vote, and a new election after the leader dies.',
  speed: 0.25,
  scenario: {
    name: 'Tour 2: leader election and split votes',
    description: 'Five servers with election timeouts of 150–200 ms: three time out together and split the vote in term 1; term 2 elects a leader.',
    nodes: 5,
    seed: 26,
    options: { electionTimeout: [150, 200] },
    steps: [
      { wait: 186, comment: 'n2, n5 and n1 have become candidates in term 1' },
      { wait: 120, comment: 'nobody has three votes' },
      { waitFor: 'leader', comment: 'term 2 elects n4' },
      { wait: 150 },
      { waitFor: 'leader', comment: 'after the learner kills the leader' },
      { wait: 200 },
    ],
  },
  steps: [
    {
      title: 'Everyone starts as a follower',
      text: [
        'Five servers have just started. None of them is the leader: they are all followers, waiting to hear from one.',
        'The ring around each server is its election timer, draining. If a follower hears nothing from a leader before its timer runs out, it assumes there is no leader and tries to become one.',
        'Each server picks its timeout at random (here between 150 and 200 ms), so usually one runs out clearly first. Press Next to watch.',
      ],
      refs: [paper.election],
      highlight: { nodes: ['n1', 'n2', 'n3', 'n4', 'n5'] },
    },
    {
      title: 'Candidates ask for votes',
      text: [
        'Three timers ran out within a few milliseconds of each other. Each of those servers became a candidate: it started a new term (term 1 — a term is Raft’s numbered “era”, with at most one leader each), voted for itself and sent RequestVote messages (“Vote?”) to everyone else.',
        'A server gives its vote to the first candidate that asks in a term, and only one vote per term. To win, a candidate needs votes from a majority: 3 of 5.',
      ],
      refs: [paper.basics, paper.election],
      run: 1,
      highlight: { nodes: ['n1', 'n2', 'n5'], messages: ['vote-req', 'vote-yes', 'vote-no'], label: 'candidate' },
    },
    {
      title: 'A split vote',
      text: [
        'The votes were split between the three candidates: nobody reached three. Term 1 ends without a leader.',
        'Nothing breaks. The candidates simply wait for their (new, random) election timers again, and whoever times out first starts term 2. Randomness makes it very unlikely that the same tie happens again — that is why Raft randomizes the timeouts.',
        'Look at the Events tab to read the vote requests and answers one by one.',
      ],
      refs: [paper.election, paper.timing],
      run: 1,
      highlight: { nodes: ['n1', 'n2', 'n5'], target: 'tab-events' },
    },
    {
      title: 'A leader for term 2',
      text: [
        'One server timed out first in term 2, collected three votes, and became the leader (♛). Its term number is shown inside every circle: everyone who heard from it now says T2.',
      ],
      refs: [paper.election],
      run: 1,
      highlight: { nodes: ['leader'], label: 'leader, term 2' },
    },
    {
      title: 'Heartbeats keep the leader in charge',
      text: [
        'A leader must keep telling the followers it is alive, or their timers will run out and they will start an election. It does this with small empty AppendEntries messages, called heartbeats (♥), sent every 50 ms.',
        'Every heartbeat resets a follower’s election timer: watch the rings fill up again each time one arrives.',
      ],
      refs: [paper.election],
      run: 1,
      highlight: { messages: ['heartbeat'], nodes: ['leader'] },
    },
    {
      title: 'Your turn: kill the leader',
      text: [
        'What happens when the leader crashes? Click the leader (the highlighted circle), open the Node tab, and press “Stop (crash)”.',
      ],
      task: { kind: 'kill', node: 'leader', prompt: 'Crash the leader: click it, Node tab, Stop (crash).' },
      select: 'leader',
      highlight: { nodes: ['leader'], target: 'tab-node' },
    },
    {
      title: 'The cluster elects a new leader',
      text: [
        'With no heartbeats arriving, the followers’ timers ran out. One of them started a new term, asked for votes, and the four survivors elected it: 3 of 5 is still a majority, even with one server down.',
        'The crashed server keeps what it wrote to disk (its term, its vote and its log). When it restarts, it will learn about the new term from the first message it gets and become a follower again.',
        'That is leader election: timers notice a missing leader, terms make sure there is at most one leader at a time, majorities make sure two leaders can never both win the same term.',
      ],
      refs: [paper.election, paper.crashes],
      run: 2,
      highlight: { nodes: ['leader'], label: 'new leader' },
    },
  ],
};
