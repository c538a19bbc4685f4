import type { Reason, ReasonCode } from '../../raft/reasons';
import { DeltaBlock } from '../deltaBlock';
import { CODED, SLOTS, SLOTS_OF, decode, encode, fitsInt32 } from './reasonCodec';
import { SHAPES } from './shapes';
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
/** Rows per group of `at`: a row's slots start at its group's place plus the slots of the rows before it there. */
const GROUP_SHIFT = 3;
const U32 = 2 ** 32;
/** Codes past the coded reasons' own: their shapes (shapes.ts). */
const SHAPED = CODED.length + 1;
/** Slots a row takes by its code: 0 (a reason kept as an object) holds its place in `kept`. */
const COUNT = Uint8Array.from([1, ...CODED.map((c) => SLOTS_OF[c]), ...SHAPES.map((sh) => sh.slots)]);
/** Room for slots a new block starts with (it grows as rows come; a full block is cut to what it holds). */
const FIRST_SLOTS = 1024;

interface Block {
  readonly seq: DeltaBlock;
  readonly time: DeltaBlock;
  /** None for a decision no message triggered. */
  readonly msg: DeltaBlock;
  readonly node: Uint16Array;
  /** 1 + the reason's place in CODED, SHAPED + its shape's place in SHAPES, or 0 for a reason kept as an object. */
  readonly code: Uint8Array;
  /** Where each group's slots start. */
  readonly at: Uint16Array;
  slots: Int32Array;
  /** Slots used. */
  used: number;
  /**
   * At most the lowest and at least the highest seq of the block's rows: `filter` passes over a
   * block wholly before or wholly past what it keeps without reading its rows.
   */
  minSeq: number;
  maxSeq: number;
}

function newBlock(): Block {
  return {
    seq: new DeltaBlock(ROWS),
    time: new DeltaBlock(ROWS),
    msg: new DeltaBlock(ROWS),
    node: new Uint16Array(ROWS),
    code: new Uint8Array(ROWS),
    at: new Uint16Array(ROWS >> GROUP_SHIFT),
    slots: new Int32Array(FIRST_SLOTS),
    used: 0,
    minSeq: Infinity,
    maxSeq: -Infinity,
  };
}

function copyBlock(b: Block): Block {
  const d = (x: DeltaBlock) => new DeltaBlock(ROWS, x);
  return { seq: d(b.seq), time: d(b.time), msg: d(b.msg), node: b.node.slice(), code: b.code.slice(), at: b.at.slice(), slots: b.slots.slice(), used: b.used, minSeq: b.minSeq, maxSeq: b.maxSeq };
}

/** Where row `k`'s slots start in its block. */
function slotOf(b: Block, k: number): number {
  let at = b.at[k >> GROUP_SHIFT];
  for (let j = k & ~((1 << GROUP_SHIFT) - 1); j < k; j++) at += COUNT[b.code[j]];
  return at;
}

/**
 * Why?'s decisions as typed columns, one row each, in the order they were added (rows never move
 * or change): about 19 bytes a decision (48 with every row 7 slots and 8-byte times), where a
 * DecisionRef and its reason object took about 190.
 * Seqs, times and message ids are steps from a base (deltaBlock.ts); a coded reason takes only
 * the slots its code uses, or fewer in the narrowest of its shapes that fits (shapes.ts). `ref(row)` makes the DecisionRef again when a question reads one. Full
 * blocks are shared with a table cut from this one (`filter`): neither ever writes to them again.
 */
export class DecisionTable {
  private blocks: Block[] = [];
  private n = 0;
  private names: string[] = [];
  private nameIds = new Map<string, number>();
  /** The reasons not coded as numbers (reasonCodec.ts), referred to by the slot of their rows. */
  private kept: Reason[] = [];
  /** The numbers of coded reasons that do not fit their slots (a commit's matches). */
  private spilled = new RowList();
  /** Where a reason is coded before its slots are known. */
  private readonly scratch = new Int32Array(SLOTS);
  private readonly packed = new Int32Array(SLOTS);
  // What encode() writes through, made once: four closures made on every push were a third of the
  // index's CPU under tsx (a defineProperty each for its name), and four allocations a row anywhere.
  private readonly put = (slot: number, v: number): boolean => fitsInt32(v) && ((this.scratch[slot] = v), true);
  private readonly nodeOf = (id: string): number => this.nodeId(id);
  private readonly spill = (values: readonly number[]): number => {
    const first = this.spilled.length;
    for (const v of values) this.spilled.push(v);
    return first;
  };

