import { DeltaBlock } from '../deltaBlock';

/**
 * A table from small non-negative integer ids to seqs, addressed directly in blocks of 4,096
 * (about 2 bytes an id: a seq as a 16-bit step from a base per 64 ids, deltaBlock.ts): message ids
 * are the world's queue positions, dense and growing with the seqs of their deliveries, so a
 * delivery's seq by message id costs a few bytes instead of a Map entry.
 */
export class IdTable {
  private static readonly BLOCK = 4096;
  /** Block b holds ids b·BLOCK…; a slot holds the seq, or no value. */
  private blocks: (DeltaBlock | undefined)[] = [];
  /** The highest slot value written to each block (at least: an overwritten slot may have held more). */
  private highest: number[] = [];
  /** The lowest slot value written to each block (at most, likewise). */
  private lowest: number[] = [];

  get(id: number): number | undefined {
    return this.blocks[Math.floor(id / IdTable.BLOCK)]?.get(id % IdTable.BLOCK);
  }

  set(id: number, seq: number): void {
    const b = Math.floor(id / IdTable.BLOCK);
    (this.blocks[b] ??= new DeltaBlock(IdTable.BLOCK, undefined, true)).set(id % IdTable.BLOCK, seq);
    if (!(this.highest[b] > seq)) this.highest[b] = seq + 1;
    if (!(this.lowest[b] <= seq + 1)) this.lowest[b] = seq + 1;
  }

  /**
   * Keep only the entries whose seq is below `end`, in place. Each block's highest and lowest seqs
   * say whether it is kept whole, dropped whole, or read: only the few blocks across `end` are
   * (ids and seqs grow together; reading every slot, a fork at minute 20 of a 9-node run spent
   * 50 ms here, and clearing every slot past it 25 ms).
   */
  truncate(end: number): void {
    this.blocks.forEach((block, b) => {
      if (!block || this.highest[b] <= end) return;
      if (this.lowest[b] > end) {
        this.blocks[b] = undefined;
        this.highest[b] = 0;
        this.lowest[b] = Infinity;
        return;
      }
      let highest = 0;
      for (let i = 0; i < IdTable.BLOCK; i++) {
        const v = block.get(i);
        if (v === undefined) continue;
        if (v + 1 > end) block.set(i, undefined);
        else if (v + 1 > highest) highest = v + 1;
      }
      this.highest[b] = highest;
      // The lowest stays a bound: slots cleared here held more than every one kept.
    });
  }

  /** Bytes held (outside the JS heap's own count). */
  get bytes(): number {
    let n = 0;
    for (const b of this.blocks) if (b) n += b.bytes;
    return n;
  }
}
