// The memory figures of `npm run bench`: sql.js's wasm heap, where every node's database lives, and
// the JS heap of a recorded run (what the page holds) per simulated minute.
import type { SqlJsStatic } from 'sql.js';
import type { ClientOp } from '../src/cluster/types';
import { loadSqlJs } from '../src/db/sqljs';
import { memoryOf } from '../src/db/wasmMemory';
import { DiagramModel, sourceOf } from '../src/replay/diagram/model';
import { DEFAULT_EVENT_WINDOW, EventWindow } from '../src/replay/eventWindow';
import { Simulation, defaultSimOptions, type SimOptions } from '../src/replay/simulation';
import { History } from '../src/replay/why';

/** sql.js and the WebAssembly memory it runs in (loadSqlJs keeps it: src/db/wasmMemory.ts). */
export async function loadSqlJsWithMemory(): Promise<{ SQL: SqlJsStatic; memory: () => number }> {
  const SQL = await loadSqlJs();
  const mem = memoryOf(SQL);
  return { SQL, memory: () => mem?.buffer.byteLength ?? 0 };
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
export const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const MB = 1048576;

const write = (sql: string): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });

let nextId = 1;
export function request(sim: Simulation, sql: string): void {
  const leader = sim.cluster.stableLeader();
  if (leader) sim.apply({ kind: 'request', id: nextId++, node: leader.id, body: write(sql) });
}

/** A function that runs `sim` one simulated minute on, an INSERT into t every 1/`wps` s, numbered on from the last. */
export function minuteOfWrites(sim: Simulation, wps: number): () => void {
  let k = 0;
  return () => {
    const end = sim.now + 60_000;
    while (sim.now < end) {
      request(sim, `INSERT INTO t(k, v) VALUES (${k}, 'value-${k}')`);
      k++;
      sim.runTo(sim.now + 1000 / wps);
    }
  };
}

/** A recorded 9-node run, as the page holds it, with a leader and table t. */
export function recordedRun(SQL: SqlJsStatic, windowEvents: boolean): Simulation {
  const options: SimOptions = { ...defaultSimOptions, nodes: 9, seed: 1 };
  const sim = new Simulation(SQL, options, () => undefined, undefined, windowEvents ? { eventWindow: DEFAULT_EVENT_WINDOW } : {});
  while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
  request(sim, 'CREATE TABLE t(k INTEGER, v TEXT)');
  sim.runTo(sim.now + 500);
  return sim;
}

export interface HeapFigures {
  perMinute: number;
  minutes: number;
  writesPerSecond: number;
  /** What dropping each part of the record frees, per simulated minute; the diagram's model and Why?'s index too. */
  shares: { frames: number; events: number; applies: number; markers: number; checkpoints: number; diagram: number; why: number };
  /** Frames held in memory at the end (the rest are rebuilt when read), of all the run made. */
  framesHeld: number;
  framesTotal: number;
  /** Events held in memory at the end, of all the run logged. */
  eventsHeld: number;
  /** CPU ms to read one frame of dropped history (its chunk rebuilt): min and median over several places. */
  seekMs: { min: number; median: number };
  /** CPU ms per simulated second to read every frame of dropped history in order, as playing does. */
  playMsPerSecond: number;
  /** Bytes of database images the checkpoints hold per minute (ArrayBuffers, outside the JS heap). */
  imagesPerMinute: number;
  checkpoints: number;
  frames: number;
  events: number;
}

/**
 * The bytes the model and the index keep in typed arrays. Read in a function of its own: a value
 * read in the measuring function itself can stay in one of its interpreter registers, and keep
 * what it points to alive through the measurement that drops it.
 */
function bufferSizes(kept: { model: DiagramModel | null; history: History | null }): { model: number; history: number } {
  return { model: kept.model?.bufferBytes() ?? 0, history: kept.history?.bufferBytes() ?? 0 };
}

/**
 * JS heap growth of a recorded 9-node run at `wps` writes/s, per simulated minute after the first,
 * held as the page holds it: frames and events in a window (the rest rebuilt when read), the
 * diagram's model and Why?'s index following the run from its start. With `windowEvents` false,
 * every event is kept (as the page did before).
 */