  get length(): number {
    return this.n;
  }

  /** Bytes held in typed arrays (outside the JS heap's own count); shared blocks counted too. */
  get bytes(): number {
    let n = this.spilled.bytes;
    for (const b of this.blocks) n += b.seq.bytes + b.time.bytes + b.msg.bytes + b.node.byteLength + b.code.byteLength + b.at.byteLength + b.slots.byteLength;
    return n;
  }

  push(seq: number, node: string, time: number, reason: Reason, msgId: number | undefined): number {
    if (!(Number.isInteger(seq) && seq >= 0 && seq < U32) || (msgId !== undefined && !(Number.isInteger(msgId) && msgId >= 0 && msgId < U32 - 1))) {
      throw new Error(`Why?'s index holds seqs and message ids below 2^32: got seq ${seq}, message ${String(msgId)}`);
    }
    const s = this.scratch;
    const nodeId = this.nodeId(node);
    let code = encode(reason, this.put, this.nodeOf, this.spill) ? CODED.indexOf(reason.code as (typeof CODED)[number]) + 1 : 0;
    if (code === 0) {
      s[0] = this.kept.length;
      this.kept.push(reason);
    }
    let slots = s;
    if (code > 0) {
      for (let shape = 0; shape < SHAPES.length; shape++) {
        const sh = SHAPES[shape];
        if (sh.of === reason.code && sh.pack(s, this.packed)) {
          code = SHAPED + shape;
          slots = this.packed;
          break;
        }
      }
    }
    return this.append(seq, nodeId, time, msgId, code, slots);
  }

  /**
   * Row `row` of `from` added as it is, its slots copied: this table is a cut of `from` (`filter`),
   * with the same node ids, kept reasons and spilled numbers, so nothing is decoded and coded again.
   */
  private copyRow(from: DecisionTable, row: number): number {
    const b = from.block(row);
    const k = row % ROWS;
    const at = slotOf(b, k);
    return this.append(b.seq.get(k)!, b.node[k], b.time.get(k)!, b.msg.get(k), b.code[k], b.slots.subarray(at, at + COUNT[b.code[k]]));
  }

  private append(seq: number, nodeId: number, time: number, msgId: number | undefined, code: number, slots: Int32Array): number {
    const row = this.n;
    const k = row % ROWS;
    if (k === 0) this.blocks.push(newBlock());
    const b = this.blocks[this.blocks.length - 1];
    const count = COUNT[code];
    if (b.used + count > b.slots.length) {
      const grown = new Int32Array(Math.min(ROWS * SLOTS, b.slots.length * 2));
      grown.set(b.slots);
      b.slots = grown;
    }
    if (k % (1 << GROUP_SHIFT) === 0) b.at[k >> GROUP_SHIFT] = b.used;
    b.slots.set(slots.subarray(0, count), b.used);
    b.used += count;
    b.seq.set(k, seq);
    if (seq < b.minSeq) b.minSeq = seq;
    if (seq > b.maxSeq) b.maxSeq = seq;
    b.time.set(k, time);
    b.msg.set(k, msgId);
    b.node[k] = nodeId;
    b.code[k] = code;
    // A full block is never written again: it keeps only the slots it holds.
    if (k === ROWS - 1) b.slots = b.slots.slice(0, b.used);
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
    return this.block(row).seq.get(row % ROWS)!;
  }

  time(row: number): number {
    return this.block(row).time.get(row % ROWS)!;
  }

  node(row: number): string {
    return this.names[this.block(row).node[row % ROWS]];
  }

