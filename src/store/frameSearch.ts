import type { FrameHistory } from '../replay/frameStore';

/** Last frame at or before `time` (frames are in time order). */
export function frameAtTime(frames: FrameHistory, time: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frames.time(mid) <= time) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** First frame whose step had logged event `seq` (seqEnd > seq). */
export function frameOfSeq(frames: FrameHistory, seq: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames.seqEnd(mid) > seq) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** How many of `answers` (in the order they came, so by time) had come by `time`. */
export function answersBy(answers: readonly { time: number }[], time: number): number {
  let lo = 0;
  let hi = answers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (answers[mid].time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
