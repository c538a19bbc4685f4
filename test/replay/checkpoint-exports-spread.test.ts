/**
 * A cluster written to steadily exports its databases a node at a time, in the last moments before
 * each checkpoint (exportAhead.ts), and the checkpoint keeps each node as its last export with the
 * plain writes since (NodeDatabase.image): no simulated frame makes two exports. Nine exports at
 * one checkpoint made one frame a simulated second 7–17 ms long in the page. A fork from any of these
 * checkpoints is the run itself (checkpoint-resume.test.ts).
 */
import type { SqlJsStatic } from 'sql.js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EntryData } from '../../src/cluster/types';
import { MAX_PENDING, NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Statement } from '../../src/db/types';
import { EXPORT_AHEAD_AT, EXPORT_LEAD_MS, EXPORT_SLOT_MS } from '../../src/replay/exportAhead';
import { CHECKPOINT_EVERY_MS } from '../../src/replay/checkpoints';
import { PageTable } from '../../src/replay/pagedFiles';
import { Simulation, defaultSimOptions } from '../../src/replay/simulation';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A 5-node run with a leader and table t, its exports' simulated times recorded from here on, and
 * a writer to its leader.
 */
function withTable(): { sim: Simulation; exports: number[]; leader: string; write: (sql: string) => void } {
  const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 5, seed: 11 }, () => undefined);
  const exports: number[] = [];
  const exportOf = NodeDatabase.prototype.export;
  vi.spyOn(NodeDatabase.prototype, 'export').mockImplementation(function (this: NodeDatabase) {
    exports.push(sim.now);
    return exportOf.call(this);
  });
  while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
  const leader = sim.cluster.stableLeader()!.id;
  let id = 1;
  const write = (sql: string) => void sim.apply({ kind: 'request', id: id++, node: leader, body: { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } } });
  write('CREATE TABLE t(k INTEGER, v TEXT)');
  sim.runTo(sim.now + 1500);
  exports.length = 0;
  return { sim, exports, leader, write };
}

/** A 5-node run written to every `every` ms until `until`; the simulated times of its exports. */
function steadyRun(every: number, until = 14_000): { sim: Simulation; exports: number[]; start: number; writes: number } {
  const { sim, exports, write } = withTable();
  const start = sim.checkpoints.all.length;
  let writes = 0;
  for (; sim.now < until; writes++) {
    write(`INSERT INTO t(k, v) VALUES (${writes}, 'value-${writes}')`);
    sim.runTo(sim.now + every);
  }
  return { sim, exports, start, writes };
}

