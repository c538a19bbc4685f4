import { describe, expect, it } from 'vitest';
import { CHECKPOINT_EVERY_MS, Checkpoints, EXPORT_BYTES_PER_SECOND, limitsFor, MAX_CHECKPOINTS, type SimCheckpoint } from '../../src/replay/checkpoints';

/** A checkpoint as the policy sees it: where it is and what it weighs (its contents are not read). */
function at(frame: number, time: number, bytes = 1000, exported = bytes): SimCheckpoint {
  const clusterWith = () => {
    throw new Error('the policy never reads a checkpoint’s cluster');
  };
  const images = [new Uint8Array(bytes)];
  return { frame, time, clusterWith, events: 0, inputs: 0, markers: 0, answers: 0, maxLatency: 0, settledAt: [], unsettled: [], safety: null as unknown as SimCheckpoint['safety'], images, exported };
}

describe('the checkpoints of a run', () => {
  it('find the latest at or before a frame', () => {
    const c = new Checkpoints({ every: 100, count: 10, bytes: Infinity });
    for (let i = 1; i <= 5; i++) c.add(at(i * 10, i * 100));
    expect(c.atOrBefore(9)).toBeNull();
    expect(c.atOrBefore(10)?.frame).toBe(10);
    expect(c.atOrBefore(39)?.frame).toBe(30);
    expect(c.atOrBefore(1e9)?.frame).toBe(50);
  });

  it('past the count or the bytes, keep every other one and space the next ones twice as far', () => {
    const c = new Checkpoints({ every: 100, count: 4, bytes: 10_000 });
    for (let i = 1; i <= 5; i++) c.add(at(i, i * 100));
    expect(c.all.map((x) => x.frame)).toEqual([2, 4]);
    expect(c.spacing).toBe(200);
    expect(c.nextAt).toBe(700);
    const b = new Checkpoints({ every: 100, count: 100, bytes: 2500 });
    for (let i = 1; i <= 3; i++) b.add(at(i, i * 100));
    expect(b.all.map((x) => x.frame)).toEqual([2]);
    expect(b.totalBytes).toBe(1000);
  });

  it('count a file that several checkpoints hold once, until the last of them is dropped', () => {
    const file = new Uint8Array(3000);
    const holding = (frame: number) => ({ ...at(frame, frame * 100, 0), images: [file, new Uint8Array(100)] });
    const c = new Checkpoints({ every: 100, count: 4, bytes: Infinity });
    for (let i = 1; i <= 4; i++) c.add(holding(i));
    // One shared file and four of their own.
    expect(c.totalBytes).toBe(3000 + 4 * 100);
    // The fifth passes the count: the odd ones go, two still hold the shared file.
    c.add(at(5, 500, 700));
    expect(c.all.map((x) => x.frame)).toEqual([2, 4]);
    expect(c.totalBytes).toBe(3000 + 2 * 100);
    // The files only dropped checkpoints held are let go.
    expect(c.files).toBe(3);
    const b = new Checkpoints({ every: 100, count: 100, bytes: Infinity });
    b.inherit(c, c.all[0]);
    expect(b.totalBytes).toBe(3100);
    b.drop();
    expect([b.totalBytes, b.files]).toEqual([0, 0]);
    expect(c.totalBytes).toBe(3200);
  });

  it('wait longer after a checkpoint that exported much, and retry soon after a missed one', () => {
    const c = new Checkpoints({ every: 1000, count: 100, bytes: Infinity });
    c.add(at(1, 1000, 10, 4 * EXPORT_BYTES_PER_SECOND));
    expect(c.nextAt).toBe(5000);
    c.missed(5000);
    expect(c.nextAt).toBeGreaterThan(5000);
    expect(c.nextAt).toBeLessThan(5100);
  });

  it('a fork inherits those up to where it resumed', () => {
    const a = new Checkpoints({ every: 100, count: 100, bytes: Infinity });
    for (let i = 1; i <= 5; i++) a.add(at(i * 10, i * 100));
    const b = new Checkpoints({ every: 100, count: 100, bytes: Infinity });
    b.inherit(a, a.atOrBefore(35)!);
    expect(b.all.map((x) => x.frame)).toEqual([10, 20, 30]);
    expect(b.nextAt).toBe(400);
    b.drop();
    expect([b.all.length, b.totalBytes]).toEqual([0, 0]);
  });

  it('of a replayed run start spaced as the count leaves the whole run: each kept one taken once', () => {
    const second = CHECKPOINT_EVERY_MS;
    expect(limitsFor(0).every).toBe(second);
    expect(limitsFor(MAX_CHECKPOINTS * second).every).toBe(second);
    expect(limitsFor(MAX_CHECKPOINTS * second + 1).every).toBe(2 * second);
    expect(limitsFor(30 * 60_000).every).toBe(2 * second);
    expect(limitsFor(60 * 60_000).every).toBe(4 * second);
    // A 30-minute run played a second apart at first takes 1,412 and keeps 899; replayed spaced as
    // it ended, it takes 900, no more than it keeps (at slightly different moments: no matter, any will do).
    const played = new Checkpoints();
    let taken = 0;
    for (let t = played.nextAt; t <= 30 * 60_000; t = played.nextAt, taken++) played.add(at(t, t));
    const replayed = new Checkpoints(limitsFor(30 * 60_000));
    let again = 0;
    for (let t = replayed.nextAt; t <= 30 * 60_000; t = replayed.nextAt, again++) replayed.add(at(t, t));
    expect(taken).toBe(1412);
    expect(played.all.length).toBe(899);
    expect(again).toBe(900);
    expect(replayed.all.length).toBe(900);
    expect(replayed.spacing).toBe(played.spacing);
  });
});
