/**
 * A table from small non-negative integer ids to seqs, addressed directly in blocks of 4,096
 * (4 bytes an id): message ids are the world's queue positions, dense and growing, so a delivery's
 * seq by message id costs a few bytes instead of a Map entry.
 */
export class IdTable {
  private static readonly BLOCK = 4096;
  /** Block b holds ids b·BLOCK…; a slot holds seq + 1, 0 for none. */
  private blocks: (Uint32Array | undefined)[] = [];
  /** The highest slot value written to each block (at least: an overwritten slot may have held more). */
  private highest: number[] = [];
  /** Blocks shared with the table this one was cut from: copied before the first write. */
  private shared = new Set<number>();

  get(id: number): number | undefined {
    const v = this.blocks[Math.floor(id / IdTable.BLOCK)]?.[id % IdTable.BLOCK];
    return v ? v - 1 : undefined;
  }

  set(id: number, seq: number): void {
    const b = Math.floor(id / IdTable.BLOCK);
    if (this.shared.delete(b)) this.blocks[b] = this.blocks[b]!.slice();
    (this.blocks[b] ??= new Uint32Array(IdTable.BLOCK))[id % IdTable.BLOCK] = seq + 1;
    if (!(this.highest[b] > seq)) this.highest[b] = seq + 1;
  }

  /**
   * A copy holding only the entries whose seq is below `end`. Blocks with none at or past it (all
   * but the last few: ids and seqs grow together) are shared until either table writes to them.
   */
  below(end: number): IdTable {
    const t = new IdTable();
    // Each block's highest seq says whether any of its slots is at or past `end`: only those few
    // blocks are read (reading every slot, a fork at minute 20 of a 9-node run spent 50 ms here).
    t.highest = this.highest.slice();
    t.blocks = this.blocks.map((block, b) => {
      if (!block) return undefined;
      if (this.highest[b] <= end) {
        t.shared.add(b);
        this.shared.add(b);
        return block;
      }
      const copy = block.slice();
      let highest = 0;
      for (let i = 0; i < copy.length; i++) {
        if (copy[i] > end) copy[i] = 0;
        else if (copy[i] > highest) highest = copy[i];
      }
      t.highest[b] = highest;
      return copy;
    });
    return t;
  }

  /** Bytes held (outside the JS heap's own count). */
  get bytes(): number {
    let n = 0;
    for (const b of this.blocks) if (b) n += b.byteLength;
    return n;
  }
}
