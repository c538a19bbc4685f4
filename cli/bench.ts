// `npm run bench`: headless speed and memory figures, each a ratio against a baseline measured in
// the same run. Every timed figure is warm (one run first, thrown away), repeated, and counted in CPU
// time (process.cpuUsage: wall time on a shared machine swings 2–3×); the table gives min and median.
import initSqlJs, { type Database } from 'sql.js';
import { Cluster } from '../src/cluster/cluster';
import type { Answer, ClientOp } from '../src/cluster/types';
import { BareCluster } from '../src/sim/bareCluster';

const SQL = await initSqlJs();
const quick = process.argv.includes('--quick');
const REPS = quick ? 3 : 5;
const rows: string[][] = [];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
/** The pragmas every node's database runs with (src/db/database.ts). */
const PRAGMAS = 'PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY;';
/** Writes in flight at once in the throughput figures; the baseline commits them in batches of this size too. */
const IN_FLIGHT = 50;

interface Stat {
  min: number;
  median: number;
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** CPU ms of `fn`, once to warm up, then REPS times. */
function measure(fn: () => void): Stat {
  fn();
  const xs = Array.from({ length: REPS }, () => cpuMs(fn)).sort((a, b) => a - b);
  return { min: xs[0], median: xs[Math.floor(xs.length / 2)] };
}

const insertSql = (i: number) => `INSERT INTO t(k, v) VALUES (${i}, 'value-${i}')`;
const write = (sql: string, timeout = 60_000): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout } });

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

/** A 5-node cluster with a leader and the table, ready for writes. */
function readyCluster(threshold: number): { c: Cluster; leader: string } {
  const c = new Cluster(SQL, { nodes: 5, seed: 1, snapshotThreshold: threshold });
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
}

function replicated(n: number, inFlight: number): () => void {
  return () => {
    const { c, leader } = readyCluster(1000);
    replicate(c, leader, 0, n, inFlight);
    c.dispose();
  };
}

const ratioRow = (figure: string, measured: Stat, baseline: Stat, baseName: string, perUnit: number, unit: string, target: string) =>
  rows.push([
    figure,
    `${fmt(perUnit / (measured.median / 1000))} ${unit} (min CPU ${fmt(measured.min)} / median ${fmt(measured.median)} ms)`,
    `${baseName}: ${fmt(perUnit / (baseline.median / 1000))} ${unit} (${fmt(baseline.min)} / ${fmt(baseline.median)} ms)`,
    `${fmt(baseline.min / measured.min, 2)} / ${fmt(baseline.median / measured.median, 2)}`,
    target,
  ]);

// 1. Throughput: writes in flight together, against the same statements batched the same way.
const n = quick ? 2000 : 10_000;
ratioRow(
  `replicated INSERTs, 5 nodes, ${IN_FLIGHT} in flight`,
  measure(replicated(n, IN_FLIGHT)),
  measure(directApply(n, IN_FLIGHT)),
  `direct ×5, same pragmas, ${IN_FLIGHT} per transaction`,
  n,
  'writes/s',
  '≥ 0.8',
);

// 2. One write at a time, as a learner, a scenario or a tour writes: wait for each answer.
const seq = quick ? 500 : 2000;
ratioRow('sequential INSERTs, 5 nodes, one at a time', measure(replicated(seq, 1)), measure(directApply(seq, 1)), 'direct ×5, same pragmas, one per statement', seq, 'writes/s', '≥ 0.5');

// 3. Large tables: the write rate once the table holds many rows, against the rate at 1k rows.
{
  const big = quick ? 20_000 : 100_000;
  const window = quick ? 1000 : 2000;
  const { c, leader } = readyCluster(1000);
  replicate(c, leader, 0, 1000, IN_FLIGHT);
  const small = cpuMs(() => replicate(c, leader, 1000, 1000 + window, IN_FLIGHT));
  replicate(c, leader, 1000 + window, big, IN_FLIGHT);
  const large = cpuMs(() => replicate(c, leader, big, big + window, IN_FLIGHT));
  c.dispose();
  rows.push([
    `write rate with ${fmt(big)} rows (${fmt(window)} writes, one run)`,
    `${fmt(window / (large / 1000))} writes/s (CPU ${fmt(large)} ms)`,
    `with 1,000 rows: ${fmt(window / (small / 1000))} writes/s (CPU ${fmt(small)} ms)`,
    fmt(small / large, 2),
    '≥ 0.8',
  ]);
}

// 4. The simulator alone: events per CPU second with a no-op state machine.
{
  const c = new BareCluster(5, 1);
  c.world.logLimit = 0;
  c.world.runUntil(() => c.leader() !== null, 5000);
  const e0 = c.world.eventCount;
  const rounds = quick ? 300 : 1500;
  const ms = cpuMs(() => {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < 50; i++) c.propose(null);
      c.world.advance(20);
      for (const p of c.procs.values()) if (p.raft && p.raft.lastApplied > 1000) p.raft.compact(p.raft.lastApplied - 100, new Uint8Array(0));
    }
  });
  const events = c.world.eventCount - e0;
  rows.push(['simulated events per CPU second, no-op state machine', fmt(events / (ms / 1000)), '1,000,000 (target)', fmt(events / (ms / 1000) / 1_000_000, 2), '≥ 1.0']);
}

// 5. Memory: logs stay bounded by snapshots, and so does the JS heap over a long run. (sql.js's wasm
// heap cannot be read from outside; that a dropped cluster frees its databases is a unit test.)
{
  const gc = (globalThis as { gc?: () => void }).gc;
  const big = quick ? 10_000 : 100_000;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const { c, leader } = readyCluster(1000);
  let maxLog = 0;
  let peak = 0;
  replicate(c, leader, 0, big, IN_FLIGHT, () => {
    for (const s of c.servers.values()) maxLog = Math.max(maxLog, s.proc.storage.entries.length);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  c.dispose();
  rows.push([`max log length over ${fmt(big)} writes (threshold 1000)`, fmt(maxLog), '2,000 (target)', fmt(maxLog / 2000, 2), '≤ 1.0']);
  rows.push([`peak JS heap over ${fmt(big)} writes`, `${fmt(peak / 1048576, 1)} MB`, `before: ${fmt(before / 1048576, 1)} MB`, fmt(peak / before, 2), 'bounded']);
}

const head = ['figure', 'measured', 'baseline (same run)', 'ratio (min / median)', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
