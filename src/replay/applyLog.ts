import { DeltaColumn, float64, uint16, type Column } from './diagram/columns';
import type { ApplyRecord } from './runTypes';

const U32 = 2 ** 32;

/**
 * Which node applied the entry at each log index, and when: every node applies every entry, so a
 * 9-node run records nine applies a write (some 5,400 a minute at 10 writes/s). Kept as rows of
 * typed columns in the order they happened (about 16 bytes a row, where an ApplyRecord object in a
 * list of a Map cost about 70); `get` makes the records of one index when they are read.
 *
 * Rows are added in frame order (a run's frames only grow), so what a fork keeps, the applies up
 * to its frame, is a prefix of the rows. Each row points back to the previous row of its index.
 * Along the rows, frames only grow, the nodes apply much the same indexes, and an index's previous
 * row is a few rows back: those three are 16-bit steps (DeltaColumn), not 32-bit numbers.
 */
export class ApplyLog implements Iterable<[number, ApplyRecord[]]> {
  private n: number;
  private readonly indexC: DeltaColumn;
  private readonly nodeC: Column<Uint16Array>;
  private readonly timeC: Column<Float64Array>;
  private readonly frameC: DeltaColumn;
  /** How many rows back the previous row of the same index is, 0 for its first. */
  private readonly backC: DeltaColumn;
  /**
   * Each index's latest row by index, -1 for none: a run's log indexes run from 1 without gaps, so
   * an array (4 bytes an index) where a Map took about 40, and a fork copies it in one go (copying
   * the Map was a tenth of a fork at minute 30). An index far past the array's end is kept in `far`.
   */
  private last: Int32Array;
  private far: Map<number, number> | null;
  /** How many indexes have a row. */
  private indexes: number;
  private readonly names: string[];
  private readonly nameIds: Map<string, number>;

  /** With `from`, a copy of it, every column its own (`prefix` then cuts it back). */
  constructor(from?: ApplyLog) {
    this.n = from?.n ?? 0;
    this.indexC = from?.indexC.copy() ?? new DeltaColumn();
    this.nodeC = from?.nodeC.copy() ?? uint16();
    this.timeC = from?.timeC.copy() ?? float64();
    this.frameC = from?.frameC.copy() ?? new DeltaColumn();
    this.backC = from?.backC.copy() ?? new DeltaColumn();
    this.last = from ? from.last.slice() : new Int32Array(1024).fill(-1);
    this.far = from?.far ? new Map(from.far) : null;
    this.indexes = from?.indexes ?? 0;
    this.names = from ? [...from.names] : [];
    this.nameIds = new Map(from?.nameIds);
  }

  /** How many indexes have applies. */
  get size(): number {
    return this.indexes;
  }

  /** How many applies are recorded. */
  get rows(): number {
    return this.n;
  }

  /** Bytes held in typed arrays (outside what the JS heap's own count sees), room not yet used included. */
  get bytes(): number {
    return this.nodeC.bytes + this.timeC.bytes + this.indexC.bytes + this.frameC.bytes + this.backC.bytes;
  }

  /** The previous row of the same index as row `r`, -1 for none. */
  private prev(r: number): number {
    const back = this.backC.get(r);
    return back === 0 ? -1 : r - back;
  }

  /** `node` applied the entry at `index` at `time`, in frame `frame` (never below the last row's). */
  add(index: number, node: string, time: number, frame: number): void {
    if (!(Number.isInteger(index) && index >= 0 && index < U32)) throw new RangeError(`the apply log holds log indexes below 2^32: got ${index}`);
    if (!(Number.isInteger(frame) && frame >= 0 && frame < U32)) throw new RangeError(`the apply log holds frames below 2^32: got ${frame}`);
    if (this.n > 0 && frame < this.frameC.get(this.n - 1)) throw new RangeError(`apply in frame ${frame} after one in frame ${this.frameC.get(this.n - 1)}`);
    const i = this.n;
    this.nodeC.ensure(i);
    this.timeC.ensure(i);
    this.indexC.push(i, index);
    this.nodeC.data[i] = this.nodeId(node);
    this.timeC.data[i] = time;
    this.frameC.push(i, frame);
    const prev = this.lastRow(index);
    this.backC.push(i, prev < 0 ? 0 : i - prev);
    this.setLast(index, i);
    this.n++;
  }

