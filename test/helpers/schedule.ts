import { expect } from 'vitest';
import type { SafetyMonitor } from '../../src/check/safety';
import type { Cluster } from '../../src/cluster/cluster';
import type { QueryResult } from '../../src/db/types';
import { defaultRaftOptions } from '../../src/raft/types';
import { exec } from './drive';

/**
 * Writes every run makes while the cluster is healthy, so that "no acknowledged write is lost" is
 * never checked over nothing: HEALTHY_WRITES before the schedule (they must survive all of it) and
 * as many after it, on the cluster it left behind.
 */
export const HEALTHY_WRITES = 3;
export const MIN_ACKED_WRITES = 2 * HEALTHY_WRITES;

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
 * Write `n` values with no fault in force, each through a different voter (so forwarded too): every
 * one must be acknowledged.
 */
export function writeHealthy(c: Cluster, writes: WriteLog, n = HEALTHY_WRITES): void {
  for (let i = 0; i < n; i++) {
    expect(c.world.runUntil(() => c.stableLeader() !== null, c.now + 10_000)).toBe(true);
    const voters = c.stableLeader()!.proc.raft!.config.voters;
    const v = writes.next++;
    const ans = exec(c, voters[i % voters.length], `INSERT INTO t(v) VALUES (${v})`, 5000);
    expect(ans.ok && !('error' in ans.result.results[0]), JSON.stringify(ans)).toBe(true);
    writes.acked.push(v);
  }
}

/**
 * End the schedule: heal, restart everyone, and require convergence and no safety violation; then
 * write HEALTHY_WRITES more and require, on every member of the leader's configuration, one database
 * content in which every acknowledged write is present exactly once and no value is there twice.
 * Returns how many writes were acknowledged in all.
 */
export function finishAndCheck(c: Cluster, monitor: SafetyMonitor, writes: WriteLog): number {
  c.heal();
  c.setNetwork({ drop: 0, duplicate: 0 });
  for (const id of c.servers.keys()) c.restart(id);
  // Healed is not yet healthy: a follower cut off until now may be about to time out, and without
  // pre-vote its election deposes the leader while the writes below are in flight ("leadership
  // lost", as Raft allows). Let every election timer that was running out fire first.
  c.world.advance(2 * defaultRaftOptions.electionTimeoutMax);
  expect(c.world.runUntil(() => c.converged(), c.now + 30_000)).toBe(true);
  writeHealthy(c, writes);
  const converged = c.world.runUntil(() => c.converged(), c.now + 30_000);
  monitor.finish();
  expect(monitor.violations()).toEqual([]);
  expect(converged).toBe(true);
  expect(writes.acked.length).toBeGreaterThanOrEqual(MIN_ACKED_WRITES);
  const cfg = c.leader()!.proc.raft!.config;
  const members = [...cfg.voters, ...cfg.learners];
  expect(new Set(members.map((m) => c.servers.get(m)!.db!.hash())).size).toBe(1);
  for (const m of members) {
    const [counts, values] = c.servers
      .get(m)!
      .query([{ sql: 'SELECT count(*), count(DISTINCT v) FROM t' }, { sql: 'SELECT v FROM t' }]);
    const [all, distinct] = (counts as QueryResult).values![0];
    // Exactly once: every value is written by one request only, so a value twice is one write applied twice.
    expect(all, `${m}: a value applied twice`).toBe(distinct);
    const present = new Set(((values as QueryResult).values ?? []).map((r) => r[0]));
    for (const v of writes.acked) expect(present.has(v), `${m}: acknowledged write ${v} lost`).toBe(true);
  }
  c.dispose();
  return writes.acked.length;
}
