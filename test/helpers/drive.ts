import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { Cluster } from '../../src/cluster/cluster';
import type { Answer, ClusterOptions, ReadLevel } from '../../src/cluster/types';
import { SafetyMonitor } from '../../src/check/safety';

let sql: SqlJsStatic | null = null;
export async function sqljs(): Promise<SqlJsStatic> {
  sql ??= await initSqlJs();
  return sql;
}

export function makeCluster(SQL: SqlJsStatic, opts: Partial<ClusterOptions>): { cluster: Cluster; monitor: SafetyMonitor } {
  const cluster = new Cluster(SQL, opts);
  cluster.world.logLimit = 2000;
  const monitor = new SafetyMonitor(cluster);
  return { cluster, monitor };
}

/** Issue one request and run the simulation until it is answered. */
export function exec(c: Cluster, node: string, sql: string, timeout = 2000): Answer {
  let answer: Answer | null = null;
  c.request(node, { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout } }, (a) => (answer = a));
  c.world.runUntil(() => answer !== null, c.now + timeout + 1);
  return answer!;
}

export function query(c: Cluster, node: string, sql: string, level: ReadLevel = 'weak', timeout = 2000): Answer {
  let answer: Answer | null = null;
  c.request(node, { op: 'query', req: { statements: [{ sql }], level, timeout } }, (a) => (answer = a));
  c.world.runUntil(() => answer !== null, c.now + timeout + 1);
  return answer!;
}

export function waitLeader(c: Cluster, ms = 10_000): string {
  c.world.runUntil(() => c.stableLeader() !== null, c.now + ms);
  const l = c.stableLeader();
  if (!l) throw new Error('no leader');
  return l.id;
}
