import type { TimerKind } from '../../sim/events';
import { DeltaColumn, Interner, deleteFrom, uint8 } from './columns';
import type { Mark, MarkDetail, MarkKind } from './types';

/**
 * The marks of one list (heartbeat timers, or the rest) as columns of numbers, in frame order.
 * Nearly all marks are a server's appends, commit-index advances and applies (three per write per
 * server) and timer firings: their details are two numbers. The few others (a role, a vote, a
 * client request and its answer, a partition...) keep their detail object aside. A `Mark` object
 * is made only when one is read (`at`); drawing reads through a cursor.
 */

const KINDS: readonly MarkKind[] = ['timeout', 'role', 'vote', 'append', 'truncate', 'commit', 'apply', 'snapshot', 'crash', 'restart', 'partition', 'heal', 'network', 'config', 'client', 'answer'];
const kindId = new Map(KINDS.map((k, i) => [k, i]));
const TIMERS: readonly TimerKind[] = ['election', 'heartbeat'];
const NO_LANE = 0xff;
/** The kind column's flag for a mark with no event (its seq null). */
const NO_SEQ = 0x80;
/** The kind column's bits for a timeout's timer (its place in TIMERS) and whether it was forced. */
const TIMER = 0x10;
const FORCED = 0x20;
const KIND = 0x0f;

type Compact = Extract<MarkDetail, { kind: 'timeout' | 'append' | 'truncate' | 'commit' | 'apply' | 'client' }>;

function isCompact(d: MarkDetail): d is Compact {
  return d.kind === 'timeout' || d.kind === 'append' || d.kind === 'truncate' || d.kind === 'commit' || d.kind === 'apply' || d.kind === 'client';
}

/** The id a mark has by construction: its event's seq, else `kind@frame:lane` (`answer@frame:call`). */
function idOf(seq: number | null, kind: MarkKind, frame: number, lane: string | null, detail: () => MarkDetail): number | string {
  if (seq !== null) return seq;
  if (kind === 'answer') {
    const d = detail();
    return `answer@${frame}:${d.kind === 'answer' ? d.call : ''}`;
  }
  return `${kind}@${frame}:${lane}`;
}

export class MarkStore {
  length = 0;
  private readonly kindC = uint8();
  private readonly laneC = uint8();
  // In frame order: frames, times and seqs change little from row to row.
  private readonly frameC = new DeltaColumn();
  private readonly timeC = new DeltaColumn();
  private readonly seqC = new DeltaColumn();
  // A log index kind's from and to (a truncate's to): close to the rows' around them. A row of
  // another kind repeats the row before (see DeltaColumn.pushOrRepeat).
  private readonly d0C = new DeltaColumn();
  private readonly d1C = new DeltaColumn();
  /** The detail of a mark that is not one of the compact kinds, by position. */
  private readonly details = new Map<number, MarkDetail>();

  constructor(
    readonly routine: boolean,
    private readonly lanes: Interner<string>,
  ) {}

  /** Bytes of typed arrays held (outside the JS heap's count of objects). */
  get bytes(): number {
    return [this.kindC, this.laneC, this.frameC, this.timeC, this.seqC, this.d0C, this.d1C].reduce((n, c) => n + c.bytes, 0);
  }

