/**
 * The set of (linearized operations, model state) pairs already explored. Reaching a pair again
 * means the rest of the search from there is already known to fail, so the search prunes it.
 *
 * The linearized set is a bitset kept by the caller in `bits`, with a Zobrist-style hash that the
 * caller updates by XOR when it sets or clears a bit, so neither hashing nor lookup walks the set
 * or allocates. Stored bitsets live in one growing Uint32Array arena.
 */
export class VisitedCache<State> {
  readonly words: number;
  private arena: Uint32Array;
  private states: State[] = [];
  private chain: number[] = [];
  private heads = new Map<number, number>();

  constructor(
    opCount: number,
    private readonly equal: (a: State, b: State) => boolean,
  ) {
    this.words = Math.max(1, (opCount + 31) >>> 5);
    this.arena = new Uint32Array(this.words * 64);
  }

  get size(): number {
    return this.states.length;
  }

  /** Record the pair; false when it was already there. */
  add(bits: Uint32Array, key: number, state: State): boolean {
    const w = this.words;
    const arena = this.arena;
    const head = this.heads.get(key);
    for (let e = head === undefined ? -1 : head; e !== -1; e = this.chain[e]) {
      const base = e * w;
      let same = true;
      for (let i = 0; i < w; i++) {
        if (arena[base + i] !== bits[i]) {
          same = false;
          break;
        }
      }
      if (same && this.equal(this.states[e], state)) return false;
    }
    const e = this.states.length;
    if ((e + 1) * w > this.arena.length) {
      const grown = new Uint32Array(this.arena.length * 2);
      grown.set(this.arena);
      this.arena = grown;
    }
    this.arena.set(bits, e * w);
    this.states.push(state);
    this.chain.push(head === undefined ? -1 : head);
    this.heads.set(key, e);
    return true;
  }
}

/** A well-mixed 32-bit value per operation index (murmur3's finaliser). */
export function zobrist(i: number): number {
  let h = (i + 0x9e3779b9) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** FNV-1a of a string, for models that supply a state hash. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
