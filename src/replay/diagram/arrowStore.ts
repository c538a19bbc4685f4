import type { NetMessage } from '../../cluster/types';
import type { DropReason } from '../../sim/events';
import type { MsgClass } from '../describe';
import { Column, Interner, Positions, float64, int32, uint32 } from './columns';
import type { Arrow } from './types';

/**
 * The logged arrows of one list (the routine ones, or the rest) as columns of numbers, one row per
 * arrow in the order their fate was logged (so by end time). An `Arrow` object is made only when
 * one is read (`at`); drawing reads the columns through a cursor and makes none. The message
 * itself is not kept: the event log holds it, and `at` reads it back by the event's seq.
 */

export type MsgType = NetMessage['type'];

const TYPES: readonly MsgType[] = ['RequestVote', 'RequestVoteResp', 'AppendEntries', 'AppendEntriesResp', 'InstallSnapshot', 'InstallSnapshotResp', 'TimeoutNow', 'ClientRequest', 'ClientResponse'];
const CLASSES: readonly MsgClass[] = ['vote-req', 'vote-yes', 'vote-no', 'append', 'heartbeat', 'append-ok', 'append-no', 'snapshot', 'snapshot-resp', 'timeout-now', 'client'];
const REASONS: readonly (DropReason | null)[] = [null, 'lost', 'partitioned', 'receiver down', 'dropped by the user'];

const typeId = new Map(TYPES.map((t, i) => [t, i]));
const clsId = new Map(CLASSES.map((c, i) => [c, i]));
const reasonId = new Map(REASONS.map((r, i) => [r, i]));

// meta: from (8 bits) | to (8) | type (4) | cls (4) | reason (3) | dropped | duplicate | preVote.
const TO = 8;
const TYPE = 16;
const CLS = 20;
const REASON = 24;
const DROPPED = 1 << 27;
const DUP = 1 << 28;
const PREVOTE = 1 << 29;

function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new RangeError(`the diagram cannot store ${what}`);
  return v;
}

/** Reads a logged message back by its delivery's or drop's seq. */
export type MessageAt = (seq: number) => NetMessage;

export class ArrowStore implements ArrowList {
  length = 0;
  readonly store = this;
  private readonly msgIdC = int32();
  private readonly seqC = int32();
  private readonly sentC = float64();
  private readonly endC = float64();
  private readonly metaC = uint32();
  private readonly replyC = int32();
  /** AppendEntries: prevLogIndex; InstallSnapshot: its round; a client message: the call id. */
  private readonly xC = int32();
  /** AppendEntries: its entry count. */
  private readonly yC = int32();
  /** AppendEntries: leaderCommit. */
  private readonly zC = int32();
  /** AppendEntries: its round. */
  private readonly rC = int32();
  /** sendId where it is not msgId (the second copy of a duplicated send): rare. */
  private readonly sendIds = new Map<number, number>();
  /** Positions sorted by msgId (the order of sending), to find an arrow by id in O(log n). */
  private readonly byMsgId = new Positions();

  constructor(
    readonly routine: boolean,
    private readonly lanes: Interner<string>,
    private readonly messageAt: MessageAt,
  ) {}

  /** Bytes of typed arrays held (outside the JS heap's count of objects). */
  get bytes(): number {
    let n = this.byMsgId.bytes;
    for (const c of this.columns()) n += c.bytes;
    return n;
  }

  private columns(): Column<Int32Array | Float64Array | Uint32Array>[] {
    return [this.msgIdC, this.seqC, this.sentC, this.endC, this.metaC, this.replyC, this.xC, this.yC, this.zC, this.rC];
  }

  /** Append a logged arrow (its fate logged after every arrow before it); its position. */
  push(a: Arrow): number {
    if (a.end === 'pending') throw new RangeError('a pending arrow is not stored');
    if (!Number.isInteger(a.msgId) || a.msgId < 0 || a.msgId > 0x7fffffff) throw new RangeError(`message id ${a.msgId} out of range`);
    const i = this.length;
    for (const c of this.columns()) c.ensure(i);
    const m = a.msg;
    let meta = this.lanes.id(a.from) | (this.lanes.id(a.to) << TO) | (must(typeId.get(m.type), m.type) << TYPE) | (must(clsId.get(a.cls), a.cls) << CLS);
    meta |= must(reasonId.get(a.reason), `${a.reason}`) << REASON;
    if (a.end === 'dropped') meta |= DROPPED;
    if (a.duplicate) meta |= DUP;
    if ((m.type === 'RequestVote' || m.type === 'RequestVoteResp') && m.preVote) meta |= PREVOTE;
    this.metaC.data[i] = meta;
    this.msgIdC.data[i] = a.msgId;
    this.seqC.data[i] = a.seq;
    this.sentC.data[i] = a.sentAt;
    this.endC.data[i] = a.endAt;
    this.replyC.data[i] = a.replyTo ?? -1;
    const ae = m.type === 'AppendEntries';
    this.xC.data[i] = ae ? m.prevLogIndex : m.type === 'InstallSnapshot' ? m.seq : m.type === 'ClientRequest' || m.type === 'ClientResponse' ? m.id : 0;
    this.yC.data[i] = ae ? m.entries.length : 0;
    this.zC.data[i] = ae ? m.leaderCommit : 0;
    this.rC.data[i] = ae ? m.seq : 0;
    if (a.sendId !== a.msgId) this.sendIds.set(i, a.sendId);
    // Ids are in sending order and fates nearly so: the new one goes at or near the end.
    let k = this.byMsgId.length;
    while (k > 0 && this.msgIdC.data[this.byMsgId.get(k - 1)] > a.msgId) k--;
    this.byMsgId.insert(k, i);
    this.length++;
    return i;
  }