  code(row: number): ReasonCode {
    const b = this.block(row);
    const k = row % ROWS;
    const c = b.code[k];
    return c >= SHAPED ? SHAPES[c - SHAPED].of : c > 0 ? CODED[c - 1] : this.kept[b.slots[slotOf(b, k)]].code;
  }

  /** The reason of `row`: the very object for a kept one, an equal new one for a coded one. */
  reason(row: number): Reason {
    const b = this.block(row);
    const k = row % ROWS;
    const at = slotOf(b, k);
    const c = b.code[k];
    if (c === 0) return this.kept[b.slots[at]];
    const node = (n: number) => this.names[n];
    const spilled = (i: number) => this.spilled.at(i);
    if (c < SHAPED) return decode(CODED[c - 1], (slot) => b.slots[at + slot], node, spilled);
    const shape = SHAPES[c - SHAPED];
    const full = shape.unpack((i) => b.slots[at + i]);
    return decode(shape.of, (slot) => full[slot], node, spilled);
  }

  ref(row: number): DecisionRef {
    const b = this.block(row);
    const k = row % ROWS;
    return { seq: b.seq.get(k)!, node: this.names[b.node[k]], time: b.time.get(k)!, reason: this.reason(row), msgId: b.msg.get(k) };
  }

  /**
   * The rows with seqs below `cut`, of a seq in `keep` only its first `keep.get(seq)`, in their
   * order, as a new table, and where each row went (-1: dropped). The rows before `prefix` are all
   * kept, in place (the full blocks among them are shared, not copied): every row with a seq below
   * the lowest in `keep`.
   */
  filter(cut: number, keep: ReadonlyMap<number, number>): { table: DecisionTable; prefix: number; last: number; moved: (row: number) => number } {
    let lowest = cut;
    for (const s of keep.keys()) lowest = Math.min(lowest, s);
    /** Rows kept so far of each seq in `keep`. */
    const seen = new Map<number, number>();
    // Rows are in the order they were added, their seqs nearly in order: a block whose seqs are all
    // below `lowest` is passed over whole (at a fork late in a 10-minute run, reading each of the
    // 100,000 rows before it took most of the 40 ms this cut cost).
    let p = 0;
    for (const b of this.blocks) {
      const end = Math.min(ROWS, this.n - p);
      if (b.maxSeq < lowest) {
        p += end;
        if (end < ROWS) break;
        continue;
      }
      let k = 0;
      while (k < end && b.seq.get(k)! < lowest) k++;
      p += k;
      if (k < end) break;
    }
    const t = new DecisionTable();
    t.names = [...this.names];
    t.nameIds = new Map(this.nameIds);
    const full = Math.floor(p / ROWS);
    t.blocks = this.blocks.slice(0, full);
    if (p % ROWS > 0) {
      // Its rows from p on (if this table has them) are written again by the new table: its slots go on from row p's.
      const copy = copyBlock(this.blocks[full]);
      if (p < this.n) copy.used = slotOf(copy, p % ROWS);
      t.blocks.push(copy);
    }
    t.n = p;
    // The kept reasons themselves are shared; the new table appends to its own list of them.
    t.kept = this.kept.slice();
    t.spilled = this.spilled.cut(this.spilled.length, (v) => v);
    const tail = new Int32Array(this.n - p).fill(-1);
    let last = p - 1;
    for (let row = p; row < this.n; row++) {
      // A block whose seqs all reach `cut` holds only rows dropped (early in a long run, nearly all of them).
      if (row % ROWS === 0 && this.block(row).minSeq >= cut) {
        row += ROWS - 1;
        continue;
      }
      const seq = this.seq(row);
      const most = keep.get(seq);
      const n = most === undefined ? 0 : (seen.get(seq) ?? 0);
      if (most !== undefined && n < most) seen.set(seq, n + 1);
      if (seq < cut && (most === undefined || n < most)) {
        tail[row - p] = t.copyRow(this, row);
        last = row;
      }
    }
    // `last`: the highest row kept. Lists of rows need not read past it: every later row is dropped.
    return { table: t, prefix: p, last, moved: (row) => (row < p ? row : tail[row - p]) };
  }
}
