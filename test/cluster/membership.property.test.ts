import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRaftOptions } from '../../src/raft/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';
import { applyCommon, finishAndCheck, writeHealthy, type CommonAction, type WriteLog } from '../helpers/schedule';

/**
 * The fault schedules of faults.property.test.ts with the operator actions mixed in:
 * forced snapshots (and a threshold low enough that logs compact on their own, so followers coming
 * back need InstallSnapshot), joins of new or previously removed servers, removals and transfers.
 */
type Action =
  | CommonAction
  | { t: 'snapshot' | 'remove' | 'transfer'; n: number }
  | { t: 'join'; n: number; voter: boolean };

const node = fc.nat(10);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    t: fc.constantFrom(
      'kill' as const,
      'restart' as const,
      'snapshot' as const,
      'remove' as const,
      'transfer' as const,
    ),
    n: node,
  }),
  fc.record({ t: fc.constant('join' as const), n: node, voter: fc.boolean() }),
  fc.record({ t: fc.constant('partition' as const), cut: fc.nat(8) }),
  fc.record({ t: fc.constant('heal' as const) }),
  fc.record({ t: fc.constant('drop' as const), p: fc.double({ min: 0, max: 0.2, noNaN: true }) }),
  fc.record({ t: fc.constant('write' as const), n: node, count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 10, max: 1500 }) }),
);

async function runSchedule(
  nodes: number,
  seed: number,
  actions: Action[],
): Promise<{ snapshots: number; changes: number }> {
  const SQL = await sqljs();
  const { cluster: c, monitor } = makeCluster(SQL, {
    nodes,
    seed,
    snapshotThreshold: 8,
    raft: { ...defaultRaftOptions },
  });
  waitLeader(c);
  expect(exec(c, 'n1', 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
  // Two spare ids beyond the initial ones, so joins add genuinely new servers as well as old ones.
  const pool = Array.from({ length: nodes + 2 }, (_, i) => `n${i + 1}`);
  const writes: WriteLog = { next: 1, acked: [] };
  writeHealthy(c, writes);
  let snapshots = 0;
  let changes = 0;
  for (const a of actions) {
    const known = [...c.servers.keys()];
    const id =
      known[
        a.t === 'partition' || a.t === 'heal' || a.t === 'drop' || a.t === 'dup' || a.t === 'wait'
          ? 0
          : a.n % known.length
      ];
    switch (a.t) {
      case 'snapshot': {
        const s = c.servers.get(id)!;
        if (s.alive) {
          s.snapshot();
          snapshots++;
        }
        break;
      }
      case 'remove':
        if (c.membership.remove(id).ok) changes++;
        break;
      case 'join':
        if (c.membership.join(pool[a.n % pool.length], a.voter).ok) changes++;
        break;
      case 'transfer':
        c.membership.transfer(id);
        break;
      default:
        applyCommon(c, a, known, writes);
    }
  }
  finishAndCheck(c, monitor, writes);
  return { snapshots, changes };
}

describe('random schedules with snapshots, joins, removals and transfers stay safe', () => {
  for (const nodes of [3, 5]) {
    it(`${nodes} nodes`, async () => {
      let snapshots = 0;
      let changes = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.array(action, { minLength: 6, maxLength: 40 }),
          async (seed, actions) => {
            const r = await runSchedule(nodes, seed, actions);
            snapshots += r.snapshots;
            changes += r.changes;
          },
        ),
        { numRuns: 300 },
      );
      // The schedules must really exercise what they claim to.
      expect(snapshots).toBeGreaterThan(60);
      expect(changes).toBeGreaterThan(60);
    });
  }
});
