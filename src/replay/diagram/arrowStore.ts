import type { NetMessage } from '../../cluster/types';
import type { DropReason } from '../../sim/events';
import type { MsgClass } from '../describe';
import { AE, CLASSES, CLS, CR, CRESP, DROPPED, DUP, IS, PREVOTE, REASON, REASONS, TO, TYPE, TYPES, clsId, must, reasonId, typeId, type MsgType } from './arrowMeta';
import { DeltaColumn, Interner, deleteFrom, uint16, uint32, type Column } from './columns';
import { ArrowCursor, type ArrowList } from './arrowViews';

export type { MsgType } from './arrowMeta';
import type { Arrow } from './types';

/**
 * The logged arrows of one list (the routine ones, or the rest) as columns of numbers, one row per
 * arrow in the order their fate was logged (so by end time). An `Arrow` object is made only when
 * one is read (`at`); drawing reads the columns through a cursor and makes none. The message
 * itself is not kept: the event log holds it, and `at` reads it back by the event's seq.
 */

/** Reads a logged message back by its delivery's or drop's seq. */
export type MessageAt = (seq: number) => NetMessage;

/** Rows per block of the msgId search (one number kept per block). */
const BLOCK = 64;
/** The latency column's mark for "sent at a time kept aside" (not a whole number of ms below it). */
const ASIDE = 0xffff;

export class ArrowStore implements ArrowList {
  length = 0;
  readonly store = this;
  /** The longest any arrow here took from send to end (kept as a bound when arrows are taken out). */
  private maxSpan = 0;
  // Along a list in time order, ids, seqs and end times change little from row to row.
  private readonly msgIdC = new DeltaColumn();
  private readonly seqC = new DeltaColumn();
  private readonly endC = new DeltaColumn();
  /** endAt − sentAt, in whole ms; ASIDE when `sentAside` holds the send time. */
  private readonly latencyC = uint16();
  private readonly metaC = uint32();
  /** msgId − replyTo (the request was sent a little before): 0 for none, ASIDE when `replyAside` holds it. */
  private readonly replyC = uint16();
  private readonly replyAside = new Map<number, number>();
  // The four columns below hold numbers of some message types only (0 for the others, read as
  // such by type): a row of another type repeats the row before, a step of 0 and never a value aside.
  /** AppendEntries: leaderCommit; InstallSnapshot: its round; a client message: the call id. */
  private readonly xC = new DeltaColumn();
  /**
   * AppendEntries: its broadcast round, which its reply echoes. A fork pairs the replies still to
   * come with the requests delivered just before it by this (ArrowMaker.rebuild): read from the
   * message instead, it rebuilt a dropped chunk of the event log, a checkpoint interval's replay.
   */
  private readonly roundC = new DeltaColumn();
  /** AppendEntries with entries: prevLogIndex and the entry count (never in the routine list, whose are heartbeats and acks). */
  private readonly prevC: DeltaColumn | null;
  private readonly countC: DeltaColumn | null;
  private readonly sentAside = new Map<number, number>();
  /** sendId where it is not msgId (the second copy of a duplicated send): rare. */
  private readonly sendIds = new Map<number, number>();
  /** The highest msgId of the rows up to the end of each block of BLOCK rows: `find` bisects these. */
  private readonly blockMax: number[] = [];

  constructor(
    readonly routine: boolean,
    private readonly lanes: Interner<string>,
    private readonly messageAt: MessageAt,
  ) {
    this.prevC = routine ? null : new DeltaColumn();
    this.countC = routine ? null : new DeltaColumn();
  }

  /** Bytes of typed arrays held (outside the JS heap's count of objects). */
  get bytes(): number {
    let n = 0;
    for (const c of this.steps()) n += c.bytes;
    for (const c of this.columns()) n += c.bytes;
    return n;
  }

  private columns(): Column<Uint32Array | Uint16Array>[] {
    return [this.latencyC, this.metaC, this.replyC];
  }

  private steps(): DeltaColumn[] {
    const cols = [this.msgIdC, this.seqC, this.endC, this.xC, this.roundC];
    if (this.prevC && this.countC) cols.push(this.prevC, this.countC);
    return cols;
  }

