import type { Checkpoints, SimCheckpoint } from './checkpoints';
import type { Frame } from './frames';
import type { FrameStore } from './frameStore';
import type { SimEvent } from './simulation';

/** What a shadow run made: its frames (from the checkpoint's own) and its events (from the checkpoint's seq). */
export interface ShadowMade {
  readonly frames: FrameStore;
  readonly events: readonly SimEvent[];
}

/** A recorded run as its dropped history is rebuilt from: its checkpoints and frame index, and replay. */
export interface Replayer {
  readonly checkpoints: Checkpoints;
  readonly frames: FrameStore;
  /**
   * Resume a throwaway run from `cp` (null: the start), replay it to frame `to`, and read what it
   * made; with `eventsOnly`, its frames are counted, not captured (only its events are read).
   */
  shadow<T>(cp: SimCheckpoint | null, to: number, read: (made: ShadowMade) => T, eventsOnly: boolean): T;
}

/**
 * Frame `i` made again, with the rest of its checkpoint interval: a shadow run resumed from the
 * latest checkpoint at or before `i` replays the run's inputs up to the next checkpoint (the least
 * a replay that reaches `i` can make, and what reading on from `i` will want) and is thrown away.
 * A resumed run is byte-identical to the original (checkpoint-resume.test.ts), so its frames equal
 * the ones dropped.
 */
export function framesAround(r: Replayer, i: number): { from: number; frames: Frame[] } {
  const cp = r.checkpoints.atOrBefore(i);
  const next = r.checkpoints.firstAfter(i);
  const from = cp ? cp.frame : 0;
  // Up to the next checkpoint's own frame: the interval's events are then whole, and the replay
  // fills their dropped chunk too (the views of a moment read its events right after its frame).
  // With no checkpoint after `i` (none could be taken for a while), stop a chunk past it.
  const last = next ? next.frame : Math.min(r.frames.length, Math.max(i, from) + r.frames.window.chunk) - 1;
  return r.shadow(cp, last, (made) => ({ from, frames: made.frames.range(from, last + 1) }), false);
}

/**
 * Events `start` … `end` − 1 (sealed chunks, one or several in a row) made again, the same way:
 * from the latest checkpoint taken at or before `start` to the first one taken after `end` − 1 was
 * logged (or, with none left after it, to the frame whose step logged event `end` − 1).
 */
export function eventsAround(r: Replayer, start: number, end: number): { from: number; events: SimEvent[] } {
  const cp = r.checkpoints.atOrBeforeSeq(start);
  const next = r.checkpoints.firstAfterSeq(end - 1);
  const to = next ? next.frame : frameOfSeq(r.frames, end - 1);
  return r.shadow(cp, to, (made) => ({ from: cp ? cp.events : 0, events: [...made.events] }), true);
}

/** The frame whose step logged event `seq` (the first whose seqEnd passes it). */
function frameOfSeq(frames: FrameStore, seq: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames.seqEnd(mid) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
