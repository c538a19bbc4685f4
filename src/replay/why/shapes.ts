import { CODED } from './reasonCodec';

type Coded = (typeof CODED)[number];

/**
 * A narrower way to keep a coded reason (reasonCodec.ts) that the run takes by the thousand, its
 * slots following from fewer numbers: Why?'s decision table keeps a reason in the first shape of
 * its code that fits, else in all its code's slots.
 */
export interface Shape {
  readonly of: Coded;
  readonly slots: number;
  /** Write the shape's slots for the reason's full slots `s` to `out`; false if it does not fit. */
  pack(s: Int32Array, out: Int32Array): boolean;
  /** The reason's full slots, from the shape's. */
  unpack(at: (i: number) => number): number[];
}

const byte = (v: number) => v >= 0 && v <= 0xff;

/**
 * Append-accepted, slots leader, term, prev index, prev term, count, entries' term, match: in the
 * leader's term, on an entry of that term (heartbeats and appends in a steady term, 99.9% of them),
 * prev term and the entries' term are the term (none: 0), and the match is prev index + count.
 */
function steady(s: Int32Array): boolean {
  return s[3] === s[1] && s[5] === (s[4] > 0 ? s[1] : 0) && s[6] === s[2] + s[4];
}

function appendAccepted(leader: number, term: number, prev: number, count: number): number[] {
  return [leader, term, prev, term, count, count > 0 ? term : 0, prev + count];
}

export const SHAPES: readonly Shape[] = [
  {
    // Prev index, and leader, count and term in one number (8, 8 and 15 bits).
    of: 'append-accepted',
    slots: 2,
    pack(s, out) {
      if (!(steady(s) && byte(s[0]) && byte(s[4]) && s[1] >= 0 && s[1] <= 0x7fff)) return false;
      out[0] = s[2];
      out[1] = s[0] | (s[4] << 8) | (s[1] << 16);
      return true;
    },
    unpack: (at) => appendAccepted(at(1) & 0xff, at(1) >>> 16, at(0), (at(1) >>> 8) & 0xff),
  },
  {
    of: 'append-accepted',
    slots: 4,
    pack(s, out) {
      if (!steady(s)) return false;
      out[0] = s[0];
      out[1] = s[1];
      out[2] = s[2];
      out[3] = s[4];
      return true;
    },
    unpack: (at) => appendAccepted(at(0), at(1), at(2), at(3)),
  },
  {
    // Applied, slots from, to, commit index: one entry, the last committed.
    of: 'applied',
    slots: 1,
    pack(s, out) {
      if (!(s[0] === s[1] && s[1] === s[2])) return false;
      out[0] = s[0];
      return true;
    },
    unpack: (at) => [at(0), at(0), at(0)],
  },
  {
    // Commit-by-leader, slots from, to, leader, leader commit, last new: up to the leader's commit,
    // the last entry new. To, and leader and to − from in one number (8 and 23 bits).
    of: 'commit-by-leader',
    slots: 2,
    pack(s, out) {
      const d = s[1] - s[0];
      if (!(s[3] === s[1] && s[4] === s[1] && byte(s[2]) && d >= 0 && d < 2 ** 23)) return false;
      out[0] = s[1];
      out[1] = s[2] | (d << 8);
      return true;
    },
    unpack: (at) => [at(0) - (at(1) >>> 8), at(0), at(1) & 0xff, at(0), at(0)],
  },
];
