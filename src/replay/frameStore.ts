import type { Frame } from './frames';

/**
 * A run's frames as every reader sees them: a length, one frame by index, and each frame's time
 * and seqEnd on their own (what searches need). Readers go through this, not an array, so the run
 * is free to keep only some frames in memory and rebuild the others when asked.
 */
export interface FrameHistory {
  readonly length: number;
  get(i: number): Frame;
  /** Frame `i`, or undefined past either end. */
  at(i: number): Frame | undefined;
  /** The time of frame `i`, without needing the frame itself. */
  time(i: number): number;
  /** world.eventCount after frame `i`'s step: events with seq below it had happened. */
  seqEnd(i: number): number;
  /** Every frame, in order: for whole-run checks, not for drawing a moment. */
  all(): Frame[];
}

/** The frames of one run, in order: appended by the run, cut back by a fork. */
export class FrameStore implements FrameHistory {
  private list: Frame[];

  constructor(frames: Frame[] = []) {
    this.list = frames;
  }

  get length(): number {
    return this.list.length;
  }

  get last(): Frame {
    return this.list[this.list.length - 1];
  }

  get(i: number): Frame {
    const f = this.list[i];
    if (f === undefined) throw new RangeError(`no frame ${i} (the run has ${this.list.length})`);
    return f;
  }

  /** Frame `i`, or undefined past either end. */
  at(i: number): Frame | undefined {
    return this.list[i];
  }

  time(i: number): number {
    return this.get(i).time;
  }

  seqEnd(i: number): number {
    return this.get(i).seqEnd;
  }

  all(): Frame[] {
    return [...this.list];
  }

  push(frame: Frame): void {
    this.list.push(frame);
  }

  /** Frames `from` to `to` (exclusive), in order. */
  range(from: number, to: number): Frame[] {
    return this.list.slice(from, to);
  }

  /** A new store holding the first `n` frames (the frames themselves are shared, never copied). */
  prefix(n: number): FrameStore {
    return new FrameStore(this.list.slice(0, n));
  }

  /** Keep only the first `n` frames, in place. */
  truncate(n: number): void {
    this.list.length = Math.min(this.list.length, n);
  }
}
