/**
 * A table from small non-negative integer ids to seqs, addressed directly in blocks of 4,096
 * (4 bytes an id): message ids are the world's queue positions, dense and growing, so a delivery's
 * seq by message id costs a few bytes instead of a Map entry.
 */
export class IdTable {
  private static readonly BLOCK = 4096;
  /** Block b holds ids b·BLOCK…; a slot holds seq + 1, 0 for none. */
  private blocks: (Uint32Array | undefined)[] = [];
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
  }

  /**
   * A copy holding only the entries whose seq is below `end`. Blocks with none at or past it (all
   * but the last few: ids and seqs grow together) are shared until either table writes to them.
   */
  below(end: number): IdTable {
    const t = new IdTable();
    t.blocks = this.blocks.map((block, b) => {
      if (!block) return undefined;
      let past = false;
      for (let i = 0; i < block.length && !past; i++) past = block[i] > end;
      if (!past) {
        t.shared.add(b);
        this.shared.add(b);
        return block;
      }
      const copy = block.slice();
      for (let i = 0; i < copy.length; i++) if (copy[i] > end) copy[i] = 0;
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
