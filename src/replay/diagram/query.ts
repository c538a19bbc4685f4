import type { Arrow, Mark } from './types';

/** First position in `list` (from `lo`) whose key is >= `value` (the list is sorted by key). */
export function lowerBound<T>(list: readonly T[], key: (t: T) => number, value: number, lo = 0): number {
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The moment drawn: simulated time `time`, with the events before `seqEnd` logged and the frames
 * up to `frame` shown. An arrow whose end is not logged by then is in flight and ends at `time`.
 */
export interface Moment {
  readonly time: number;
  readonly seqEnd: number;
  readonly frame: number;
}

/** Whether the arrow's delivery or loss has happened at the moment drawn. */
export function arrived(a: Arrow, m: Moment): boolean {
  return a.seq >= 0 && a.seq < m.seqEnd;
}

/**
 * Visit the arrows (of one list, sorted by end time) that cross the time window [t0, t1] at the
 * moment `m`: sent by then, and not ended before t0. `maxSpan` bounds how long an arrow can be, so
 * only the part of the list near the window is read.
 */
export function visitArrows(list: readonly Arrow[], maxSpan: number, t0: number, t1: number, m: Moment, visit: (a: Arrow) => void): void {
  const sentBy = Math.min(t1, m.time);
  for (let i = lowerBound(list, (a) => a.endAt, t0); i < list.length; i++) {
    const a = list[i];
    if (a.endAt > sentBy + maxSpan) break;
    if (a.sentAt <= sentBy) visit(a);
  }
}

/**
 * First position from `from` whose arrow ends at or after `value`, probing 1, 2, 4… ahead before
 * bisecting: a skip of k arrows costs about 2·log k reads, not a scan of them.
 */
function gallop(list: readonly Arrow[], from: number, value: number): number {
  let step = 1;
  let lo = from;
  while (lo + step < list.length && list[lo + step].endAt < value) {
    lo += step;
    step *= 2;
  }
  return lowerBound(list, (a) => a.endAt, value, lo);
}

/**
 * `visitArrows` thinned for a zoomed-out view: once `visit` says it drew an arrow, the arrows that
 * end less than `gapMs` after that one's send are passed over unread (in one pair of lanes they
 * would be drawn into the same pixels). With `gapMs` 0 it is exactly `visitArrows`.
 */
export function visitArrowsThinned(list: readonly Arrow[], maxSpan: number, t0: number, t1: number, m: Moment, gapMs: number, visit: (a: Arrow) => boolean): void {
  const sentBy = Math.min(t1, m.time);
  let i = lowerBound(list, (a) => a.endAt, t0);
  while (i < list.length) {
    const a = list[i];
    if (a.endAt > sentBy + maxSpan) break;
    if (a.sentAt <= sentBy && visit(a) && gapMs > 0) i = Math.max(i + 1, gallop(list, i + 1, a.sentAt + gapMs));
    else i++;
  }
}

/** Visit the marks (of one list, in frame order) in the time window [t0, t1] shown at the moment `m`. */
export function visitMarks(list: readonly Mark[], t0: number, t1: number, m: Moment, visit: (mk: Mark) => void): void {
  for (let i = lowerBound(list, (k) => k.time, t0); i < list.length; i++) {
    const k = list[i];
    if (k.time > t1 || k.frame > m.frame) break;
    visit(k);
  }
}