  /** Append a logged arrow (its fate logged after every arrow before it); its position. */
  push(a: Arrow): number {
    if (a.end === 'pending') throw new RangeError('a pending arrow is not stored');
    if (a.routine !== this.routine) throw new RangeError(`a ${a.routine ? 'routine' : 'non-routine'} arrow in the wrong list`);
    if (!Number.isInteger(a.msgId) || a.msgId < 0 || a.msgId > 0x7fffffff) throw new RangeError(`message id ${a.msgId} out of range`);
    const m = a.msg;
    const entries = m.type === 'AppendEntries' ? m.entries.length : 0;
    if (entries > 0 && !this.prevC) throw new RangeError('an AppendEntries with entries among the heartbeats');
    const i = this.length;
    // Each column by name, not through `columns()`: an array made per arrow stored.
    this.latencyC.ensure(i);
    this.metaC.ensure(i);
    this.replyC.ensure(i);
    let meta = this.lanes.id(a.from) | (this.lanes.id(a.to) << TO) | (must(typeId.get(m.type), m.type) << TYPE) | (must(clsId.get(a.cls), a.cls) << CLS);
    meta |= must(reasonId.get(a.reason), `${a.reason}`) << REASON;
    if (a.end === 'dropped') meta |= DROPPED;
    if (a.duplicate) meta |= DUP;
    if ((m.type === 'RequestVote' || m.type === 'RequestVoteResp') && m.preVote) meta |= PREVOTE;
    this.metaC.data[i] = meta >>> 0;
    this.msgIdC.push(i, a.msgId);
    this.seqC.push(i, a.seq);
    this.endC.push(i, a.endAt);
    const latency = a.endAt - a.sentAt;
    if (Number.isInteger(latency) && latency >= 0 && latency < ASIDE && Object.is(a.endAt - latency, a.sentAt)) this.latencyC.data[i] = latency;
    else {
      this.latencyC.data[i] = ASIDE;
      this.sentAside.set(i, a.sentAt);
    }
    if (a.endAt - a.sentAt > this.maxSpan) this.maxSpan = a.endAt - a.sentAt;
    const back = a.replyTo === null ? 0 : a.msgId - a.replyTo;
    if (back > 0 && back < ASIDE) this.replyC.data[i] = back;
    else if (a.replyTo === null) this.replyC.data[i] = 0;
    else {
      this.replyC.data[i] = ASIDE;
      this.replyAside.set(i, a.replyTo);
    }
    const ae = m.type === 'AppendEntries';
    this.roundC.pushOrRepeat(i, ae ? m.seq : null);
    this.xC.pushOrRepeat(i, ae ? m.leaderCommit : m.type === 'InstallSnapshot' ? m.seq : m.type === 'ClientRequest' || m.type === 'ClientResponse' ? m.id : null);
    if (this.prevC && this.countC) {
      this.prevC.pushOrRepeat(i, ae ? m.prevLogIndex : null);
      this.countC.pushOrRepeat(i, ae ? entries : null);
    }
    if (a.sendId !== a.msgId) this.sendIds.set(i, a.sendId);
    const b = i / BLOCK;
    if (i % BLOCK === 0) this.blockMax.push(Math.max(a.msgId, b > 0 ? this.blockMax[b - 1] : -1));
    else this.blockMax[this.blockMax.length - 1] = Math.max(a.msgId, this.blockMax[this.blockMax.length - 1]);
    this.length++;
    return i;
  }

  /** Keep only the first `n` arrows: what a fork cuts off goes at once, whatever its length. */
  truncate(n: number): void {
    if (n >= this.length) return;
    if (n < 0) throw new RangeError(`cannot keep ${n} arrows`);
    this.length = n;
    deleteFrom(this.sendIds, n);
    deleteFrom(this.sentAside, n);
    deleteFrom(this.replyAside, n);
    for (const c of this.steps()) c.truncate(n);
    const blocks = Math.ceil(n / BLOCK);
    this.blockMax.length = blocks;
    if (n % BLOCK !== 0) {
      const b = blocks - 1;
      let max = b > 0 ? this.blockMax[b - 1] : -1;
      for (let k = b * BLOCK; k < n; k++) max = Math.max(max, this.msgId(k));
      this.blockMax[b] = max;
    }
  }