  /** Take the last arrow out. */
  pop(): void {
    const i = --this.length;
    const k = this.indexOfId(this.msgIdC.data[i]);
    this.byMsgId.remove(k);
    this.sendIds.delete(i);
  }

  /** The position of the arrow with this msgId, or -1. */
  find(msgId: number): number {
    const k = this.indexOfId(msgId);
    return k < this.byMsgId.length && this.msgId(this.byMsgId.get(k)) === msgId ? this.byMsgId.get(k) : -1;
  }

  private indexOfId(msgId: number): number {
    let lo = 0;
    let hi = this.byMsgId.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.msgIdC.data[this.byMsgId.get(mid)] < msgId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  pos(i: number): number {
    return i;
  }

  msgId(i: number): number {
    return this.msgIdC.data[i];
  }
  sendId(i: number): number {
    return this.sendIds.get(i) ?? this.msgIdC.data[i];
  }
  seq(i: number): number {
    return this.seqC.data[i];
  }
  sentAt(i: number): number {
    return this.sentC.data[i];
  }
  endAt(i: number): number {
    return this.endC.data[i];
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
    const r = this.replyC.data[i];
    return r < 0 ? null : r;
  }
  /** An AppendEntries' prevLogIndex, an InstallSnapshot's round, a client message's call id. */
  x(i: number): number {
    return this.xC.data[i];
  }
  /** An AppendEntries' number of entries. */
  entries(i: number): number {
    return this.yC.data[i];
  }
  leaderCommit(i: number): number {
    return this.zC.data[i];
  }
  /** An AppendEntries' broadcast round. */
  round(i: number): number {
    return this.rC.data[i];
  }
  message(i: number): NetMessage {
    return this.messageAt(this.seqC.data[i]);
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

/**
 * A list of arrows sorted by end time: a store, or some of its positions (one pair of lanes).
 * `at` makes an object; the queries read `endAt`/`sentAt` and draw through a cursor.
 */
export interface ArrowList extends Iterable<Arrow> {
  readonly length: number;
  readonly store: ArrowStore;
  /** Its `i`-th arrow's position in `store`. */
  pos(i: number): number;
  endAt(i: number): number;
  sentAt(i: number): number;
  at(i: number): Arrow;
}

/** Some arrows of a store, by position, in the store's order. */
export class ArrowSubList implements ArrowList {
  private readonly positions = new Positions();

  constructor(readonly store: ArrowStore) {}

  get length(): number {
    return this.positions.length;
  }
  get bytes(): number {
    return this.positions.bytes;
  }
  push(pos: number): void {
    this.positions.push(pos);
  }
  pop(): void {
    this.positions.pop();
  }
  pos(i: number): number {
    return this.positions.get(i);
  }
  endAt(i: number): number {
    return this.store.endAt(this.positions.get(i));
  }
  sentAt(i: number): number {
    return this.store.sentAt(this.positions.get(i));
  }
  at(i: number): Arrow {
    return this.store.at(this.positions.get(i));
  }
  *[Symbol.iterator](): Iterator<Arrow> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }
}

/**
 * One arrow of a store at a time, read in place: an `Arrow` that a loop moves from row to row
 * instead of making an object per row. Valid until moved; `snapshot()` makes a lasting one.
 */
export class ArrowCursor implements Arrow {
  p = 0;

  constructor(readonly store: ArrowStore) {}

  moveTo(pos: number): this {
    this.p = pos;
    return this;
  }
  get msgId(): number {
    return this.store.msgId(this.p);
  }
  get sendId(): number {
    return this.store.sendId(this.p);
  }
  get duplicate(): boolean {
    return this.store.duplicate(this.p);
  }
  get from(): string {
    return this.store.from(this.p);
  }
  get to(): string {
    return this.store.to(this.p);
  }
  get sentAt(): number {
    return this.store.sentAt(this.p);
  }
  get endAt(): number {
    return this.store.endAt(this.p);
  }
  get end(): Arrow['end'] {
    return this.store.end(this.p);
  }
  get seq(): number {
    return this.store.seq(this.p);
  }
  get reason(): DropReason | null {
    return this.store.reason(this.p);
  }
  get cls(): MsgClass {
    return this.store.cls(this.p);
  }
  get routine(): boolean {
    return this.store.routine;
  }
  get replyTo(): number | null {
    return this.store.replyTo(this.p);
  }
  /** Read from the event log: only for the few arrows that show words. */
  get msg(): NetMessage {
    return this.store.message(this.p);
  }
  snapshot(): Arrow {
    return this.store.at(this.p);
  }
}
