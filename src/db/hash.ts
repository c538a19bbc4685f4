export type HasherState = readonly [number, number];

/** FNV-1a over UTF-16 code units in two 32-bit lanes: fast, deterministic, not cryptographic. */
export class Hasher {
  private a = 0x811c9dc5;
  private b = 0xcbf29ce4;

  update(s: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c ^ (a >>> 13), 0x5bd1e995);
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** Where the hash stands: hashing more text from here gives what hashing it all at once would. */
  state(): HasherState {
    return [this.a, this.b];
  }

  /** Continue from a state `state()` returned (incremental hashing, contentCache.ts). */
  static from([a, b]: HasherState): Hasher {
    const h = new Hasher();
    h.a = a;
    h.b = b;
    return h;
  }

  digest(): string {
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }
}
