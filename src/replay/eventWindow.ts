import { firstAtOrAfterIn, type EventHistory } from './eventStore';
import { EventPins } from './eventPins';
import type { SimEvent } from './simulation';

/**
 * Events `from`, `from + 1`, … made again by replaying the run (simulation.ts): at least the
 * chunk `start` … `end` − 1 asked for, often the chunks around it that the same replay makes anyway.
 */
export type EventRebuilder = (start: number, end: number) => { from: number; events: SimEvent[] };

export interface EventWindowPolicy {
  /** The newest this many sealed chunks are always kept: the event list near the head never rebuilds. */
  readonly head: number;
  /** Older chunks read lately, kept until this many newer reads push them out. */
  readonly recent: number;
}

/**
 * Dropped chunks read together are rebuilt by one replay when at most this many chunks lie between
 * them: replaying a chunk costs about what starting another replay does (its checkpoint restored).
 */
const PICK_GAP = 2;

/**
 * About 8 simulated seconds at the head (a chunk is a checkpoint interval), and 16 chunks around
 * the view: what one moment's views read (the event list's 80 rows, often 8 chunks back; the
 * messages in flight) stays in memory while the view rests there.
 */
export const DEFAULT_EVENT_WINDOW: EventWindowPolicy = { head: 8, recent: 16 };

/** Where the run's latest events are still being logged: the world (its `log` is replaced by a seal or a restore). */
export interface EventTail {
  readonly log: SimEvent[];
  /** Each server's latest event: the ones a later step can still add decisions to. */
  latestEvents(): SimEvent[];
}

/**
 * The event log of a recorded run, kept like its frames (frameStore.ts): the events since the last
 * checkpoint are the world's own array (the tail); at each checkpoint they are sealed into a chunk.
 * The newest chunks and the ones read lately stay in memory; the others are dropped, and rebuilt by
 * `rebuild` (a replay of their checkpoint interval) when read again.
 * Some servers' latest events are pinned in memory instead (eventPins.ts): they can gain
 * decisions a replay of their interval would not make.
 */
export class EventWindow implements EventHistory {
  /** Chunk k holds seqs starts[k] … starts[k+1] − 1 (the last one up to `sealedEnd`). */
  private starts: number[] = [];
  private chunks: (SimEvent[] | undefined)[] = [];
  /** Time of each chunk's first event (chunks are never empty): searches by time skip chunks unread. */
  private firstTimes: number[] = [];
  private sealedEnd = 0;
  private pins = new EventPins();
  /** `logged`, made once: `get` runs for every event the indexes read, and a closure a call was garbage. */
  private readonly loggedAt = (seq: number): SimEvent => this.logged(seq);
  private recentlyRead: number[] = [];
  /**
   * Head chunks read since the last seal. One that leaves the head window while the view still reads
   * it (the event list at the live edge of a quiet cluster, whose latest notable events are minutes
   * old) is kept as read lately, not dropped: dropped, the next frame rebuilt it, a replay of its
   * interval inside one frame (86 ms after a 20,000-request class session).
   */
  private readSinceSeal = new Set<number>();
  rebuild: EventRebuilder | null = null;

  constructor(
    private tailOf: EventTail,
    readonly policy: EventWindowPolicy = DEFAULT_EVENT_WINDOW,
  ) {}

  /** Read the tail from `tail` from now on (a run that takes this store over). */
  attach(tail: EventTail): void {
    this.tailOf = tail;
  }

  get start(): number {
    return this.starts.length > 0 ? this.starts[0] : this.sealedEnd;
  }

  get end(): number {
    return this.sealedEnd + this.tailOf.log.length;
  }

  /** Seq of the first event not yet sealed into a chunk. */
  get sealed(): number {
    return this.sealedEnd;
  }

  /** How many events are held in memory now (the tail, held chunks and pins). */
  get held(): number {
    let n = this.tailOf.log.length;
    for (const c of this.chunks) if (c) n += c.length;
    for (const seq of this.pins.held()) if (!this.chunks[this.chunkOf(seq)]) n++;
    return n;
  }

  /** Events pinned because they gained decisions after their chunk was sealed (what a replay of it misses). */
  get lateDecided(): number {
    return this.pins.lateDecided;
  }

