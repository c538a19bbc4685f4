import type { ArrowCursor, ArrowList } from './arrowViews';
import type { MarkCursor, MarkStore } from './markStore';
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

/** `lowerBound` over positions 0..n−1 read through `key`. */
function lowerBoundAt(n: number, key: (i: number) => number, value: number, lo = 0): number {
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(mid) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The `i`-th arrow of `list`: through `cursor` when given (valid until the next one), else a new object. */
function arrowAt(list: ArrowList, i: number, cursor: ArrowCursor | undefined): Arrow {
  return cursor ? cursor.moveTo(list.pos(i)) : list.at(i);
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
 * only the part of the list near the window is read. With `cursor` (over `list.store`), each is
 * visited through it, no object made.
 */
export function visitArrows(list: ArrowList, maxSpan: number, t0: number, t1: number, m: Moment, visit: (a: Arrow) => void, cursor?: ArrowCursor): void {
  const sentBy = Math.min(t1, m.time);
  const endAt = (i: number) => list.endAt(i);
  for (let i = lowerBoundAt(list.length, endAt, t0); i < list.length; i++) {
    if (list.endAt(i) > sentBy + maxSpan) break;
    if (list.sentAt(i) <= sentBy) visit(arrowAt(list, i, cursor));
  }
}

/**
 * First position from `from` whose arrow ends at or after `value`, probing 1, 2, 4… ahead before
 * bisecting: a skip of k arrows costs about 2·log k reads, not a scan of them.
 */
function gallop(list: ArrowList, from: number, value: number): number {
  let step = 1;
  let lo = from;
  while (lo + step < list.length && list.endAt(lo + step) < value) {
    lo += step;
    step *= 2;
  }
  return lowerBoundAt(list.length, (i) => list.endAt(i), value, lo);
}

/**
 * `visitArrows` thinned for a zoomed-out view: once `visit` says it drew an arrow, the arrows that
 * end less than `gapMs` after that one's send are passed over unread (in one pair of lanes they
 * would be drawn into the same pixels). With `gapMs` 0 it is exactly `visitArrows`.
 */
export function visitArrowsThinned(list: ArrowList, maxSpan: number, t0: number, t1: number, m: Moment, gapMs: number, visit: (a: Arrow) => boolean, cursor?: ArrowCursor): void {
  const sentBy = Math.min(t1, m.time);
  let i = lowerBoundAt(list.length, (k) => list.endAt(k), t0);
  while (i < list.length) {
    if (list.endAt(i) > sentBy + maxSpan) break;
    const sentAt = list.sentAt(i);
    if (sentAt <= sentBy && visit(arrowAt(list, i, cursor)) && gapMs > 0) i = Math.max(i + 1, gallop(list, i + 1, sentAt + gapMs));
    else i++;
  }
}

/** Visit the marks (of one list, in frame order) in the time window [t0, t1] shown at the moment `m`; through `cursor` when given. */
export function visitMarks(list: MarkStore, t0: number, t1: number, m: Moment, visit: (mk: Mark) => void, cursor?: MarkCursor): void {
  for (let i = lowerBoundAt(list.length, (k) => list.time(k), t0); i < list.length; i++) {
    if (list.time(i) > t1 || list.frame(i) > m.frame) break;
    visit(cursor ? cursor.moveTo(i) : list.at(i));
  }
}
