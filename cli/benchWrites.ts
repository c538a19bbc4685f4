// The write figures' machinery for `npm run bench`: writes through a 5-node cluster and the same
// statements applied straight to five sql.js databases, measured in CPU time, in pairs.
import type { Database, SqlJsStatic } from 'sql.js';
import { Cluster } from '../src/cluster/cluster';
import type { Answer, ClientOp } from '../src/cluster/types';

/** The pragmas every node's database runs with (src/db/database.ts). */
const PRAGMAS = 'PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY;';
/** Writes in flight at once in the throughput figures; the baseline commits them in batches of this size too. */
export const IN_FLIGHT = 50;

export interface Stat {
  min: number;
  median: number;
}

/** A figure and its baseline measured in pairs: each side's min and median, and the median of the pairs' ratios (baseline ÷ figure). */
export interface Paired {
  measured: Stat;
  baseline: Stat;
  ratio: number;
}

export function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

export const statOf = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};

/**
 * CPU ms of `a` and of its baseline `b`, each once to warm up, then `pairs` times in turns (a b, b a,
 * a b …): this machine's load drifts within a minute, and measured one after the other (all of `a`,
 * then all of `b`) the ratio of a row moved with the drift as much as with the code. The two runs of
 * a pair meet the same load, so the ratio is taken pair by pair.
 */
export function measurePairs(a: () => void, b: () => void, pairs: number): Paired {
  a();
  b();
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 0; r < pairs; r++) {
    if (r % 2 === 0) {
      xs.push(cpuMs(a));
      ys.push(cpuMs(b));
    } else {
      ys.push(cpuMs(b));
      xs.push(cpuMs(a));
    }
  }
  return { measured: statOf(xs), baseline: statOf(ys), ratio: statOf(xs.map((x, i) => ys[i] / x)).median };
}

const insertSql = (i: number) => `INSERT INTO t(k, v) VALUES (${i}, 'value-${i}')`;
const write = (sql: string, timeout = 60_000): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout } });

/** The write figures' runs, on `SQL`. */
export function writeBench(SQL: SqlJsStatic) {
  function tunedDbs(): Database[] {
    const dbs = Array.from({ length: 5 }, () => new SQL.Database());
    for (const db of dbs) db.run(`${PRAGMAS} CREATE TABLE t(k INTEGER, v TEXT)`);
    return dbs;
  }

  /** The baseline: the same INSERTs straight on 5 tuned sql.js databases, `batch` per transaction (1: none). */
  function directApply(n: number, batch: number): () => void {
    return () => {
      const dbs = tunedDbs();
      for (let i = 0; i < n; i += batch) {
        for (const db of dbs) {
          if (batch > 1) db.run('BEGIN');
          for (let j = i; j < Math.min(n, i + batch); j++) db.run(insertSql(j));
          if (batch > 1) db.run('COMMIT');
        }
      }
      dbs.forEach((d) => d.close());
    };
  }

  /** A 5-node cluster with the default options (snapshots included), a leader and the table, ready for writes. */
  function readyCluster(): { c: Cluster; leader: string } {
    const c = new Cluster(SQL, { nodes: 5, seed: 1 });
    c.world.logLimit = 0;
    c.world.runUntil(() => c.stableLeader() !== null, 10_000);
    let done = false;
    c.request(c.stableLeader()!.id, write('CREATE TABLE t(k INTEGER, v TEXT)'), () => (done = true));
    c.world.runUntil(() => done, c.now + 5000);
    return { c, leader: c.stableLeader()!.id };
  }

  /** Writes `from`…`to`-1 through Raft, `inFlight` at a time, until every node has applied them. */
  function replicate(c: Cluster, leader: string, from: number, to: number, inFlight: number, sample?: () => void): void {
    let answered = from;
    for (let i = from; i < to; i += inFlight) {
      const end = Math.min(to, i + inFlight);
      for (let j = i; j < end; j++) c.request(leader, write(insertSql(j)), (a: Answer) => void (a.ok && answered++));
      c.world.runUntil(() => answered >= end, c.now + 60_000);
      sample?.();
    }
    c.world.runUntil(() => c.converged(), c.now + 10_000);
    // A follower may still hold plain writes it lets wait (NodeDatabase.applyLater): apply them here,
    // so that every write's cost on every node is in the figure.
    for (const s of c.servers.values()) s.db?.settle();
  }

  function replicated(n: number, inFlight: number): () => void {
    return () => {
      const { c, leader } = readyCluster();
      replicate(c, leader, 0, n, inFlight);
      c.dispose();
    };
  }

  return { cpuMs, statOf, directApply, readyCluster, replicate, replicated };
}
