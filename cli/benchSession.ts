// A long class session as `npm run bench` measures it: memory per simulated minute over the whole
// session (JS heap, typed arrays and the checkpoints' database files together), and what a jump
// into its past costs at the end. A window of a few minutes misses what grows with the tables:
// the checkpoints' files grew with the square of the session's length until they were kept as
// pages (src/replay/pagedFiles.ts), and were then thinned, spacing the checkpoints 16 s apart.
import type { SqlJsStatic } from 'sql.js';
import { DiagramModel, sourceOf } from '../src/replay/diagram/model';
import { Simulation } from '../src/replay/simulation';
import { History } from '../src/replay/why';
import { heap, minuteOfWrites, recordedRun } from './benchMemory';

const MB = 1048576;

export interface SessionFigures {
  minutes: number;
  writesPerSecond: number;
  /** MB per simulated minute from minute 2 to the end: everything, and the checkpoints' files alone. */
  perMinute: number;
  filesPerMinute: number;
  /** Everything the session holds at its end, MB (the heap before it started taken off). */
  heldAtEnd: number;
  checkpoints: number;
  spacing: number;
  /** CPU ms to read a frame of dropped history at several places of the session: min, median, max. */
  seekMs: { min: number; median: number; max: number };
  /**
   * A fork at the same places, as the page forks (the run left is copied from, not taken over):
   * main-thread ms (wall: the process's CPU time also counts V8's helper threads sweeping what the
   * session left), and the process's CPU ms; min, median, max.
   */
  forkMs: { min: number; median: number; max: number };
  forkCpuMs: { min: number; median: number; max: number };
}

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** A recorded 9-node run at `wps` writes/s for `minutes`, followed by the page's indexes, as the page holds it. */
export function sessionMemory(SQL: SqlJsStatic, minutes: number, wps: number): SessionFigures {
  const before = heap();
  const sim = recordedRun(SQL, true);
  const model = new DiagramModel(sourceOf(sim));
  const history = new History(sim.events);
  const stop = sim.onFrame(() => {
    model.readFrames();
    history.sync();
  });
  const runMinute = minuteOfWrites(sim, wps);
  // Typed arrays and the checkpoints' files hold their bytes outside what heapUsed counts: added.
  const held = () => heap() + model.bufferBytes() + history.bufferBytes() + sim.bufferBytes() + sim.checkpoints.totalBytes;
  runMinute();
  runMinute();
  const [h0, f0] = [held(), sim.checkpoints.totalBytes];
  for (let m = 2; m < minutes; m++) runMinute();
  const [h1, f1] = [held(), sim.checkpoints.totalBytes];
  stop();
  const n = sim.frames.length;
  const places = [0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95];
  const seeks = places.map((at) => cpuMs(() => sim.frames.get(Math.floor(n * at)))).sort((a, b) => a - b);
  const fork = (at: number) => Simulation.fork(SQL, sim, Math.floor(n * at), () => undefined).cluster.dispose();
  // The first fork of a process runs code not yet compiled: made once, not counted.
  fork(0.5);
  const forks = places.map((at) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fork(at);
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
  });
  const spread = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { min: s[0], median: s[s.length >> 1], max: s[s.length - 1] };
  };
  const out = {
    minutes,
    writesPerSecond: wps,
    perMinute: (h1 - h0) / (minutes - 2) / MB,
    filesPerMinute: (f1 - f0) / (minutes - 2) / MB,
    heldAtEnd: (h1 - before) / MB,
    checkpoints: sim.checkpoints.all.length,
    spacing: sim.checkpoints.spacing,
    seekMs: { min: seeks[0], median: seeks[seeks.length >> 1], max: seeks[seeks.length - 1] },
    forkMs: spread(forks.map((f) => f.wall)),
    forkCpuMs: spread(forks.map((f) => f.cpu)),
  };
  sim.cluster.dispose();
  return out;
}