  push(m: Mark): number {
    if (m.routine !== this.routine) throw new RangeError(`a ${m.routine ? 'routine' : 'non-routine'} mark in the wrong list`);
    const id = idOf(m.seq, m.detail.kind, m.frame, m.lane, () => m.detail);
    if (id !== m.id) throw new RangeError(`mark ${m.id} does not have the id its kind gives (${id})`);
    const i = this.length;
    this.kindC.ensure(i);
    this.laneC.ensure(i);
    const d = m.detail;
    let kind = kindId.get(d.kind)! | (m.seq === null ? NO_SEQ : 0);
    this.laneC.data[i] = m.lane === null ? NO_LANE : this.lanes.id(m.lane);
    this.frameC.push(i, m.frame);
    this.timeC.push(i, m.time);
    // A mark with no event (flagged in its kind) repeats the row before's seq.
    this.seqC.pushOrRepeat(i, m.seq);
    let d0: number | null = null;
    let d1: number | null = null;
    // A client mark is kept whole (one a request: few), not read back from the event log: the whole
    // run's client marks are drawn at once, and the log may keep only a window of its events in
    // memory (each dropped one would be rebuilt by replaying its interval).
    if (!isCompact(d) || d.kind === 'client') this.details.set(i, d);
    else if (d.kind === 'timeout') kind |= (TIMERS.indexOf(d.timer) === 1 ? TIMER : 0) | (d.forced ? FORCED : 0);
    else {
      d0 = d.kind === 'truncate' ? null : d.from;
      d1 = d.to;
    }
    this.kindC.data[i] = kind;
    this.d0C.pushOrRepeat(i, d0);
    this.d1C.pushOrRepeat(i, d1);
    this.length++;
    return i;
  }

  /** Keep only the first `n` marks: what a fork cuts off goes at once, whatever its length. */
  truncate(n: number): void {
    if (n >= this.length) return;
    if (n < 0) throw new RangeError(`cannot keep ${n} marks`);
    this.length = n;
    deleteFrom(this.details, n);
    for (const c of [this.frameC, this.timeC, this.seqC, this.d0C, this.d1C]) c.truncate(n);
  }

  /** How many marks belong to frames up to `frame` (marks are in frame order). */
  countUpToFrame(frame: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.frameC.get(mid) <= frame) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  kind(i: number): MarkKind {
    return KINDS[this.kindC.data[i] & KIND];
  }
  frame(i: number): number {
    return this.frameC.get(i);
  }
  time(i: number): number {
    return this.timeC.get(i);
  }
  lane(i: number): string | null {
    const l = this.laneC.data[i];
    return l === NO_LANE ? null : this.lanes.name(l);
  }
  seq(i: number): number | null {
    return this.kindC.data[i] & NO_SEQ ? null : this.seqC.get(i);
  }
  id(i: number): number | string {
    return idOf(this.seq(i), this.kind(i), this.frame(i), this.lane(i), () => this.detail(i));
  }
  detail(i: number): MarkDetail {
    const kept = this.details.get(i);
    if (kept) return kept;
    const kind = this.kind(i);
    const k = this.kindC.data[i];
    switch (kind) {
      case 'timeout':
        return { kind, timer: TIMERS[k & TIMER ? 1 : 0], forced: (k & FORCED) !== 0 };
      case 'truncate':
        return { kind, to: this.d1C.get(i) };
      case 'append':
      case 'commit':
      case 'apply':
        return { kind, from: this.d0C.get(i), to: this.d1C.get(i) };
      default:
        throw new RangeError(`mark ${i} has no detail`);
    }
  }

  /** The mark at position `i`, as a new object. */
  at(i: number): Mark {
    return { id: this.id(i), seq: this.seq(i), frame: this.frame(i), time: this.time(i), lane: this.lane(i), detail: this.detail(i), routine: this.routine };
  }

  cursor(): MarkCursor {
    return new MarkCursor(this);
  }

  *[Symbol.iterator](): Iterator<Mark> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/** One mark of a store at a time, read in place (see ArrowCursor); `snapshot()` makes a lasting one. */
export class MarkCursor implements Mark {
  p = 0;
  private d: MarkDetail | null = null;

  constructor(readonly store: MarkStore) {}

  moveTo(pos: number): this {
    this.p = pos;
    this.d = null;
    return this;
  }
  get kind(): MarkKind {
    return this.store.kind(this.p);
  }
  get id(): number | string {
    return this.store.id(this.p);
  }
  get seq(): number | null {
    return this.store.seq(this.p);
  }
  get frame(): number {
    return this.store.frame(this.p);
  }
  get time(): number {
    return this.store.time(this.p);
  }
  get lane(): string | null {
    return this.store.lane(this.p);
  }
  get detail(): MarkDetail {
    return (this.d ??= this.store.detail(this.p));
  }
  get routine(): boolean {
    return this.store.routine;
  }
  snapshot(): Mark {
    return this.store.at(this.p);
  }
}
