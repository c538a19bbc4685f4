/**
 * Columns of numbers that grow by doubling, for the diagram's stores (arrowStore.ts, markStore.ts):
 * a run records tens of thousands of messages a minute, and one object per message cost the page
 * about 10 MB of heap a minute where a row of typed arrays costs a few dozen bytes.
 */

type Typed = Int32Array | Float64Array | Uint32Array | Uint8Array;

interface TypedCtor<T extends Typed> {
  new (n: number): T;
}

/** One column: `length` values in a typed array at least that long. */
export class Column<T extends Typed> {
  data: T;

  constructor(
    private readonly make: TypedCtor<T>,
    capacity = 64,
  ) {
    this.data = new make(capacity);
  }

  /** Bytes held (the whole typed array, the room not yet used included). */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** Make room for index `i` (doubling, so appending costs O(1) amortized). */
  ensure(i: number): void {
    if (i < this.data.length) return;
    let n = this.data.length * 2;
    while (n <= i) n *= 2;
    const next = new this.make(n);
    next.set(this.data);
    this.data = next;
  }
}

export const int32 = (): Column<Int32Array> => new Column(Int32Array);
export const float64 = (): Column<Float64Array> => new Column(Float64Array);
export const uint32 = (): Column<Uint32Array> => new Column(Uint32Array);
export const uint8 = (): Column<Uint8Array> => new Column(Uint8Array);

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

/** Positions (into a store) in the order they were added: a store's per-pair or per-id index. */
export class Positions {
  private readonly col = int32();
  length = 0;

  get bytes(): number {
    return this.col.bytes;
  }

  push(pos: number): void {
    this.col.ensure(this.length);
    this.col.data[this.length++] = pos;
  }

  pop(): number {
    return this.col.data[--this.length];
  }

  get(i: number): number {
    return this.col.data[i];
  }

  /** Put `pos` at `i`, moving those from `i` on one place up. */
  insert(i: number, pos: number): void {
    this.col.ensure(this.length);
    const d = this.col.data;
    d.copyWithin(i + 1, i, this.length);
    d[i] = pos;
    this.length++;
  }

  /** Take out the position at `i`. */
  remove(i: number): void {
    const d = this.col.data;
    d.copyWithin(i, i + 1, this.length);
    this.length--;
  }
}
