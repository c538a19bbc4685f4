import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRaftOptions } from '../../src/raft/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

type Action =
  | { t: 'kill'; n: number }
  | { t: 'restart'; n: number }
  | { t: 'partition'; cut: number }
  | { t: 'heal' }
  | { t: 'drop'; p: number }
  | { t: 'dup'; p: number }
  | { t: 'write'; n: number; count: number }
  | { t: 'wait'; ms: number };

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
  const acked: number[] = [];
  let next = 1;
  for (const a of actions) {
    const id = ids[('n' in a ? a.n : 0) % ids.length];
    switch (a.t) {
      case 'kill':
        c.kill(id);
        break;
      case 'restart':
        c.restart(id);
        break;
      case 'partition': {
        const k = 1 + (a.cut % (ids.length - 1));
        c.partition([ids.slice(0, k), ids.slice(k)]);
        break;
      }
      case 'heal':
        c.heal();
        break;
      case 'drop':
        c.setNetwork({ drop: a.p });
        break;
      case 'dup':
        c.setNetwork({ duplicate: a.p });
        break;
      case 'wait':
        c.world.advance(a.ms);
        break;
      case 'write':
        for (let i = 0; i < a.count; i++) {
          const v = next++;
          const ans = exec(c, id, `INSERT INTO t(v) VALUES (${v})`, 600);
          if (ans.ok && !('error' in ans.result.results[0])) acked.push(v);
        }
        break;
    }
  }
  c.heal();
  c.setNetwork({ drop: 0, duplicate: 0 });
  for (const id of ids) c.restart(id);
  const converged = c.world.runUntil(() => c.converged(), c.now + 30_000);
  monitor.finish();
  expect(monitor.violations()).toEqual([]);
  expect(converged).toBe(true);
  const hashes = new Set([...c.servers.values()].map((s) => s.db!.hash()));
  expect(hashes.size).toBe(1);
  const rows = c.servers.get(ids[0])!.query([{ sql: 'SELECT v FROM t ORDER BY v' }])[0];
  const present = new Set((rows.values ?? []).map((r) => r[0]));
  for (const v of acked) expect(present.has(v)).toBe(true);
  c.dispose();
}

describe('random fault schedules keep Raft safe and acknowledged writes durable', () => {
  for (const nodes of [3, 5, 7]) {
    it(`${nodes} nodes`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), fc.array(action, { minLength: 4, maxLength: 40 }), (seed, preVote, actions) =>
          runSchedule(nodes, seed, preVote, actions),
        ),
        { numRuns: nodes === 7 ? 100 : 200 },
      );
    });
  }
});
