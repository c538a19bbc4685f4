import type { NetMessage } from '../cluster/types';
import type { LoggedEvent } from '../sim/events';

type SimEvent = LoggedEvent<NetMessage>;

/**
 * A run's event log as every reader sees it: events by seq, and ranges of them. Readers go through
 * this, not the array the world appends to, so the run is free to keep only some events in memory
 * and rebuild the others when asked.
 */
export interface EventHistory {
  /** Seq of the first event kept (above 0 only when older events were discarded for good). */
  readonly start: number;
  /** Seq one past the last event logged. */
  readonly end: number;
  /** The event with this seq, or undefined when it is not (or no longer) logged. */
  get(seq: number): SimEvent | undefined;
  /** Events with seq in [from, to), clipped to what is logged, in seq order. */
  range(from: number, to: number): SimEvent[];
  /** Seq of the first event logged at or after `time` (events are in time order); `end` if none. */
  firstAtOrAfter(time: number): number;
  /** Every event logged, in seq order: for whole-run checks and exports, not for drawing a moment. */
  all(): SimEvent[];
  /**
   * Each server's latest event, while the run goes on: a server's decisions are kept on it, so it
   * may still gain some (empty for a finished log).
   */
  latest(): readonly SimEvent[];
  /**
   * Servers' latest events that a run resumed from a checkpoint has not read back yet (seq → how
   * many decisions each had then): latest as those of `latest()`, with those decisions, until a
   * decision comes for one (it is then read back, and among `latest()`).
   */
  unreadLatest(): ReadonlyMap<number, number>;
}

/**
 * The events of a log held in one array whose first element has the lowest seq kept. Reads the
 * array afresh each time through `list`, because the world replaces its log when it is restored.
 */
export class EventStore implements EventHistory {
  constructor(private readonly list: () => readonly SimEvent[]) {}

  get start(): number {
    const log = this.list();
    return log.length > 0 ? log[0].seq : 0;
  }

  get end(): number {
    const log = this.list();
    return log.length > 0 ? log[0].seq + log.length : 0;
  }

  get(seq: number): SimEvent | undefined {
    const log = this.list();
    const i = log.length > 0 ? seq - log[0].seq : -1;
    return i >= 0 && i < log.length ? log[i] : undefined;
  }

  range(from: number, to: number): SimEvent[] {
    const log = this.list();
    if (log.length === 0) return [];
    const base = log[0].seq;
    return log.slice(Math.max(0, from - base), Math.max(0, to - base));
  }

  all(): SimEvent[] {
    return [...this.list()];
  }

  latest(): readonly SimEvent[] {
    return [];
  }

  unreadLatest(): ReadonlyMap<number, number> {
    return new Map();
  }

  firstAtOrAfter(time: number): number {
    return this.start + firstAtOrAfterIn(this.list(), time);
  }
}

/** An event history over a fixed list of events (a headless run's log, a test's). */
export function eventsOf(log: readonly SimEvent[]): EventHistory {
  return new EventStore(() => log);
}

/** Index of the first event at or after `time` in a list in time order (its length if none). */
export function firstAtOrAfterIn(list: readonly SimEvent[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
