const MASK = (1n << 64n) - 1n;

/**
 * A seeded 64-bit generator (SplitMix64). Each command draws from one seeded by its log index, so
 * random() and randomblob() give the same values on every node however the SQL spells the call:
 * a quoted name, a column DEFAULT, a trigger, a computed size.
 */
export class RandomSource {
  private state: bigint;

  constructor(seed: number | bigint) {
    this.state = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n);
  }

  /** The next value as SQLite's random() returns it: a signed 64-bit integer. */
  int64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return BigInt.asIntN(64, z ^ (z >> 31n));
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 8) {
      let v = BigInt.asUintN(64, this.int64());
      for (let k = i; k < Math.min(n, i + 8); k++, v >>= 8n) out[k] = Number(v & 0xffn);
    }
    return out;
  }
}

/** A seed from a string (FNV-1a), for reads: the node's applied index and the statement text. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
