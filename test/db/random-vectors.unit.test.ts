/**
 * The generator behind random() and randomblob() is SplitMix64 and the read seed FNV-1a: pinned
 * to their published test vectors, so a changed constant or shift is caught even though every
 * node would still agree with every other (the determinism tests cannot see that).
 */
import { describe, expect, it } from 'vitest';
import { RandomSource, seedOf } from '../../src/db/random';

const signed = (hex: bigint) => BigInt.asIntN(64, hex);

describe('SplitMix64 (Vigna, splitmix64.c, state 0)', () => {
  it('gives the reference outputs from seed 0', () => {
    const r = new RandomSource(0);
    expect([r.int64(), r.int64(), r.int64()]).toEqual([
      signed(0xe220a8397b1dcdafn),
      signed(0x6e789e6aa1b965f4n),
      signed(0x06c45d188009454fn),
    ]);
  });

  it('seed k starts k golden-ratio steps along the same stream', () => {
    expect(new RandomSource(1).int64()).toBe(signed(0x6e789e6aa1b965f4n));
    expect(new RandomSource(2n).int64()).toBe(signed(0x06c45d188009454fn));
  });

  it('bytes are the draws little-endian, the last draw cut short', () => {
    expect(Array.from(new RandomSource(0).bytes(10))).toEqual([
      0xaf, 0xcd, 0x1d, 0x7b, 0x39, 0xa8, 0x20, 0xe2, 0xf4, 0x65,
    ]);
    expect(Array.from(new RandomSource(0).bytes(0))).toEqual([]);
    expect(Array.from(new RandomSource(0).bytes(8))).toEqual([
      0xaf, 0xcd, 0x1d, 0x7b, 0x39, 0xa8, 0x20, 0xe2,
    ]);
  });

  it('bytes(n) takes ceil(n / 8) draws, no more: random() after randomblob() in one command goes on from there', () => {
    for (const [n, draws] of [[0, 0], [8, 1], [9, 2], [16, 2]] as const) {
      const r = new RandomSource(0);
      r.bytes(n);
      const next = new RandomSource(0);
      for (let k = 0; k < draws; k++) next.int64();
      expect(r.int64(), `after bytes(${n})`).toBe(next.int64());
    }
  });
});

describe('FNV-1a, 32 bits', () => {
  it('matches the published vectors', () => {
    expect(seedOf('')).toBe(0x811c9dc5);
    expect(seedOf('a')).toBe(0xe40c292c);
    expect(seedOf('foobar')).toBe(0xbf9cf968);
  });
});