  get(seq: number): SimEvent | undefined {
    if (!(seq >= this.start && seq < this.end)) return undefined;
    if (seq >= this.sealedEnd) return this.tailOf.log[seq - this.sealedEnd];
    return this.pins.get(seq, this.loggedAt) ?? this.logged(seq);
  }

  /** The event with this seq as the log's chunk holds it, the chunk rebuilt if it was dropped. */
  private logged(seq: number): SimEvent {
    const k = this.chunkOf(seq);
    const held = this.chunks[k];
    if (held) {
      if (this.cold(k)) this.touch(k);
      else this.readSinceSeal.add(k);
      return held[seq - this.starts[k]];
    }
    return this.load(k)[seq - this.starts[k]];
  }

  /**
   * The events with these seqs (each logged), in the order given. Dropped chunks among them are
   * rebuilt together: chunks close to one another by one replay, not one each (the event list
   * reads 80 events back from the moment on screen, often across several dropped chunks).
   */
  pick(seqs: readonly number[]): SimEvent[] {
    // What is held now is read first: rebuilding the others may push it out of the window.
    const out: (SimEvent | undefined)[] = [];
    const missing = new Set<number>();
    for (const seq of seqs) {
      if (!(seq >= this.start && seq < this.end)) throw new RangeError(`no event ${seq} (the log holds ${this.start} to ${this.end})`);
      const k = seq < this.sealedEnd && !this.pins.has(seq) ? this.chunkOf(seq) : -1;
      if (k >= 0 && this.chunks[k] === undefined) missing.add(k);
      out.push(k >= 0 && this.chunks[k] === undefined ? undefined : this.get(seq));
    }
    const made = new Map<number, { from: number; events: readonly SimEvent[] }>();
    const ks = [...missing].sort((a, b) => a - b);
    for (let i = 0, first = 0; i < ks.length; i++) {
      if (i + 1 < ks.length && ks[i + 1] - ks[i] <= PICK_GAP + 1) continue;
      // An earlier replay here may have made this group too (a thinned interval spans many chunks).
      const still = ks.slice(first, i + 1).filter((k) => this.chunks[k] === undefined);
      first = i + 1;
      if (still.length === 0) continue;
      const a = still[0];
      const b = still[still.length - 1];
      const span = this.loadSpan(a, b);
      for (let k = a; k <= b; k++) made.set(k, span);
    }
    return seqs.map((seq, i) => {
      const held = out[i];
      if (held !== undefined) return held;
      const span = made.get(this.chunkOf(seq));
      return span ? span.events[seq - span.from] : this.get(seq)!;
    });
  }

  range(from: number, to: number): SimEvent[] {
    const out: SimEvent[] = [];
    for (let seq = Math.max(from, this.start); seq < Math.min(to, this.end); seq++) out.push(this.get(seq)!);
    return out;
  }

  all(): SimEvent[] {
    return this.range(this.start, this.end);
  }

  latest(): readonly SimEvent[] {
    return this.tailOf.latestEvents();
  }

  unreadLatest(): ReadonlyMap<number, number> {
    return this.pins.unreadLatest();
  }

  firstAtOrAfter(time: number): number {
    // The last chunk whose first event is before `time`: the answer is in it, or is the next start.
    const lo = countBelow(this.firstTimes.length, (i) => this.firstTimes[i] < time);
    const tail = this.tailOf.log;
    if (lo === this.starts.length && (tail.length === 0 || tail[0].time < time)) return this.sealedEnd + firstAtOrAfterIn(tail, time);
    if (lo === 0) return this.start;
    const k = lo - 1;
    const chunk = this.chunks[k] ?? this.load(k);
    return this.starts[k] + firstAtOrAfterIn(chunk, time);
  }

  /**
   * Seal the tail as a chunk (the caller then gives the world a fresh array). `latest` are each
   * server's latest events now: the ones that may still gain decisions, so they are pinned.
   */
  seal(latest: Iterable<SimEvent>): void {
    const events = this.tailOf.log;
    this.pins.seal(new Set(latest), this.sealedEnd, this.sealedEnd + events.length);
    if (events.length === 0) return;
    this.starts.push(this.sealedEnd);
    this.chunks.push(events);
    this.firstTimes.push(events[0].time);
    this.sealedEnd += events.length;
    const left = this.chunks.length - 1 - this.policy.head;
    if (left >= 0 && !this.recentlyRead.includes(left)) {
      if (this.readSinceSeal.has(left)) this.touch(left);
      else this.drop(left);
    }
    this.readSinceSeal.clear();
  }

