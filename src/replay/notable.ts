import type { SimEvent } from './simulation';

/** Heartbeats, their acks and heartbeat timers: what "show heartbeats and acks" hides, and what a "next event" step skips. */
export function isRoutine(e: SimEvent): boolean {
  if (e.kind === 'timeout' && e.timer === 'heartbeat') return true;
  if (e.kind !== 'deliver') return false;
  const m = e.msg;
  return (m.type === 'AppendEntries' && m.entries.length === 0) || (m.type === 'AppendEntriesResp' && m.success);
}

/**
 * The seqs of a run's events that are not routine, in order (4 bytes each). The event list shows
 * the latest of them before the moment on screen: found here, it reads those events and no other,
 * where walking back over the log would read (and, for dropped history, rebuild) every heartbeat
 * of a quiet cluster since the last thing that happened.
 */
export class NotableSeqs {
  private seqs = new Uint32Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Bytes of the typed array held (room not yet used included). */
  get bytes(): number {
    return this.seqs.byteLength;
  }

  /** Called for every event logged, in seq order. */
  note(e: SimEvent): void {
    if (isRoutine(e)) return;
    if (this.n === this.seqs.length) {
      const grown = new Uint32Array(this.seqs.length * 2);
      grown.set(this.seqs);
      this.seqs = grown;
    }
    this.seqs[this.n++] = e.seq;
  }

  /** The same index for the events before `end` (a fork resumed there). */
  prefix(end: number): NotableSeqs {
    const s = new NotableSeqs();
    const n = this.countBelow(end);
    s.seqs = this.seqs.slice(0, Math.max(1024, n));
    s.n = n;
    return s;
  }

  /** The latest `max` seqs below `end`, newest first. */
  latestBelow(end: number, max: number): number[] {
    const out: number[] = [];
    for (let i = this.countBelow(end) - 1; i >= 0 && out.length < max; i--) out.push(this.seqs[i]);
    return out;
  }

  private countBelow(end: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid] < end) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