export function heapPerMinute(SQL: SqlJsStatic, minutes: number, wps: number, windowEvents = true): HeapFigures {
  const sim = recordedRun(SQL, windowEvents);
  // The page follows its run with the diagram's model and Why?'s index (store/diagram.ts, store/whyIndex.ts).
  // Held in an object so that dropping them (to see what they held) is a plain assignment.
  const kept: { model: DiagramModel | null; history: History | null } = { model: new DiagramModel(sourceOf(sim)), history: new History(sim.events) };
  const stopModel = sim.onFrame(() => {
    kept.model?.readFrames();
    kept.history?.sync();
  });
  const runMinute = minuteOfWrites(sim, wps);
  runMinute();
  // The typed arrays of the model, the index and the run's own records hold their bytes outside what heapUsed counts: added, so they count.
  const buffers = () => (kept.model?.bufferBytes() ?? 0) + (kept.history?.bufferBytes() ?? 0) + sim.bufferBytes();
  const h0 = heap() + buffers();
  const f0 = sim.frames.length;
  const e0 = sim.events.end;
  for (let m = 0; m < minutes; m++) runMinute();
  const h1 = heap() + buffers();
  const perMinute = (h1 - h0) / minutes / MB;
  const frames = (sim.frames.length - f0) / minutes;
  const events = (sim.events.end - e0) / minutes;
  // Drop the record a part at a time (the run is not used again) to see what held the heap.
  const share = (drop: () => void) => {
    const before = heap();
    drop();
    return (before - heap()) / (minutes + 1) / MB;
  };
  const imagesPerMinute = sim.checkpoints.totalBytes / (minutes + 1) / MB;
  const checkpoints = sim.checkpoints.all.length;
  const framesHeld = sim.frames.held;
  const framesTotal = sim.frames.length;
  const eventsHeld = sim.events.held;
  const { seekMs, playMsPerSecond } = readBack(sim);
  stopModel();
  const sizes = bufferSizes(kept);
  const shares = {
    diagram: sizes.model / (minutes + 1) / MB + share(() => (kept.model = null)),
    why: sizes.history / (minutes + 1) / MB + share(() => (kept.history = null)),
    checkpoints: share(() => sim.checkpoints.drop()),
    // Each frame's time, seqEnd and states checked stay in typed arrays whatever is dropped: counted as the frames'.
    frames: (sim.frames.bytes + sim.safety.bytes) / (minutes + 1) / MB + share(() => sim.frames.truncate(1)),
    events: sim.notable.bytes / (minutes + 1) / MB + share(() => {
      sim.cluster.world.log = [];
      sim.events = new EventWindow(sim.cluster.world);
    }),
    applies: sim.applies.bytes / (minutes + 1) / MB + share(() => sim.applies.clear()),
    markers: share(() => sim.markers.splice(0)),
  };
  sim.cluster.dispose();
  return { perMinute, minutes, writesPerSecond: wps, shares, frames, events, imagesPerMinute, checkpoints, framesHeld, framesTotal, eventsHeld, seekMs, playMsPerSecond };
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** Reading dropped history back: a seek to one frame, at several places, and 10 simulated seconds played in order. */
function readBack(sim: Simulation): { seekMs: { min: number; median: number }; playMsPerSecond: number } {
  const n = sim.frames.length;
  const seeks = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7].map((at) => cpuMs(() => sim.frames.get(Math.floor(n * at)))).sort((a, b) => a - b);
  const from = Math.floor(n * 0.15);
  let to = from;
  const t0 = sim.frames.time(from);
  while (to < n - 1 && sim.frames.time(to) < t0 + 10_000) to++;
  const ms = cpuMs(() => {
    for (let i = from; i <= to; i++) sim.frames.get(i);
  });
  return { seekMs: { min: seeks[0], median: seeks[seeks.length >> 1] }, playMsPerSecond: ms / ((sim.frames.time(to) - t0) / 1000) };
}

export interface ForkFigures {
  forks: number;
  rows: number;
  wasmAfterFirst: number;
  wasmAfterLast: number;
  heapAfterFirst: number;
  heapAfterLast: number;
  cpuMsPerFork: number;
}

/**
 * 9 nodes with `rows` rows each, forked `forks` times the way the page forks: the run is resumed
 * from its latest checkpoint into a new cluster and the old cluster dropped (its databases closed).
 */
export function forks(SQL: SqlJsStatic, memory: () => number, n: number, rows: number): ForkFigures {
  let sim = recordedRun(SQL, false);
  request(sim, `INSERT INTO t(k, v) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT ${rows}) SELECT i, 'value-' || i FROM c`);
  sim.runTo(sim.now + 2000);
  const fork = () => {
    const next = Simulation.fork(SQL, sim, sim.frames.length - 1, () => undefined);
    sim.cluster.dispose();
    sim = next;
  };
  fork();
  const wasmAfterFirst = memory();
  const heapAfterFirst = heap();
  const c0 = process.cpuUsage();
  for (let i = 1; i < n; i++) fork();
  const c = process.cpuUsage(c0);
  const out = { forks: n, rows, wasmAfterFirst, wasmAfterLast: memory(), heapAfterFirst, heapAfterLast: heap(), cpuMsPerFork: (c.user + c.system) / 1000 / (n - 1) };
  sim.cluster.dispose();
  return out;
}
