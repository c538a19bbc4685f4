/** Rows per group: a group's first value is its base, each other value a 16-bit step from it. */
const GROUP_SHIFT = 6;
/** Step marks: no value (an absent message id), and a value kept aside in a map, exactly. */
const NONE = -0x8000;
const ASIDE = -0x7fff;

/**
 * A fixed number of rows of numbers that change little from row to row (seqs, times in ms, message
 * ids along Why?'s decision table; a frame's time and seqEnd along a run): 2 bytes a row where a
 * Float64Array took 8 and a Uint32Array 4. A value that is not its group's base plus a whole step
 * in range is kept aside, exactly; a row may also hold no value.
 */
export class DeltaBlock {
  private readonly base: Float64Array;
  private readonly step: Int16Array;
  private aside: Map<number, number> | null = null;

  /** `rows` rows (a copy of `from`'s), each to be set before it is read: or, `unset`, each holding no value until set. */
  constructor(rows: number, from?: DeltaBlock, unset = false) {
    this.base = from ? from.base.slice() : new Float64Array(Math.ceil(rows / (1 << GROUP_SHIFT))).fill(NaN);
    this.step = from ? from.step.slice() : new Int16Array(rows);
    if (unset && !from) this.step.fill(NONE);
    if (from?.aside) this.aside = new Map(from.aside);
  }

  /** Bytes held in typed arrays. */
  get bytes(): number {
    return this.base.byteLength + this.step.byteLength;
  }

  /**
   * Set row `k` to `v` or to no value: in a table or a list, once, after every row before it; in
   * an id table, in any order, and again after it was cleared (a group's base stays its first value).
   */
  set(k: number, v: number | undefined): void {
    this.aside?.delete(k);
    if (v === undefined) {
      this.step[k] = NONE;
      return;
    }
    const g = k >>> GROUP_SHIFT;
    // A group's base is its first value: rows with none before it do not set it.
    if (Number.isNaN(this.base[g])) this.base[g] = v;
    const base = this.base[g];
    const d = v - base;
    if (Number.isInteger(d) && d > ASIDE && d <= 0x7fff && Object.is(base + d, v)) this.step[k] = d;
    else {
      this.step[k] = ASIDE;
      (this.aside ??= new Map()).set(k, v);
    }
  }

  get(k: number): number | undefined {
    const d = this.step[k];
    if (d === NONE) return undefined;
    return d === ASIDE ? this.aside!.get(k)! : this.base[k >>> GROUP_SHIFT] + d;
  }
}
