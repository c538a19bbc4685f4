import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRaftOptions } from '../../src/raft/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';
import {
  applyCommon,
  finishAndCheck,
  writeHealthy,
  type CommonAction,
  type WriteLog,
} from '../helpers/schedule';

type Action = CommonAction;

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.constant('kill' as const), n: fc.nat(8) }),
  fc.record({ t: fc.constant('restart' as const), n: fc.nat(8) }),
  fc.record({ t: fc.constant('partition' as const), cut: fc.nat(8) }),
  fc.record({ t: fc.constant('heal' as const) }),
  fc.record({ t: fc.constant('drop' as const), p: fc.double({ min: 0, max: 0.3, noNaN: true }) }),
  fc.record({ t: fc.constant('dup' as const), p: fc.double({ min: 0, max: 0.3, noNaN: true }) }),
  fc.record({ t: fc.constant('write' as const), n: fc.nat(8), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 10, max: 1500 }) }),
);

async function runSchedule(nodes: number, seed: number, preVote: boolean, actions: Action[]): Promise<void> {
  const SQL = await sqljs();
  const { cluster: c, monitor } = makeCluster(SQL, { nodes, seed, raft: { ...defaultRaftOptions, preVote } });
  waitLeader(c);
  expect(exec(c, 'n1', 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
  const ids = [...c.servers.keys()];
  const writes: WriteLog = { next: 1, acked: [] };
  writeHealthy(c, writes);
  for (const a of actions) applyCommon(c, a, ids, writes);
  finishAndCheck(c, monitor, writes);
}

/**
 * Found by this property (3 nodes): n3, cut off until the final heal, timed out 19 ms after it and
 * deposed the leader while the first after-heal write was in flight. Kept as a fixed example.
 */
const REJOIN_ELECTION: [number, boolean, Action[]] = [
  869775,
  false,
  [
    { t: 'wait', ms: 1318 },
    { t: 'drop', p: 1e-7 },
    { t: 'write', n: 0, count: 2 },
    { t: 'dup', p: 1e-7 },
    { t: 'wait', ms: 280 },
    { t: 'partition', cut: 7 },
    { t: 'restart', n: 0 },
    { t: 'wait', ms: 244 },
    { t: 'dup', p: 0 },
    { t: 'heal' },
  ],
];

describe('random fault schedules keep Raft safe and acknowledged writes durable', () => {
  for (const nodes of [3, 5, 7]) {
    it(`${nodes} nodes`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.boolean(),
          fc.array(action, { minLength: 4, maxLength: 40 }),
          (seed, preVote, actions) => runSchedule(nodes, seed, preVote, actions),
        ),
        { numRuns: nodes === 7 ? 100 : 200, examples: nodes === 3 ? [REJOIN_ELECTION] : [] },
      );
    });
  }
});