  /**
   * A store holding this one's events before `seq` (a checkpoint's: a chunk boundary), chunks
   * shared, not copied, and its pins; the tail is then `tail`'s, from `seq` on.
   */
  prefix(seq: number, tail: EventTail): EventWindow {
    const s = new EventWindow(tail, this.policy);
    const n = this.countBefore(seq);
    s.starts = this.starts.slice(0, n);
    s.chunks = this.chunks.slice(0, n);
    s.firstTimes = this.firstTimes.slice(0, n);
    if ((n > 0 ? this.chunkEnd(n - 1) : this.start) !== seq) throw new RangeError(`seq ${seq} is not where a chunk ends`);
    s.sealedEnd = seq;
    s.pins = this.pins.prefix(seq);
    s.recentlyRead = this.recentlyRead.filter((k) => k < n);
    return s;
  }

  /**
   * Keep in place of the logged event with this seq, for good, a resumed run's copy of an event a
   * server was still deciding on at the checkpoint, made with its first `decided` decisions when
   * first read (EventPins.keepUnread).
   */
  keepUnread(seq: number, decided: number): void {
    if (seq < this.sealedEnd) this.pins.keepUnread(seq, decided);
  }

  /** Events `from`, `from + 1`, … made by a replay: fill whichever dropped chunks they cover. */
  offer(from: number, events: readonly SimEvent[]): void {
    for (let k = this.countBefore(from); k < this.chunks.length; k++) {
      const end = this.chunkEnd(k);
      if (end > from + events.length) break;
      if (this.chunks[k] !== undefined || !this.cold(k)) continue;
      this.chunks[k] = events.slice(this.starts[k] - from, end - from);
      this.touch(k);
    }
  }

  private chunkEnd(k: number): number {
    return k + 1 < this.starts.length ? this.starts[k + 1] : this.sealedEnd;
  }

  /** How many chunks start before `seq`. */
  private countBefore(seq: number): number {
    return countBelow(this.starts.length, (i) => this.starts[i] < seq);
  }

  private chunkOf(seq: number): number {
    return this.countBefore(seq + 1) - 1;
  }

  /** Whether chunk `k` is older than the head window (so it may be dropped). */
  private cold(k: number): boolean {
    return k < this.chunks.length - this.policy.head;
  }

  private drop(k: number): void {
    if (this.rebuild && this.cold(k)) this.chunks[k] = undefined;
  }

  private touch(k: number): void {
    const at = this.recentlyRead.indexOf(k);
    if (at >= 0) this.recentlyRead.splice(at, 1);
    this.recentlyRead.push(k);
    while (this.recentlyRead.length > this.policy.recent) this.drop(this.recentlyRead.shift()!);
  }

  /** Rebuild chunk `k`, keeping every chunk the replay remade whole (they count as read, `k` last). */
  private load(k: number): SimEvent[] {
    const { from, events } = this.loadSpan(k, k);
    return this.chunks[k] ?? events.slice(this.starts[k] - from, this.chunkEnd(k) - from);
  }

  /**
   * Rebuild chunks `a` … `b` by one replay, keeping every chunk it remade whole (they count as
   * read, `b` last). Returns what the replay made: it holds them all, whichever stay in memory.
   */
  private loadSpan(a: number, b: number): { from: number; events: readonly SimEvent[] } {
    if (!this.rebuild) throw new RangeError(`events from ${this.starts[a]} are not held and this run cannot rebuild them`);
    const end = this.chunkEnd(b);
    const { from, events } = this.rebuild(this.starts[a], end);
    if (from > this.starts[a] || from + events.length < end) throw new RangeError(`rebuilding events from ${this.starts[a]} did not make them`);
    for (let k = a; k <= b; k++) if (this.chunks[k] === undefined) this.chunks[k] = events.slice(this.starts[k] - from, this.chunkEnd(k) - from);
    this.offer(from, events);
    for (let k = a; k <= b; k++) if (this.cold(k)) this.touch(k);
    return { from, events };
  }
}

/** How many of the first `n` indexes satisfy `below` (true for a prefix of them). */
function countBelow(n: number, below: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
