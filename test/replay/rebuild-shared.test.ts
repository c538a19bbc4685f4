import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import type { EventWindowPolicy } from '../../src/replay/eventWindow';
import type { FrameWindow } from '../../src/replay/frameStore';
import { Simulation } from '../../src/replay/simulation';
import { eventText, recordWindowed } from '../helpers/windowedRun';
import { fingerprint } from '../helpers/simFingerprint';

// What a jump into dropped history rebuilds: the frame on screen with its interval's events in
// one replay, and the event list's rows (often several dropped chunks back) in one more, each
// equal to what the run logged.

const frames: FrameWindow = { chunk: 64, head: 128, recent: 2 };
/** Two chunks at the head; `recent` as the page has it, so one moment's reads stay held. */
const policy: EventWindowPolicy = { head: 2, recent: 16 };
/** Every chunk read stays: what a read leaves held can be counted. */
const roomy: EventWindowPolicy = { head: 2, recent: 100_000 };
/** One chunk read lately: a read of many chunks pushes its own out as it goes. */
const cramped: EventWindowPolicy = { head: 2, recent: 1 };
const dense: CheckpointLimits = { every: 40, count: 1000, bytes: Infinity };
/** Thinned: one replay spans several chunks. */
const sparse: CheckpointLimits = { every: 300, count: 3, bytes: Infinity };

let SQL: SqlJsStatic;
const runs: Simulation[] = [];
beforeAll(async () => {
  SQL = await loadSqlJs();
});
afterAll(() => {
  for (const s of runs) s.cluster.dispose();
});

/** Count the replays `sim` starts to rebuild events and frames from now on. */
function countRebuilds(sim: Simulation): { events: number; frames: number } {
  const n = { events: 0, frames: 0 };
  const ev = sim.events.rebuild!;
  sim.events.rebuild = (a, b) => (n.events++, ev(a, b));
  const fr = sim.frames.rebuild!;
  sim.frames.rebuild = (i) => (n.frames++, fr(i));
  return n;
}

function record(
  file: string,
  seed: number,
  limits: CheckpointLimits,
  events: EventWindowPolicy | null,
): Simulation {
  const sim = recordWindowed(SQL, file, seed, limits, frames, events);
  runs.push(sim);
  return sim;
}
const text = eventText;

const CASES = [
  ['04-leader-crash.json', 1, dense],
  ['14-join-and-remove.json', 3, sparse],
  ['10-queued-writes.json', 6, dense],
] as const;

