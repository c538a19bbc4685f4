/**
 * A list that only grows at its end, in blocks of 1,024 items that a fork shares with the list it
 * was cut from instead of copying. A block is shared by both lists after `prefix`: whichever of
 * the two writes to it first copies it, so neither sees the other's later items.
 *
 * The safety monitor keeps the first entry applied at every log index and its database hash this
 * way. Kept in Maps, a fork copied both whole: 16 ms of a fork at minute 30 of a 9-node run at 10
 * writes/s, growing with the run, where a fork should cost one checkpoint interval's replay.
 */

const SHIFT = 10;
const SIZE = 1 << SHIFT;
const MASK = SIZE - 1;

export class SharedList<T> implements Iterable<T> {
  private blocks: T[][] = [];
  /** Blocks that may be shared with another list: copied before a write. */
  private shared: Set<number> | null = null;
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Item `i`, undefined past the end. */
  get(i: number): T | undefined {
    return i >= 0 && i < this.n ? this.blocks[i >>> SHIFT][i & MASK] : undefined;
  }

  push(item: T): void {
    const b = this.n >>> SHIFT;
    if (b === this.blocks.length) this.blocks.push([]);
    else if (this.shared?.delete(b)) this.blocks[b] = this.blocks[b].slice(0, this.n & MASK);
    this.blocks[b].push(item);
    this.n++;
  }

  /** A list of this one's first `n` items, sharing their blocks: costs a block list, not the items. */
  prefix(n: number): SharedList<T> {
    const out = new SharedList<T>();
    out.n = Math.max(0, Math.min(n, this.n));
    const blocks = Math.ceil(out.n / SIZE);
    out.blocks = this.blocks.slice(0, blocks);
    out.shared = new Set();
    this.shared ??= new Set();
    for (let b = 0; b < blocks; b++) {
      out.shared.add(b);
      this.shared.add(b);
    }
    return out;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.n; i++) yield this.blocks[i >>> SHIFT][i & MASK];
  }
}

/**
 * Items keyed by a log index, in the order they were added (a prefix of them is what a fork keeps,
 * as of a Map filled in that order). Indexes come in ascending order without gaps in a run (the
 * first apply of each index, every index applied after the one before), so an item is found at
 * its index less the first one's; any other order is still read right, by a scan.
 */
export class IndexedList<T extends { readonly index: number }> implements Iterable<T> {
  constructor(
    private readonly list = new SharedList<T>(),
    /** Whether item k has the first one's index plus k: then an index is found (or not) at once. */
    private contiguous = true,
  ) {}

  get size(): number {
    return this.list.length;
  }

  get(index: number): T | undefined {
    const first = this.list.get(0);
    if (first === undefined) return undefined;
    const at = this.list.get(index - first.index);
    if (at?.index === index) return at;
    if (this.contiguous) return undefined;
    for (const x of this.list) if (x.index === index) return x;
    return undefined;
  }

  /** Add `item`, whose index is not in the list yet. */
  add(item: T): void {
    const first = this.list.get(0);
    if (first !== undefined && item.index !== first.index + this.list.length) this.contiguous = false;
    this.list.push(item);
  }

  /** The first `n` items added, sharing their blocks with this list. */
  prefix(n: number): IndexedList<T> {
    return new IndexedList(this.list.prefix(n), this.contiguous);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.list[Symbol.iterator]();
  }
}
