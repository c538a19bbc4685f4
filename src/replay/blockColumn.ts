import { DeltaBlock } from './deltaBlock';

/**
 * A number per frame (a frame's time, its seqEnd, the states checked by then) for the whole run, in
 * blocks of 16,384 that a fork shares with the run it left instead of copying: a fork at minute 30
 * of a 9-node run copied some 12 MB of these, then grew each copy again at its first push. A
 * shared block is copied by whichever column writes to it first, so neither sees the other's writes.
 * Each block keeps its rows as 16-bit steps (deltaBlock.ts): frame by frame these numbers change
 * little, about 2 bytes a row where a Float64Array took 8 and a Uint32Array 4.
 */

const SHIFT = 14;
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;

export class BlockColumn {
  private blocks: DeltaBlock[] = [];
  /** Blocks that may be shared with another column: copied before a write. */
  private readonly shared = new Set<number>();
  /** One past the highest row written (or kept by `prefix`). */
  length = 0;

  /** Row `i` (0 for a row never written). */
  get(i: number): number {
    return this.blocks[i >>> SHIFT]?.get(i & MASK) ?? 0;
  }

  set(i: number, v: number): void {
    const b = i >>> SHIFT;
    while (this.blocks.length <= b) this.blocks.push(new DeltaBlock(SIZE, undefined, true));
    if (this.shared.size > 0 && this.shared.delete(b)) this.blocks[b] = new DeltaBlock(SIZE, this.blocks[b]);
    this.blocks[b].set(i & MASK, v);
    if (i >= this.length) this.length = i + 1;
  }

  /**
   * A column holding rows 0…n−1 of this one (the rest read as 0), sharing their blocks: whichever
   * of the two writes to a shared block first copies it. Costs a block list, not the rows.
   */
  prefix(n: number): BlockColumn {
    const c = new BlockColumn();
    const blocks = Math.min(Math.ceil(n / SIZE), this.blocks.length);
    c.blocks = this.blocks.slice(0, blocks);
    c.length = Math.min(n, this.length);
    for (let b = 0; b < blocks; b++) {
      c.shared.add(b);
      this.shared.add(b);
    }
    // The rows at and past `n` in the last block are this column's: cleared in the other's copy.
    if (n % SIZE !== 0 && blocks === Math.ceil(n / SIZE)) {
      const last = new DeltaBlock(SIZE, c.blocks[blocks - 1]);
      for (let k = n & MASK; k < SIZE; k++) last.set(k, undefined);
      c.blocks[blocks - 1] = last;
      c.shared.delete(blocks - 1);
    }
    return c;
  }

  /** Bytes held in typed arrays (shared blocks counted in each column that holds them). */
  get bytes(): number {
    return this.blocks.reduce((n, b) => n + b.bytes, 0);
  }
}

export const stepBlocks = (): BlockColumn => new BlockColumn();