describe('one replay serves what a moment reads', () => {
  it('a dropped frame rebuilt brings its interval’s events: reading them replays nothing more', () => {
    for (const [file, seed, limits] of CASES) {
      const kept = record(file, seed, limits, null);
      const sim = record(file, seed, limits, policy);
      const all = kept.events.all();
      // Frames two chunks apart, oldest first, none a checkpoint's own (those are kept): the ones
      // not held are rebuilt.
      const own = new Set(sim.checkpoints.all.map((c) => c.frame));
      let rebuilt = 0;
      for (let i = 2; i < sim.frames.length - frames.head; i += 2 * frames.chunk) {
        while (own.has(i)) i++;
        const n = countRebuilds(sim);
        const f = sim.frames.get(i);
        if (n.frames === 0) continue;
        rebuilt++;
        // The events logged by the frame's step and the ones before it back to its checkpoint.
        const cp = sim.checkpoints.atOrBefore(i);
        const from = cp ? cp.events : 0;
        for (let q = from; q < f.seqEnd; q++)
          expect(text(sim.events.get(q)), `${file} event ${q}`).toBe(text(all[q]));
        expect(n.events, `${file} frame ${i}: events replayed again`).toBe(0);
      }
      expect(rebuilt, `${file}: ${sim.frames.length} frames`).toBeGreaterThan(0);
    }
  });

  it('events picked anywhere equal the ones logged, dropped chunks close together rebuilt by one replay', () => {
    const made = CASES.map(([file, seed, limits]) => ({
      file,
      kept: record(file, seed, limits, null),
      sim: record(file, seed, limits, roomy),
      small: record(file, seed, limits, cramped),
    }));
    fc.assert(
      fc.property(
        fc.nat({ max: made.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (which, at, count, stride) => {
          const { file, kept, sim, small } = made[which];
          const all = kept.events.all();
          // Newest first, like the event list: `count` seqs `stride` apart back from `end`.
          const end = Math.max(1, Math.floor(at * all.length));
          const seqs: number[] = [];
          for (let q = end - 1; q >= 0 && seqs.length < count; q -= stride) seqs.push(q);
          // Which chunks each seq lies in, as the window cuts them: checkpoints taken, thinned or not.
          const chunkOf = (q: number) => sim.checkpoints.all.filter((c) => c.events <= q).length;
          const n = countRebuilds(sim);
          const got = sim.events.pick(seqs);
          expect(got.map(text), file).toEqual(seqs.map((q) => text(all[q])));
          // At most one replay per group of chunks (a replay spans at least one chunk).
          expect(n.events, file).toBeLessThanOrEqual(new Set(seqs.map(chunkOf)).size);
          // Read again at once: all held, nothing replayed.
          const again = countRebuilds(sim);
          expect(sim.events.pick(seqs).map(text), file).toEqual(got.map(text));
          expect(again.events, file).toBe(0);
          // With room for one chunk only, each replay pushes the last one's chunks out: still equal.
          expect(small.events.pick(seqs).map(text), file).toEqual(got.map(text));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the event list’s read of 80 rows over many dropped chunks is one replay', () => {
    const sim = record('10-queued-writes.json', 6, dense, policy);
    const kept = record('10-queued-writes.json', 6, dense, null);
    const all = kept.events.all();
    // Far from the head, every chunk dropped: read them with an empty window first.
    const end = Math.floor(all.length / 2);
    const seqs = sim.notable.latestBelow(end, 80);
    const chunks = new Set(seqs.map((q) => sim.checkpoints.all.filter((c) => c.events <= q).length));
    expect(chunks.size, 'the rows span several chunks').toBeGreaterThan(2);
    const n = countRebuilds(sim);
    expect(sim.events.pick(seqs).map(text)).toEqual(seqs.map((q) => text(all[q])));
    expect(n.events).toBe(1);
  });

  it('a fork takes the frames the run it left holds up to its moment, and is the run a replay from scratch makes', () => {
    for (const [file, seed, limits] of CASES) {
      const sim = record(file, seed, limits, policy);
      // A moment just read (so its interval is held), a few frames into its checkpoint interval.
      const target = Math.floor(sim.frames.length * 0.6);
      sim.frames.get(target);
      const cp = sim.checkpoints.atOrBefore(target)!;
      const fork = Simulation.fork(SQL, sim, target, () => {});
      runs.push(fork);
      let shared = 0;
      for (let k = cp.frame + 1; k <= target; k++) {
        const held = sim.frames.peek(k);
        if (held) expect(fork.frames.get(k), `${file} frame ${k}`).toBe(held);
        if (held) shared++;
      }
      expect(shared, file).toBeGreaterThan(0);
      const replayed = Simulation.replay(SQL, sim.options, sim.inputs, target, () => {});
      runs.push(replayed);
      expect(fingerprint(fork), file).toEqual(fingerprint(replayed));
      // Frames made after the fork are its own.
      fork.apply({ kind: 'kill', node: 'n1' });
      fork.runTo(fork.now + 300);
      replayed.apply({ kind: 'kill', node: 'n1' });
      replayed.runTo(replayed.now + 300);
      expect(fingerprint(fork), file).toEqual(fingerprint(replayed));
    }
  });

  it('a seq outside the log is refused', () => {
    const sim = record('04-leader-crash.json', 1, dense, policy);
    expect(() => sim.events.pick([sim.events.end])).toThrow(RangeError);
    expect(() => sim.events.pick([-1])).toThrow(RangeError);
  });
});