  /** The latest row of `index`, -1 for none. */
  private lastRow(index: number): number {
    return index < this.last.length ? this.last[index] : (this.far?.get(index) ?? -1);
  }

  /** Make `row` the latest of `index` (-1: it has none now). */
  private setLast(index: number, row: number): void {
    if ((this.lastRow(index) < 0) !== (row < 0)) this.indexes += row < 0 ? -1 : 1;
    if (index >= this.last.length && index < 4 * this.last.length) this.grow(index);
    if (index < this.last.length) this.last[index] = row;
    else if (row >= 0) (this.far ??= new Map()).set(index, row);
    else this.far?.delete(index);
  }

  /** Make the array hold `index`, taking in the far indexes it then covers. */
  private grow(index: number): void {
    let size = this.last.length;
    while (size <= index) size *= 2;
    const grown = new Int32Array(size).fill(-1);
    grown.set(this.last);
    this.last = grown;
    for (const [i, row] of this.far ?? []) {
      if (i >= size) continue;
      grown[i] = row;
      this.far!.delete(i);
    }
  }

  private nodeId(id: string): number {
    let k = this.nameIds.get(id);
    if (k === undefined) {
      k = this.names.length;
      if (k > 0xffff) throw new RangeError('the apply log holds at most 65,536 node ids');
      this.names.push(id);
      this.nameIds.set(id, k);
    }
    return k;
  }

  /** The applies of the entry at `index`, in the order they happened (undefined if none). */
  get(index: number): ApplyRecord[] | undefined {
    const rows: number[] = [];
    for (let r = this.lastRow(index); r >= 0; r = this.prev(r)) rows.push(r);
    if (rows.length === 0) return undefined;
    return rows.reverse().map((r) => ({ node: this.names[this.nodeC.data[r]], time: this.timeC.data[r], frame: this.frameC.get(r) }));
  }

  /** Each index with its applies, indexes in the order of their first apply (as a Map filled in that order). */
  *entries(): IterableIterator<[number, ApplyRecord[]]> {
    for (let r = 0; r < this.n; r++) {
      if (this.backC.get(r) !== 0) continue;
      const index = this.indexC.get(r);
      yield [index, this.get(index)!];
    }
  }

  *values(): IterableIterator<ApplyRecord[]> {
    for (const [, list] of this.entries()) yield list;
  }

  [Symbol.iterator](): IterableIterator<[number, ApplyRecord[]]> {
    return this.entries();
  }

  /** How many rows belong to frames up to `frame` (a prefix: rows are in frame order). */
  countUpTo(frame: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.frameC.get(mid) <= frame) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Keep only the first `n` rows, in place (the rows after them are undone, latest first). */
  truncate(n: number): void {
    for (let r = this.n - 1; r >= Math.max(0, n); r--) {
      const index = this.indexC.get(r);
      const prev = this.prev(r);
      this.setLast(index, prev);
    }
    this.n = Math.min(this.n, Math.max(0, n));
    for (const c of [this.indexC, this.frameC, this.backC]) c.truncate(this.n);
  }

  /**
   * A new log holding the first `n` rows of this one: a copy cut back (copying the columns whole
   * and undoing the rows after `n` costs less than adding the rows kept again, as a fork did).
   */
  prefix(n: number): ApplyLog {
    const out = new ApplyLog(this);
    out.truncate(n);
    return out;
  }

  /** Forget every apply. */
  clear(): void {
    this.truncate(0);
  }
}
