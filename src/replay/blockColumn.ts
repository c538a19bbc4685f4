/**
 * A number per frame (a frame's time, its seqEnd, the states checked by then) for the whole run, in
 * blocks of 16,384 that a fork shares with the run it left instead of copying: a fork at minute 30
 * of a 9-node run copied some 12 MB of these, then grew each copy again at its first push. A
 * shared block is copied by whichever column writes to it first, so neither sees the other's writes.
 */

const SHIFT = 14;
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;

type Typed = Float64Array | Uint32Array;

interface TypedCtor<T extends Typed> {
  new (n: number): T;
}

export class BlockColumn<T extends Typed> {
  private blocks: T[] = [];
  /** Blocks that may be shared with another column: copied before a write. */
  private readonly shared = new Set<number>();
  /** One past the highest row written (or kept by `prefix`). */
  length = 0;

  constructor(private readonly make: TypedCtor<T>) {}

  /** Row `i` (0 for a row never written). */
  get(i: number): number {
    const block = this.blocks[i >>> SHIFT];
    return block === undefined ? 0 : block[i & MASK];
  }

  set(i: number, v: number): void {
    const b = i >>> SHIFT;
    while (this.blocks.length <= b) this.blocks.push(new this.make(SIZE));
    if (this.shared.size > 0 && this.shared.delete(b)) this.blocks[b] = this.blocks[b].slice() as T;
    this.blocks[b][i & MASK] = v;
    if (i >= this.length) this.length = i + 1;
  }

  /**
   * A column holding rows 0…n−1 of this one (the rest read as 0), sharing their blocks: whichever
   * of the two writes to a shared block first copies it. Costs a block list, not the rows.
   */
  prefix(n: number): BlockColumn<T> {
    const c = new BlockColumn(this.make);
    const blocks = Math.min(Math.ceil(n / SIZE), this.blocks.length);
    c.blocks = this.blocks.slice(0, blocks);
    c.length = Math.min(n, this.length);
    for (let b = 0; b < blocks; b++) {
      c.shared.add(b);
      this.shared.add(b);
    }
    // The rows at and past `n` in the last block are this column's: cleared in the other's copy.
    if (n % SIZE !== 0 && blocks === Math.ceil(n / SIZE)) {
      const last = c.blocks[blocks - 1].slice() as T;
      last.fill(0, n & MASK);
      c.blocks[blocks - 1] = last;
      c.shared.delete(blocks - 1);
    }
    return c;
  }

  /** Bytes held (shared blocks counted in each column that holds them). */
  get bytes(): number {
    return this.blocks.reduce((n, b) => n + b.byteLength, 0);
  }
}

export const float64Blocks = (): BlockColumn<Float64Array> => new BlockColumn(Float64Array);
export const uint32Blocks = (): BlockColumn<Uint32Array> => new BlockColumn(Uint32Array);
