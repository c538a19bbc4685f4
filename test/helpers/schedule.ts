import { expect } from 'vitest';
import type { SafetyMonitor } from '../../src/check/safety';
import type { Cluster } from '../../src/cluster/cluster';
import { exec } from './drive';

/** The fault and client actions both fault-schedule property tests draw from. */
export type CommonAction =
  | { t: 'kill' | 'restart'; n: number }
  | { t: 'partition'; cut: number }
  | { t: 'heal' }
  | { t: 'drop'; p: number }
  | { t: 'dup'; p: number }
  | { t: 'write'; n: number; count: number }
  | { t: 'wait'; ms: number };

export interface WriteLog {
  next: number;
  /** Values whose INSERT the client saw succeed: they must survive everything. */
  acked: number[];
}

/** Apply one action to the cluster; `ids` are the servers it may pick from. */
export function applyCommon(c: Cluster, a: CommonAction, ids: string[], writes: WriteLog): void {
  const id = ids[('n' in a ? a.n : 0) % ids.length];
  switch (a.t) {
    case 'kill':
      c.kill(id);
      return;
    case 'restart':
      c.restart(id);
      return;
    case 'partition': {
      const k = 1 + (a.cut % (ids.length - 1));
      c.partition([ids.slice(0, k), ids.slice(k)]);
      return;
    }
    case 'heal':
      c.heal();
      return;
    case 'drop':
      c.setNetwork({ drop: a.p });
      return;
    case 'dup':
      c.setNetwork({ duplicate: a.p });
      return;
    case 'wait':
      c.world.advance(a.ms);
      return;
    case 'write':
      for (let i = 0; i < a.count; i++) {
        const v = writes.next++;
        const ans = exec(c, id, `INSERT INTO t(v) VALUES (${v})`, 600);
        if (ans.ok && !('error' in ans.result.results[0])) writes.acked.push(v);
      }
      return;
  }
}

/**
 * End the schedule: heal, restart everyone, and require convergence, no safety violation, one
 * database content across the leader's configuration and every acknowledged write in it.
 */
export function finishAndCheck(c: Cluster, monitor: SafetyMonitor, writes: WriteLog): void {
  c.heal();
  c.setNetwork({ drop: 0, duplicate: 0 });
  for (const id of c.servers.keys()) c.restart(id);
  const converged = c.world.runUntil(() => c.converged(), c.now + 30_000);
  monitor.finish();
  expect(monitor.violations()).toEqual([]);
  expect(converged).toBe(true);
  const leader = c.leader()!;
  const cfg = leader.proc.raft!.config;
  const members = [...cfg.voters, ...cfg.learners];
  expect(new Set(members.map((m) => c.servers.get(m)!.db!.hash())).size).toBe(1);
  const rows = leader.query([{ sql: 'SELECT v FROM t ORDER BY v' }])[0];
  const present = new Set((rows.values ?? []).map((r) => r[0]));
  for (const v of writes.acked) expect(present.has(v)).toBe(true);
  c.dispose();
}
