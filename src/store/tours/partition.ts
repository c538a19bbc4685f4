import { paper } from './paper';
import type { Tour } from './types';

export const partitionTour: Tour = {
  id: 'partition',
  title: '5. Partitions: why the minority cannot commit',
  summary: 'A leader cut off with one follower keeps trying; the other three elect a new leader and carry on.',
  speed: 0.25,
  scenario: {
    name: 'Tour 5: network partition',
    description: 'The leader and one follower are cut off from the other three. The minority cannot commit; the majority elects a new leader. On heal, the old leader steps down and its uncommitted entry is replaced.',
    nodes: 5,
    seed: 3,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(v TEXT)' },
      { partition: [['leader', 'n1']] },
      { execute: "INSERT INTO t VALUES('minority')", timeout: 1000 },
      { wait: 500, comment: 'after the learner writes to the new leader' },
      { waitFor: 'converged', comment: 'after the learner heals the network' },
      { query: 'SELECT v FROM t', level: 'linearizable' },
    ],
  },
  steps: [
    {
      title: 'Five servers, majority three',
      text: ['Five servers, one leader, one table. Everything Raft decides needs a majority: with five servers, any three.'],
      refs: [paper.basics],
      run: 2,
      highlight: { nodes: ['leader'] },
    },
    {
      title: 'The network splits',
      text: [
        'The network just split in two: the leader and one follower on one side (dimmed), the other three on the other. Messages across the split are lost.',
        'Neither side knows what happened. The leader still thinks it leads.',
      ],
      refs: [paper.election],
      run: 1,
      highlight: { nodes: ['leader', 'n1'], label: 'minority' },
    },
    {
      title: 'The minority cannot commit',
      text: [
        'A client sent an INSERT to the old leader. It appended it (highlighted) and its follower copied it — but 2 of 5 is not a majority, so the entry is never committed and the client gets an error instead of “done”.',
        'Meanwhile the three on the other side stopped hearing heartbeats, held an election in a higher term and chose a new leader (♛). It can commit, because 3 of 5 is a majority. There are now two servers that call themselves leader, but only one of them can get anything done.',
      ],
      refs: [paper.election, paper.replication],
      run: 1,
      highlight: { nodes: ['leader'], cells: [{ node: 'n3', index: 3 }, { node: 'n1', index: 3 }], label: 'new leader' },
    },
    {
      title: 'Your turn: write on the majority side',
      text: [
        'Send an INSERT to the new leader: in the console set “to” to the server marked (leader) and run, for example:',
        "INSERT INTO t VALUES('majority')",
      ],
      task: { kind: 'request', op: 'execute', node: 'leader', sqlMatches: 'insert', prompt: 'Send an INSERT to the new leader.', example: "INSERT INTO t VALUES('majority')" },
      highlight: { target: 'sql-console', nodes: ['leader'] },
    },
    {
      title: 'Committed on the majority',
      text: ['The new leader replicated your INSERT to its two followers and committed it. The minority side has not seen it.'],
      refs: [paper.replication],
      run: 1,
      highlight: { cells: [{ node: 'leader', index: 'last' }] },
    },
    {
      title: 'Your turn: heal the network',
      text: ['Open the Network tab and press Heal.'],
      task: { kind: 'heal', prompt: 'Heal the partition (Network tab → Heal).' },
      highlight: { target: 'tab-network' },
    },
    {
      title: 'The old leader steps down',
      text: [
        'As soon as the old leader heard from the new one, it saw a higher term and became a follower: a server always gives way to a higher term.',
        'Its uncommitted “minority” entry conflicted with the new leader’s log and was replaced. The linearizable read at the end (see the console) shows only “majority”: nothing that was committed is lost, and nothing uncommitted sneaks in.',
      ],
      refs: [paper.basics, paper.replication],
      run: 2,
      highlight: { cells: [{ index: 'last' }] },
    },
  ],
};
