/**
 * Columns of numbers that grow as rows are added, for the diagram's stores (arrowStore.ts, markStore.ts):
 * a run records tens of thousands of messages a minute, and one object per message cost the page
 * about 10 MB of heap a minute where a row of typed arrays costs a few dozen bytes.
 */

type Typed = Int32Array | Float64Array | Uint32Array | Uint16Array | Int16Array | Uint8Array;

interface TypedCtor<T extends Typed> {
  new (n: number): T;
}

/**
 * One column of numbers by row, in a typed array that grows by a quarter again when full (so at
 * most a fifth of it, on average a tenth, is room not yet used; copying it as it grows costs some
 * 4 writes a row in all). Read `data[i]` where it is used: each
 * place that reads it then sees one kind of typed array, a read V8 makes fast (a method shared
 * by columns of six kinds would be megamorphic, several times slower where drawing loops).
 */
export class Column<T extends Typed> {
  data: T;

  constructor(private readonly make: TypedCtor<T>) {
    this.data = new make(16);
  }

  /** Bytes held (the room not yet used included). */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** A copy of this column, in an array of its own. */
  copy(): Column<T> {
    const c = new Column(this.make);
    c.data = this.data.slice() as T;
    return c;
  }

  /** Make room for row `i`. */
  ensure(i: number): void {
    if (i < this.data.length) return;
    let n = this.data.length;
    while (n <= i) n = Math.ceil(n * 1.25);
    const next = new this.make(n);
    next.set(this.data);
    this.data = next;
  }
}

export const int32 = (): Column<Int32Array> => new Column(Int32Array);
export const float64 = (): Column<Float64Array> => new Column(Float64Array);
export const uint32 = (): Column<Uint32Array> => new Column(Uint32Array);
export const uint16 = (): Column<Uint16Array> => new Column(Uint16Array);
export const uint8 = (): Column<Uint8Array> => new Column(Uint8Array);

/** Rows per block of a DeltaColumn. */
const BLOCK_SHIFT = 6;
const BLOCK_MASK = (1 << BLOCK_SHIFT) - 1;
const ASIDE = -0x8000;

/**
 * Numbers that change little from row to row (ids, seqs, times in ms along a list in time order)
 * as a 16-bit step from the first value of their block of 64 rows: 2 bytes a row instead of 4 or
 * 8. A value that is not its block's first plus a whole step in range is kept aside, exactly.
 * Rows are set in order, each once (after a pop, the row is set again).
 */
export class DeltaColumn {
  private readonly base = float64();
  private readonly step = new Column(Int16Array);
  private readonly aside = new Map<number, number>();

  get bytes(): number {
    return this.base.bytes + this.step.bytes;
  }

  /** A copy of this column, in arrays of its own (neither is written through the other). */
  copy(): DeltaColumn {
    const c = new DeltaColumn();
    c.base.data = this.base.data.slice();
    c.step.data = this.step.data.slice();
    for (const [k, v] of this.aside) c.aside.set(k, v);
    return c;
  }

  /** Set row `i`, the next row (every row before it is set). */
  push(i: number, v: number): void {
    this.step.ensure(i);
    const b = i >>> BLOCK_SHIFT;
    if ((i & BLOCK_MASK) === 0) {
      this.base.ensure(b);
      this.base.data[b] = v;
    }
    const base = this.base.data[b];
    const d = v - base;
    if (Number.isInteger(d) && d > ASIDE && d <= 0x7fff && Object.is(base + d, v)) this.step.data[i] = d;
    else {
      this.step.data[i] = ASIDE;
      this.aside.set(i, v);
    }
  }

  /**
   * Set row `i` to `v`, or, for a row with no value of this column (read as such elsewhere, by its
   * kind), to the row before's: a step of 0, never a value kept aside.
   */
  pushOrRepeat(i: number, v: number | null): void {
    this.push(i, v ?? (i > 0 ? this.get(i - 1) : 0));
  }

  /** Keep only rows 0…n−1 (the rows from `n` on may be set again). */
  truncate(n: number): void {
    deleteFrom(this.aside, n);
  }

  get(i: number): number {
    const d = this.step.data[i];
    return d === ASIDE ? this.aside.get(i)! : this.base.data[i >>> BLOCK_SHIFT] + d;
  }
}

/** Strings (server ids, drop reasons) as small numbers, in order of first use. */
export class Interner<S extends string> {
  private readonly ids = new Map<S, number>();
  readonly names: S[] = [];

  constructor(private readonly max: number) {}

  id(s: S): number {
    let n = this.ids.get(s);
    if (n === undefined) {
      n = this.names.length;
      if (n >= this.max) throw new RangeError(`more than ${this.max} distinct names in the diagram (at "${s}")`);
      this.names.push(s);
      this.ids.set(s, n);
    }
    return n;
  }

  name(n: number): S {
    return this.names[n];
  }
}

/**
 * Delete the keys `n` and over of a map by row: the maps that keep a store's rare rows aside. Only
 * those few are walked, never the rows themselves (a fork cuts hundreds of thousands of rows).
 */
export function deleteFrom(map: Map<number, unknown>, n: number): void {
  if (map.size === 0) return;
  for (const k of map.keys()) if (k >= n) map.delete(k);
}

/** Positions (into a store) in increasing order, as they were added: a store's per-pair index. */
export class Positions {
  // Increasing, and close together along one pair of lanes: a 16-bit step from a base per 64 rows.
  private readonly col = new DeltaColumn();
  length = 0;

  get bytes(): number {
    return this.col.bytes;
  }

  push(pos: number): void {
    this.col.push(this.length++, pos);
  }

  /** Keep only the positions below `pos` (they are in increasing order: found by binary search). */
  cutAt(pos: number): void {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.col.get(mid) < pos) lo = mid + 1;
      else hi = mid;
    }
    this.length = lo;
    this.col.truncate(lo);
  }

  get(i: number): number {
    return this.col.get(i);
  }
}
