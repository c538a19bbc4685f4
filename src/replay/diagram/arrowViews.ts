import type { NetMessage } from '../../cluster/types';
import type { DropReason } from '../../sim/events';
import type { MsgClass } from '../describe';
import type { ArrowStore } from './arrowStore';
import { Positions } from './columns';
import type { Arrow } from './types';

// Ways to read an ArrowStore's rows: as a list (one pair of lanes' positions) and in place.

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
  /** Forget the positions the store no longer has (its rows from `length` on were cut). */
  cutAt(length: number): void {
    this.positions.cutAt(length);
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
