import { withDecisions } from '../sim/world';
import type { SimEvent } from './simulation';

/**
 * A pinned event, and how many decisions it had when pinned (-1: kept for good, -2: a resumed
 * run's copy). A resumed run's copy not made yet has no event: it is the logged one cut to `cut`
 * decisions, made when first read (`keepUnread`).
 */
interface Pin {
  e: SimEvent | null;
  decided: number;
  readonly cut?: number;
}

/**
 * The events an event window (eventWindow.ts) keeps in memory whatever chunk they are in. A replay
 * makes every event exactly as logged, with one exception: a server's decisions are kept on its
 * latest event, so an event that was some server's latest when its chunk was sealed can still gain
 * decisions in a later interval, which a replay of its own interval would not make. Those events
 * are pinned at the seal, and read in preference to a rebuilt copy. A pin is let go once its
 * server has moved on (no more decisions can come) if none came.
 */
export class EventPins {
  private readonly pins = new Map<number, Pin>();
  /**
   * The latest events of the checkpoint this run resumed from, kept unread (`keepUnread`), and the
   * decisions each had: not those a prefix inherits (their servers moved on long before, and Why?'s
   * index of a fork cuts at the lowest seq it is told of, copying the rows after it one by one).
   */
  private readonly resumedLatest = new Map<number, number>();

  has(seq: number): boolean {
    return this.pins.has(seq);
  }

  /** The pinned event with this seq (an unread one made now from `logged`), or undefined. */
  get(seq: number, logged: (seq: number) => SimEvent): SimEvent | undefined {
    const pin = this.pins.get(seq);
    return pin && (pin.e ??= withDecisions(logged(seq), pin.cut ?? 0));
  }

  /** The seqs of the pinned events made (an unread one holds nothing yet). */
  *held(): Iterable<number> {
    for (const [seq, pin] of this.pins) if (pin.e) yield seq;
  }

  /** Events pinned because they gained decisions after their chunk was sealed (what a replay of it misses). */
  get lateDecided(): number {
    let n = 0;
    for (const pin of this.pins.values()) if (pin.decided === -1) n++;
    return n;
  }

  /**
   * At a seal of the events `from` … `to` − 1: let go of the pins whose server moved on with no
   * decision since, and pin `latest` (each server's latest now) among the sealed events.
   */
  seal(latest: ReadonlySet<SimEvent>, from: number, to: number): void {
    for (const [seq, pin] of this.pins) {
      if (pin.decided < 0 || !pin.e || latest.has(pin.e)) continue;
      // Its server moved on: no decision can come any more. With none since the seal, a rebuilt
      // copy is the same event; with some, this is the only copy that has them.
      if ((pin.e.decisions?.length ?? 0) === pin.decided) this.pins.delete(seq);
      else pin.decided = -1;
    }
    for (const e of latest)
      if (e.seq >= from && e.seq < to) this.pins.set(e.seq, { e, decided: e.decisions?.length ?? 0 });
  }

  /** The pins of events before `seq`, for a window that holds this one's events before it. */
  prefix(seq: number): EventPins {
    const out = new EventPins();
    for (const [q, pin] of this.pins) if (q < seq) out.pins.set(q, { ...pin });
    return out;
  }

  /**
   * Keep, for good, a resumed run's copy of an event a server was still deciding on at the
   * checkpoint (the chunk may be shared with the run it came from, whose own copy went on to gain
   * that run's decisions). The copy, with the first `decided` of its decisions, is made from the
   * logged event when first read: a resumed run reads a checkpoint's latest events only if a
   * decision comes for one, and reading them rebuilt a dropped chunk, most of a fork's cost.
   */
  keepUnread(seq: number, decided: number): void {
    this.pins.set(seq, { e: null, decided: -2, cut: decided });
    this.resumedLatest.set(seq, decided);
  }

  /** The resumed checkpoint's latest events not read yet, and the decisions each had then. */
  unreadLatest(): ReadonlyMap<number, number> {
    const out = new Map<number, number>();
    for (const [seq, decided] of this.resumedLatest)
      if (this.pins.get(seq)?.e === null) out.set(seq, decided);
    return out;
  }
}