describe('a cluster written to steadily', () => {
  it('exports one database a frame at most, in the moments before a checkpoint, each node once between two', () => {
    const { sim, exports, start, writes } = steadyRun(40);
    const cps = sim.checkpoints.all.slice(start);
    expect(cps.length).toBeGreaterThan(8);
    // Each node exported once per EXPORT_AHEAD_AT writes or so, not once a checkpoint.
    expect(exports.length).toBeGreaterThanOrEqual(5);
    expect(exports.length).toBeLessThanOrEqual(5 * Math.ceil(writes / EXPORT_AHEAD_AT));
    for (let i = 1; i < exports.length; i++) expect(exports[i] - exports[i - 1]).toBeGreaterThanOrEqual(EXPORT_SLOT_MS);
    // Every export falls in the lead before the checkpoint that follows it.
    for (const t of exports) {
      const next = cps.find((c) => c.time >= t);
      if (next) expect(next.time - t).toBeLessThanOrEqual(EXPORT_LEAD_MS + 5);
    }
    // At most one export of each node between two checkpoints: at most five.
    for (let i = 1; i < cps.length; i++) expect(exports.filter((t) => t > cps[i - 1].time && t <= cps[i].time).length).toBeLessThanOrEqual(5);
    sim.cluster.dispose();
  });

  it('keeps each node at a checkpoint as an export with pending writes that restores the rows it had applied', () => {
    const { sim, start } = steadyRun(40);
    const cps = sim.checkpoints.all.slice(start);
    let pending = 0;
    for (const cp of cps) {
      for (const [, s] of cp.clusterWith(null).servers) {
        if (!s.db?.pending) continue;
        pending++;
        expect(s.db.pending.count).toBeLessThanOrEqual(MAX_PENDING);
      }
    }
    // Most images keep some writes pending: the exports ahead leave fewer than EXPORT_AHEAD_AT.
    expect(pending).toBeGreaterThan(cps.length * 2);
    const last = cps[cps.length - 1].clusterWith(null);
    for (const [, s] of last.servers) {
      const { table, start: first, length } = s.proc.storage;
      const applied = s.proc.raft!.lastApplied;
      const inserts = table
        .slice(first, first + length)
        .filter((e) => e.index <= applied && (e.data as EntryData | null)?.op === 'execute' && (e.data as { statements: Statement[] }).statements[0].sql.startsWith('INSERT')).length;
      const d = NodeDatabase.fromImage(SQL, s.db!);
      expect(d.query([{ sql: 'SELECT count(*), max(k) + 1 FROM t' }])[0]).toMatchObject({ values: [[inserts, inserts]] });
      expect(inserts).toBeGreaterThan(100);
      expect(s.db!.pending?.count ?? 0).toBeLessThan(EXPORT_AHEAD_AT + 10);
      d.close();
    }
    sim.cluster.dispose();
  });

  it('takes its checkpoints on time though a request is always in flight, each node exported ahead and none at the checkpoint', () => {
    // A write every 12 ms: one is always in flight. Its call, the leader's proposal and the timers
    // waiting on it are data the checkpoint copies (heldCalls.ts); before, no checkpoint could be
    // taken until the stream stopped, and the exports went on past MAX_PENDING for nothing.
    const { sim, exports, start } = steadyRun(12, 9_000);
    const cps = sim.checkpoints.all.slice(start);
    expect(cps.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < cps.length; i++) expect(cps[i].time - cps[i - 1].time).toBeLessThanOrEqual(CHECKPOINT_EVERY_MS + 10);
    expect(cps.filter((cp) => cp.clusterWith(null).calls.some((c) => !c.answered)).length).toBeGreaterThanOrEqual(cps.length - 1);
    for (const s of sim.cluster.servers.values()) expect(s.db!.changesSinceImage).toBeLessThanOrEqual(MAX_PENDING);
    expect(exports.length).toBeGreaterThan(5);
    for (let i = 1; i < exports.length; i++) expect(exports[i] - exports[i - 1]).toBeGreaterThanOrEqual(EXPORT_SLOT_MS);
    for (const cp of cps) expect(exports.filter((t) => t === cp.time)).toEqual([]);
    sim.cluster.dispose();
  });

  it('passes over a node that is down and one cut off (nothing to export), and still exports the others ahead', () => {
    const { sim, exports, leader, write } = withTable();
    // The first follower in the cluster's order is cut off (its database idle), the last is down.
    const followers = [...sim.cluster.servers.keys()].filter((n) => n !== leader);
    const [cut, down] = [followers[0], followers[followers.length - 1]];
    sim.apply({ kind: 'isolate', node: cut });
    sim.apply({ kind: 'kill', node: down });
    const start = sim.checkpoints.all.length;
    exports.length = 0;
    for (let k = 0; sim.now < 16_000; k++) {
      write(`INSERT INTO t(k, v) VALUES (${k}, 'v')`);
      sim.runTo(sim.now + 40);
    }
    const cps = sim.checkpoints.all.slice(start);
    expect(cps.length).toBeGreaterThan(8);
    expect(exports.length).toBeGreaterThan(3);
    expect(sim.cluster.servers.get(cut)!.db!.changesSinceImage).toBe(0);
    // Every export was made ahead: none at a checkpoint's own moment.
    for (const cp of cps) expect(exports.filter((t) => t === cp.time)).toEqual([]);
    sim.cluster.dispose();
  });

  it('keeps an export made ahead as pages in the frame that made it, not at the checkpoint after it', () => {
    const keptAt = new Map<Uint8Array, number>();
    const exportedAt = new Map<Uint8Array, number>();
    let now = () => -1;
    const keep = PageTable.prototype.keep;
    vi.spyOn(PageTable.prototype, 'keep').mockImplementation(function (this: PageTable, bytes: Uint8Array) {
      keptAt.set(bytes, now());
      return keep.call(this, bytes);
    });
    const image = NodeDatabase.prototype.image;
    vi.spyOn(NodeDatabase.prototype, 'image').mockImplementation(function (this: NodeDatabase, mayDefer?: boolean) {
      const made = image.call(this, mayDefer);
      if (made && made.bytes instanceof Uint8Array && !exportedAt.has(made.bytes)) exportedAt.set(made.bytes, now());
      return made;
    });
    const { sim, write } = withTable();
    now = () => sim.now;
    for (let k = 0; sim.now < 12_000; k++) {
      write(`INSERT INTO t(k, v) VALUES (${k}, 'value-${k}')`);
      sim.runTo(sim.now + 40);
    }
    const checkpointAt = new Set(sim.checkpoints.all.map((c) => c.time));
    const ahead = [...exportedAt].filter(([, t]) => t >= 0 && !checkpointAt.has(t));
    expect(ahead.length).toBeGreaterThan(10);
    // Each kept in its own frame, once.
    for (const [bytes, t] of ahead) expect(keptAt.get(bytes)).toBe(t);
    sim.cluster.dispose();
  });
});
