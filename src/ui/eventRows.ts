import type { EventHistory } from '../replay/eventStore';
import type { SimEvent } from '../replay/simulation';

/** One reading of the event list: the latest events before `end` that `accept` takes, newest first. */
export interface RowScan {
  readonly events: EventHistory;
  readonly accept: (e: SimEvent) => boolean;
  readonly end: number;
  /** The event at `end - 1` when read: if the history no longer holds that very object, it was rewritten. */
  readonly last: SimEvent | undefined;
  readonly rows: readonly SimEvent[];
}

/**
 * The latest `max` events with seq below `end` that `accept` takes, newest first; with `prev`, the
 * reading of the same history and filter at an earlier end, only the events logged since are read.
 * While a quiet cluster plays, every event is a heartbeat or an ack that the list hides: read back
 * from the end each frame, the list walked every event since the last it shows (after a class
 * session, thousands a frame, and more the longer it played).
 */
export function latestRows(
  events: EventHistory,
  end: number,
  accept: (e: SimEvent) => boolean,
  max: number,
  prev: RowScan | null,
): RowScan {
  const start = events.start;
  const resume =
    prev !== null &&
    prev.events === events &&
    prev.accept === accept &&
    prev.end <= end &&
    events.get(prev.end - 1) === prev.last;
  const stop = resume ? Math.max(start, prev.end) : start;
  const rows: SimEvent[] = [];
  for (let seq = end - 1; seq >= stop && rows.length < max; seq--) {
    const e = events.get(seq);
    if (e && accept(e)) rows.push(e);
  }
  // The earlier reading's rows are the latest before its end; those older events no longer kept
  // (history dropped from the front) are left out, as a reading from scratch would.
  if (resume)
    for (let i = 0; i < prev.rows.length && rows.length < max && prev.rows[i].seq >= start; i++)
      rows.push(prev.rows[i]);
  return { events, accept, end, last: events.get(end - 1), rows };
}

/**
 * The latest `max` seqs below `end` of two lists, both newest first: the run's notable events and
 * a "why?"'s causal past (which may hold heartbeats and acks). Read by seq, not by walking the log
 * back: a quiet cluster logs nothing but heartbeats for minutes, and dropped history is rebuilt to
 * be read.
 */
export function notableRows(notable: readonly number[], past: readonly number[], end: number, max: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = past.findIndex((s) => s < end);
  if (j < 0) j = past.length;
  while (out.length < max && (i < notable.length || j < past.length)) {
    const a = i < notable.length ? notable[i] : -1;
    const b = j < past.length ? past[j] : -1;
    const next = Math.max(a, b);
    if (a === next) i++;
    if (b === next) j++;
    out.push(next);
  }
  return out;
}
