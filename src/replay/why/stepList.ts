import { DeltaBlock } from '../deltaBlock';

/** Entries per block: a list holds at most one block it has not filled. */
const SIZE = 1024;

/**
 * A growing list of numbers that change little from one entry to the next (a server's decisions
 * as rows of the table, its deliveries as seqs: both increasing), as 16-bit steps from a base per
 * 64 entries (deltaBlock.ts): about 2 bytes an entry where a RowList takes 4. Entries never change
 * once pushed, so a list cut from another shares its full blocks.
 */
export class StepList {
  private blocks: DeltaBlock[] = [];
  private n = 0;

  get length(): number {
    return this.n;
  }

  get bytes(): number {
    let n = 0;
    for (const b of this.blocks) n += b.bytes;
    return n;
  }

  at(i: number): number {
    return this.blocks[Math.floor(i / SIZE)].get(i % SIZE)!;
  }

  push(v: number): void {
    const k = this.n % SIZE;
    if (k === 0) this.blocks.push(new DeltaBlock(SIZE));
    this.blocks[this.blocks.length - 1].set(k, v);
    this.n++;
  }

  /**
   * The first `keep` entries as they are, then each later entry up to `end` through `map` (dropped
   * where it gives -1; those from `end` on are dropped unread), as a new list sharing the full
   * blocks of the kept part.
   */
  cut(keep: number, map: (v: number) => number, end = this.n): StepList {
    const out = new StepList();
    const full = Math.floor(keep / SIZE);
    out.blocks = this.blocks.slice(0, full);
    out.n = full * SIZE;
    // The kept entries of a block not kept whole are pushed again: a copy would carry the steps of the rest.
    for (let i = out.n; i < keep; i++) out.push(this.at(i));
    for (let i = keep; i < Math.min(end, this.n); i++) {
      const v = map(this.at(i));
      if (v >= 0) out.push(v);
    }
    return out;
  }
}
