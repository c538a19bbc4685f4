import type { Reason, ReasonCode } from '../../raft/reasons';
import { CODED, SLOTS, decode, encode, fitsInt32 } from './reasonCodec';
import { RowList } from './rowList';

/** One decision of the recorded run, with the event it was kept on (its place in its server's order). */
export interface DecisionRef {
  /** Seq of the event the decision followed (see sim/events.ts Decision). */
  readonly seq: number;
  readonly node: string;
  readonly time: number;
  readonly reason: Reason;
  readonly msgId?: number;
}

/** Rows per block: a table holds at most one block it has not filled. */
const ROWS = 2048;
const U32 = 2 ** 32;

interface Block {
  readonly seq: Uint32Array;
  readonly time: Float64Array;
  /** msgId + 1; 0 for none. */
  readonly msg: Uint32Array;
  readonly node: Uint16Array;
  /** 1 + the reason's place in CODED; 0 for a reason kept as an object (slot 0: its place in `kept`). */
  readonly code: Uint8Array;
  readonly slots: Int32Array;
}

function newBlock(): Block {
  return {
    seq: new Uint32Array(ROWS),
    time: new Float64Array(ROWS),
    msg: new Uint32Array(ROWS),
    node: new Uint16Array(ROWS),
    code: new Uint8Array(ROWS),
    slots: new Int32Array(ROWS * SLOTS),
  };
}

function copyBlock(b: Block): Block {
  return { seq: b.seq.slice(), time: b.time.slice(), msg: b.msg.slice(), node: b.node.slice(), code: b.code.slice(), slots: b.slots.slice() };
}

/**
 * Why?'s decisions as typed columns, one row each, in the order they were added (rows never move
 * or change): about 50 bytes a decision where a DecisionRef and its reason object took about 190.
 * `ref(row)` makes the DecisionRef again when a question reads one. Full blocks are shared with a
 * table cut from this one (`filter`): neither ever writes to them again.
 */
export class DecisionTable {
  private blocks: Block[] = [];
  private n = 0;
  private names: string[] = [];
  private nameIds = new Map<string, number>();
  /** The reasons not coded as numbers (reasonCodec.ts), referred to by slot 0 of their rows. */
  private kept: Reason[] = [];
  /** The numbers of coded reasons that do not fit their slots (a commit's matches). */
  private spilled = new RowList();

  get length(): number {
    return this.n;
  }

  /** Bytes held in typed arrays (outside the JS heap's own count); shared blocks counted too. */
  get bytes(): number {
    let n = this.spilled.bytes;
    for (const b of this.blocks) n += b.seq.byteLength + b.time.byteLength + b.msg.byteLength + b.node.byteLength + b.code.byteLength + b.slots.byteLength;
    return n;
  }

  push(seq: number, node: string, time: number, reason: Reason, msgId: number | undefined): number {
    if (!(Number.isInteger(seq) && seq >= 0 && seq < U32) || (msgId !== undefined && !(Number.isInteger(msgId) && msgId >= 0 && msgId < U32 - 1))) {
      throw new Error(`Why?'s index holds seqs and message ids below 2^32: got seq ${seq}, message ${String(msgId)}`);
    }
    const row = this.n;
    const k = row % ROWS;
    if (k === 0) this.blocks.push(newBlock());
    const b = this.blocks[this.blocks.length - 1];
    b.seq[k] = seq;
    b.time[k] = time;
    b.msg[k] = msgId === undefined ? 0 : msgId + 1;
    b.node[k] = this.nodeId(node);
    const at = k * SLOTS;
    const put = (slot: number, v: number) => fitsInt32(v) && ((b.slots[at + slot] = v), true);
    const spill = (values: readonly number[]) => {
      const first = this.spilled.length;
      for (const v of values) this.spilled.push(v);
      return first;
    };
    const coded = encode(reason, put, (id) => this.nodeId(id), spill);
    b.code[k] = coded ? CODED.indexOf(reason.code as (typeof CODED)[number]) + 1 : 0;
    if (!coded) {
      b.slots.fill(0, at, at + SLOTS);
      b.slots[at] = this.kept.length;
      this.kept.push(reason);
    }
    this.n++;
    return row;
  }

  private nodeId(id: string): number {
    let n = this.nameIds.get(id);
    if (n === undefined) {
      n = this.names.length;
      if (n > 0xffff) throw new Error('Why?\'s index holds at most 65,536 node ids');
      this.names.push(id);
      this.nameIds.set(id, n);
    }
    return n;
  }

  private block(row: number): Block {
    return this.blocks[Math.floor(row / ROWS)];
  }

  seq(row: number): number {
    return this.block(row).seq[row % ROWS];
  }

  time(row: number): number {
    return this.block(row).time[row % ROWS];
  }

  node(row: number): string {
    return this.names[this.block(row).node[row % ROWS]];
  }

  code(row: number): ReasonCode {
    const b = this.block(row);
    const c = b.code[row % ROWS];
    return c > 0 ? CODED[c - 1] : this.kept[b.slots[(row % ROWS) * SLOTS]].code;
  }

  /** The reason of `row`: the very object for a kept one, an equal new one for a coded one. */
  reason(row: number): Reason {
    const b = this.block(row);
    const k = row % ROWS;
    const at = k * SLOTS;
    const c = b.code[k];
    if (c === 0) return this.kept[b.slots[at]];
    return decode(CODED[c - 1], (slot) => b.slots[at + slot], (n) => this.names[n], (i) => this.spilled.at(i));
  }

  ref(row: number): DecisionRef {
    const b = this.block(row);
    const k = row % ROWS;
    const msg = b.msg[k];
    return { seq: b.seq[k], node: this.names[b.node[k]], time: b.time[k], reason: this.reason(row), msgId: msg === 0 ? undefined : msg - 1 };
  }

  /**
   * The rows with seqs below `cut` but for those in `drop`, in their order, as a new table, and
   * where each row went (-1: dropped). The rows before `prefix` are all kept, in place (the full
   * blocks among them are shared, not copied): every row with a seq below the lowest it drops.
   */
  filter(cut: number, drop: ReadonlyMap<number, unknown>): { table: DecisionTable; prefix: number; last: number; moved: (row: number) => number } {
    let lowest = cut;
    for (const s of drop.keys()) lowest = Math.min(lowest, s);
    let p = 0;
    for (const b of this.blocks) {
      const end = Math.min(ROWS, this.n - p);
      let k = 0;
      while (k < end && b.seq[k] < lowest) k++;
      p += k;
      if (k < end) break;
    }
    const t = new DecisionTable();
    t.names = [...this.names];
    t.nameIds = new Map(this.nameIds);
    const full = Math.floor(p / ROWS);
    t.blocks = this.blocks.slice(0, full);
    if (p % ROWS > 0) t.blocks.push(copyBlock(this.blocks[full]));
    t.n = p;
    // The kept reasons themselves are shared; the new table appends to its own list of them.
    t.kept = this.kept.slice();
    t.spilled = this.spilled.cut(this.spilled.length, (v) => v);
    const tail = new Int32Array(this.n - p).fill(-1);
    let last = p - 1;
    for (let row = p; row < this.n; row++) {
      const seq = this.seq(row);
      if (seq < cut && !drop.has(seq)) {
        tail[row - p] = t.push(seq, this.node(row), this.time(row), this.reason(row), this.ref(row).msgId);
        last = row;
      }
    }
    // `last`: the highest row kept. Lists of rows need not read past it: every later row is dropped.
    return { table: t, prefix: p, last, moved: (row) => (row < p ? row : tail[row - p]) };
  }
}
