// `npm run bench`: headless speed and memory figures, each against a baseline measured in this run.
import initSqlJs from 'sql.js';
import { Cluster } from '../src/cluster/cluster';
import type { Answer } from '../src/cluster/types';
import { BareCluster } from '../src/sim/bareCluster';

const SQL = await initSqlJs();
const quick = process.argv.includes('--quick');
const rows: [string, string, string, string, string][] = [];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function insertSql(i: number): string {
  return `INSERT INTO t(k, v) VALUES (${i}, 'value-${i}')`;
}

/**
 * Direct apply: the same statements run straight on 5 sql.js databases, no Raft, no wrapper. `tuned`
 * gives them the pragmas every node's database runs with (exclusive lock, in-memory journal), which
 * make sql.js itself several times faster: against that baseline the ratio is Raft's own cost alone.
 */
function directApply(n: number, tuned: boolean): number {
  const dbs = Array.from({ length: 5 }, () => new SQL.Database());
  for (const db of dbs) db.run(`${tuned ? 'PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY; ' : ''}CREATE TABLE t(k INTEGER, v TEXT)`);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const sql = insertSql(i);
    for (const db of dbs) db.run(sql);
  }
  const dt = performance.now() - t0;
  dbs.forEach((d) => d.close());
  return (n / dt) * 1000;
}

/** Replicated: the same statements as client writes through Raft on a simulated 5-node cluster. */
function replicated(n: number, threshold: number): { rate: number; maxLog: number; peakHeap: number } {
  const c = new Cluster(SQL, { nodes: 5, seed: 1, snapshotThreshold: threshold });
  c.world.logLimit = 0;
  c.world.runUntil(() => c.stableLeader() !== null, 10_000);
  let done = false;
  c.request('n1', { op: 'execute', req: { statements: [{ sql: 'CREATE TABLE t(k INTEGER, v TEXT)' }], transaction: false, queue: false, timeout: 5000 } }, () => (done = true));
  c.world.runUntil(() => done, c.now + 5000);
  const leader = c.stableLeader()!.id;
  let answered = 0;
  let maxLog = 0;
  let peakHeap = 0;
  const t0 = performance.now();
  const batch = 50;
  for (let i = 0; i < n; i += batch) {
    for (let j = i; j < Math.min(n, i + batch); j++) {
      c.request(leader, { op: 'execute', req: { statements: [{ sql: insertSql(j) }], transaction: false, queue: false, timeout: 60_000 } }, (a: Answer) => {
        if (a.ok) answered++;
      });
    }
    const target = Math.min(n, i + batch);
    c.world.runUntil(() => answered >= target, c.now + 60_000);
    for (const s of c.servers.values()) maxLog = Math.max(maxLog, s.proc.storage.entries.length);
    if ((i / batch) % 20 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  c.world.runUntil(() => c.converged(), c.now + 10_000);
  const dt = performance.now() - t0;
  return { rate: (answered / dt) * 1000, maxLog, peakHeap };
}

function noopEvents(seconds: number): { rate: number; events: number } {
  const c = new BareCluster(5, 1);
  c.world.logLimit = 0;
  c.world.runUntil(() => c.leader() !== null, 5000);
  const e0 = c.world.eventCount;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < 50; i++) c.propose(null);
    c.world.advance(20);
    for (const p of c.procs.values()) if (p.raft && p.raft.lastApplied > 1000) p.raft.compact(p.raft.lastApplied - 100, new Uint8Array(0));
  }
  const events = c.world.eventCount - e0;
  return { rate: events / ((performance.now() - t0) / 1000), events };
}

const writes = quick ? 2000 : 10_000;
directApply(500, false); // warm up the JIT so the baseline is not penalised
directApply(500, true);
const direct = directApply(writes, false);
const tuned = directApply(writes, true);
const repl = replicated(writes, 1000);
rows.push(['replicated INSERTs/s, 5 nodes', fmt(repl.rate), `direct sql.js apply ×5: ${fmt(direct)}`, fmt(repl.rate / direct, 2), '≥ 0.8']);
rows.push(['  the same, against tuned sql.js', fmt(repl.rate), `direct apply ×5, same pragmas: ${fmt(tuned)}`, fmt(repl.rate / tuned, 2), '-']);

const ev = noopEvents(quick ? 1 : 3);
rows.push(['simulated events/s, no-op state machine', fmt(ev.rate), '1,000,000 (target)', fmt(ev.rate / 1_000_000, 2), '≥ 1.0']);

const big = quick ? 10_000 : 100_000;
const heapBase = process.memoryUsage().heapUsed;
const mem = replicated(big, 1000);
rows.push([`max log length over ${fmt(big)} writes (threshold 1000)`, fmt(mem.maxLog), '2,000 (target)', fmt(mem.maxLog / 2000, 2), '≤ 1.0']);
rows.push([`peak heap over ${fmt(big)} writes`, `${fmt(mem.peakHeap / 1048576, 1)} MB`, `heap before: ${fmt(heapBase / 1048576, 1)} MB`, fmt(mem.peakHeap / heapBase, 2), 'bounded']);

const head = ['figure', 'measured', 'baseline (same run)', 'ratio', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
