import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import type { EventWindowPolicy } from '../../src/replay/eventWindow';
import type { FrameWindow } from '../../src/replay/frameStore';
import { Simulation } from '../../src/replay/simulation';
import { eventText, recordWindowed } from '../helpers/windowedRun';
import { fingerprint } from '../helpers/simFingerprint';

const frames: FrameWindow = { chunk: 64, head: 128, recent: 1 };
/** Two chunks (checkpoint intervals) at the head, one read lately. */
const tiny: EventWindowPolicy = { head: 2, recent: 1 };
const dense: CheckpointLimits = { every: 40, count: 1000, bytes: Infinity };
/** So few checkpoints that they are thinned: a rebuild then replays several chunks. */
const sparse: CheckpointLimits = { every: 300, count: 3, bytes: Infinity };

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const record = (
  file: string,
  seed: number,
  limits: CheckpointLimits,
  events: EventWindowPolicy | null,
): Simulation => recordWindowed(SQL, file, seed, limits, frames, events);
const text = eventText;

const CASES = [
  ['04-leader-crash.json', 1, dense],
  ['12-snapshot-install.json', 2, dense],
  ['14-join-and-remove.json', 6, sparse],
  ['18-leadership-transfer.json', 5, dense],
  ['24-forward-to-crashed-leader.json', 5, sparse],
  ['10-queued-writes.json', 6, dense],
] as const;

describe('events dropped from memory are rebuilt from checkpoints, equal to the ones logged', () => {
  it('every event read back (dropped, rebuilt, dropped again), decisions included, equals the one logged', () => {
    let late = 0;
    for (const [file, seed, limits] of CASES) {
      const kept = record(file, seed, limits, null);
      const sim = record(file, seed, limits, tiny);
      const all = kept.events.all();
      expect(sim.events.end, file).toBe(all.length);
      expect(sim.events.held, `${file} holds only a window`).toBeLessThan(
        limits === dense ? all.length / 2 : all.length,
      );
      late += sim.events.lateDecided;
      // Backwards, then forwards, then by time: each chunk is rebuilt at least once, some twice.
      for (let q = all.length - 1; q >= 0; q -= 5)
        expect(text(sim.events.get(q)), `${file} event ${q}`).toBe(text(all[q]));
      for (let q = 0; q < all.length; q++)
        expect(text(sim.events.get(q)), `${file} event ${q}`).toBe(text(all[q]));
      for (let q = 0; q < all.length; q += 97)
        expect(sim.events.firstAtOrAfter(all[q].time), file).toBe(kept.events.firstAtOrAfter(all[q].time));
      expect(sim.events.get(all.length)).toBeUndefined();
      for (const s of [kept, sim]) s.cluster.dispose();
    }
    // A server's decisions land on its latest event, which can be from an interval already sealed
    // (a follower that heard nothing for a while, a request answered much later): those events
    // are the ones a replay of their own interval gets wrong, and they must occur here.
    expect(late).toBeGreaterThan(0);
  });

  it('forks deep in the dropped past, copied and taken over, equal the replay from scratch, events and all', () => {
    for (const [file, seed, limits] of CASES.slice(1, 3)) {
      const dropped = record(file, seed, limits, tiny);
      const target = Math.floor(dropped.frames.length * 0.4);
      const replayed = Simulation.replay(SQL, dropped.options, dropped.inputs, target, () => {});
      const copied = Simulation.fork(SQL, dropped, target, () => {});
      expect(fingerprint(copied), file).toEqual(fingerprint(replayed));
      // The fork goes on and drops its own past: still the same run, and it takes its checkpoints
      // where the replay does (its copied host calls are inert, so none holds a checkpoint back).
      copied.runTo(copied.now + 1500);
      replayed.runTo(replayed.now + 1500);
      expect(fingerprint(copied), file).toEqual(fingerprint(replayed));
      const frames = (s: Simulation) =>
        s.checkpoints.all.map((c) => c.frame).filter((f) => f < copied.frames.length);
      expect(frames(copied).at(-1), file).toBeGreaterThan(target);
      // (The run it left went on longer: with sparse checkpoints it thinned them more.)
      if (limits === dense) expect(frames(copied), file).toEqual(frames(dropped));
      const taken = Simulation.fork(SQL, dropped, target, () => {}, true);
      taken.runTo(taken.now + 1500);
      expect(fingerprint(taken), file).toEqual(fingerprint(replayed));
      for (const s of [dropped, replayed, copied, taken]) s.cluster.dispose();
    }
  });

  it('a checkpoint keeps its servers’ latest events by seq: a fork deep in the past reads them back when read, rebuilt from the log', () => {
    const [file, seed, limits] = CASES[1];
    const dropped = record(file, seed, limits, tiny);
    const target = Math.floor(dropped.frames.length * 0.3);
    const cp = dropped.checkpoints.atOrBefore(target)!;
    // Only their seqs are kept: the run's log holds the events.
    for (const [, e] of cp.clusterWith(null).world.lastOf) expect(typeof e).toBe('number');
    const rebuild = dropped.events.rebuild!;
    let rebuilt = 0;
    dropped.events.rebuild = (start, end) => {
      rebuilt++;
      return rebuild(start, end);
    };
    const copied = Simulation.fork(SQL, dropped, target, () => {});
    // The latest events are in a chunk the window had dropped: the fork does not read them (a
    // rebuild, most of a fork's cost) until it needs them.
    expect(rebuilt).toBe(0);
    const own = copied.events.rebuild!;
    copied.events.rebuild = (start, end) => {
      rebuilt++;
      return own(start, end);
    };
    const latest = cp.clusterWith(null).world.lastOf.map(([, seq, decided]) => [seq as number, decided] as const);
    expect(copied.events.unreadLatest()).toEqual(new Map(latest.filter(([seq]) => seq < cp.events)));
    const replayed = Simulation.replay(SQL, dropped.options, dropped.inputs, target, () => {});
    // Read, they are made again, with the decisions they had at the checkpoint.
    for (const [seq, decided] of latest) {
      expect(copied.events.get(seq)).toEqual(replayed.events.get(seq));
      expect(copied.events.get(seq)?.decisions?.length ?? 0).toBe(decided);
    }
    expect(rebuilt).toBeGreaterThan(0);
    expect(copied.events.unreadLatest().size).toBe(0);
    copied.runTo(copied.now + 1500);
    replayed.runTo(replayed.now + 1500);
    expect(fingerprint(copied)).toEqual(fingerprint(replayed));
    // A fork that reads nothing back, forked again later: the second reports as unread only the
    // latest events of its own checkpoint, not those it inherited (Why?'s index cuts its table
    // from the lowest seq it is told of).
    const unread = Simulation.fork(SQL, dropped, target, () => {});
    unread.runTo(unread.now + 5000);
    const end = unread.frames.length - 1;
    const later = unread.checkpoints.atOrBefore(end)!;
    expect(later.frame).toBeGreaterThan(cp.frame);
    const again = Simulation.fork(SQL, unread, end, () => {});
    const ownLatest = new Set(later.clusterWith(null).world.lastOf.map(([, seq]) => seq));
    expect([...again.events.unreadLatest().keys()].every((seq) => ownLatest.has(seq))).toBe(true);
    for (const s of [dropped, replayed, copied, unread, again]) s.cluster.dispose();
  });
});
