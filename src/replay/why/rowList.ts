/** Entries per block: a list holds at most one block it has not filled. */
const SIZE = 1024;

/**
 * A growing list of non-negative integers below 2^32 (rows of a DecisionTable) in blocks of 4-byte
 * slots: a server's decisions as rows cost 4 bytes each instead of a slot of a JS array. Entries
 * never change once pushed, so a list cut from another shares its full blocks.
 */
export class RowList {
  private blocks: Uint32Array[] = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  get bytes(): number {
    return this.blocks.length * SIZE * 4;
  }

  at(i: number): number {
    return this.blocks[Math.floor(i / SIZE)][i % SIZE];
  }

  push(v: number): void {
    const k = this.n % SIZE;
    if (k === 0) this.blocks.push(new Uint32Array(SIZE));
    this.blocks[this.blocks.length - 1][k] = v;
    this.n++;
  }

  /**
   * The first `keep` entries as they are, then each later entry up to `end` through `map` (dropped
   * where it gives -1; those from `end` on are dropped unread), as a new list sharing the full
   * blocks of the kept part.
   */
  cut(keep: number, map: (v: number) => number, end = this.n): RowList {
    const out = new RowList();
    const full = Math.floor(keep / SIZE);
    out.blocks = this.blocks.slice(0, full);
    if (keep % SIZE > 0) out.blocks.push(this.blocks[full].slice());
    out.n = keep;
    for (let i = keep; i < Math.min(end, this.n); i++) {
      const v = map(this.at(i));
      if (v >= 0) out.push(v);
    }
    return out;
  }
}