  /** How many arrows have a seq below `seq` (rows are in seq order: the order their fates were logged). */
  countBelowSeq(seq: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqC.get(mid) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The position of the arrow with this msgId, or -1. Ids follow the order of sending and rows the
   * order of fates, so an arrow sits after every block whose rows all have smaller ids, and before
   * any arrow ending more than the longest span after the send of an arrow with a larger id (that
   * one was sent after it).
   */
  find(msgId: number): number {
    let lo = 0;
    let hi = this.blockMax.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.blockMax[mid] < msgId) lo = mid + 1;
      else hi = mid;
    }
    let limit = Infinity;
    for (let k = lo * BLOCK; k < this.length && this.endAt(k) <= limit; k++) {
      const id = this.msgId(k);
      if (id === msgId) return k;
      if (id > msgId && limit === Infinity) limit = this.sentAt(k) + this.maxSpan;
    }
    return -1;
  }

  pos(i: number): number {
    return i;
  }

  msgId(i: number): number {
    return this.msgIdC.get(i);
  }
  sendId(i: number): number {
    return this.sendIds.get(i) ?? this.msgIdC.get(i);
  }
  seq(i: number): number {
    return this.seqC.get(i);
  }
  sentAt(i: number): number {
    const latency = this.latencyC.data[i];
    return latency === ASIDE ? this.sentAside.get(i)! : this.endC.get(i) - latency;
  }
  endAt(i: number): number {
    return this.endC.get(i);
  }
  fromId(i: number): number {
    return this.metaC.data[i] & 0xff;
  }
  toId(i: number): number {
    return (this.metaC.data[i] >>> TO) & 0xff;
  }
  from(i: number): string {
    return this.lanes.name(this.fromId(i));
  }
  to(i: number): string {
    return this.lanes.name(this.toId(i));
  }
  type(i: number): MsgType {
    return TYPES[(this.metaC.data[i] >>> TYPE) & 0xf];
  }
  cls(i: number): MsgClass {
    return CLASSES[(this.metaC.data[i] >>> CLS) & 0xf];
  }
  reason(i: number): DropReason | null {
    return REASONS[(this.metaC.data[i] >>> REASON) & 0x7];
  }
  end(i: number): 'delivered' | 'dropped' {
    return this.metaC.data[i] & DROPPED ? 'dropped' : 'delivered';
  }
  duplicate(i: number): boolean {
    return (this.metaC.data[i] & DUP) !== 0;
  }
  preVote(i: number): boolean {
    return (this.metaC.data[i] & PREVOTE) !== 0;
  }
  replyTo(i: number): number | null {
    const back = this.replyC.data[i];
    return back === 0 ? null : back === ASIDE ? this.replyAside.get(i)! : this.msgIdC.get(i) - back;
  }
  /** An AppendEntries' leaderCommit, an InstallSnapshot's round, a client message's call id. */
  x(i: number): number {
    const t = (this.metaC.data[i] >>> TYPE) & 0xf;
    return t === AE || t === IS || t === CR || t === CRESP ? this.xC.get(i) : 0;
  }
  /** An AppendEntries' broadcast round (0 for any other message). */
  round(i: number): number {
    return ((this.metaC.data[i] >>> TYPE) & 0xf) === AE ? this.roundC.get(i) : 0;
  }
  /** An AppendEntries' number of entries (a heartbeat's: none). */
  entries(i: number): number {
    return this.countC && ((this.metaC.data[i] >>> TYPE) & 0xf) === AE ? this.countC.get(i) : 0;
  }
  /** An AppendEntries' prevLogIndex (kept for those with entries). */
  prevLogIndex(i: number): number {
    return this.prevC && ((this.metaC.data[i] >>> TYPE) & 0xf) === AE ? this.prevC.get(i) : 0;
  }
  /** The message, read back from the event log (by `messageAt`, or the given reader). */
  message(i: number, messageAt: MessageAt = this.messageAt): NetMessage {
    return messageAt(this.seqC.get(i));
  }

  /** The arrow at position `i`, as a new object. */
  at(i: number): Arrow {
    return {
      msgId: this.msgId(i),
      sendId: this.sendId(i),
      duplicate: this.duplicate(i),
      from: this.from(i),
      to: this.to(i),
      sentAt: this.sentAt(i),
      endAt: this.endAt(i),
      end: this.end(i),
      seq: this.seq(i),
      reason: this.reason(i),
      cls: this.cls(i),
      routine: this.routine,
      replyTo: this.replyTo(i),
      msg: this.message(i),
    };
  }

  cursor(): ArrowCursor {
    return new ArrowCursor(this);
  }

  *[Symbol.iterator](): Iterator<Arrow> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}
