import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameBytes } from '../../src/replay/shareImages';

/** `bytes` placed at `offset` in a buffer of its own, so word boundaries fall anywhere. */
function at(bytes: readonly number[], offset: number): Uint8Array {
  const buf = new Uint8Array(offset + bytes.length + 3);
  buf.set(bytes, offset);
  return buf.subarray(offset, offset + bytes.length);
}

const naive = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe('sameBytes (images shared between the nodes of a checkpoint)', () => {
  it('says what a byte-by-byte comparison says, at any alignment, and finds a single changed byte anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 70 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, oa, ob, where, delta) => {
          const a = at(bytes, oa);
          const b = at(bytes, ob);
          expect(sameBytes(a, b)).toBe(true);
          if (bytes.length === 0) return;
          const changed = [...bytes];
          const k = where % bytes.length;
          changed[k] = (changed[k] + delta) % 256;
          const c = at(changed, ob);
          expect(sameBytes(a, c)).toBe(naive(a, c));
          expect(sameBytes(a, c)).toBe(false);
          expect(sameBytes(a, at(bytes.slice(1), oa))).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
