import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interner, Positions, float64, int32, uint16 } from '../../src/replay/diagram/columns';

describe("the diagram's columns", () => {
  it('hold what was written by row, across chunks, and grow by at most half a chunk more than they hold', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 20_000 }), (values) => {
        const col = float64();
        values.forEach((v, i) => {
          col.ensure(i);
          col.set(i, v);
        });
        values.forEach((v, i) => expect(col.get(i)).toBe(v));
        expect(col.bytes).toBeGreaterThanOrEqual(values.length * 8);
        expect(col.bytes).toBeLessThanOrEqual(Math.max(16, values.length) * 8 + 2048 * 8);
      }),
      { numRuns: 20 },
    );
  });

  it('typed as asked: a 16-bit column wraps, a 32-bit one keeps the sign', () => {
    const a = uint16();
    const b = int32();
    a.ensure(0);
    b.ensure(0);
    a.set(0, 70_000);
    b.set(0, -7);
    expect(a.get(0)).toBe(70_000 - 65_536);
    expect(b.get(0)).toBe(-7);
  });

  it('positions are pushed and popped as a stack', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(1e9), fc.constant(-1)), { maxLength: 10_000 }), (ops) => {
        const p = new Positions();
        const want: number[] = [];
        for (const op of ops) {
          if (op < 0) {
            if (want.length > 0) expect(p.pop()).toBe(want.pop());
          } else {
            p.push(op);
            want.push(op);
          }
        }
        expect(p.length).toBe(want.length);
        want.forEach((v, i) => expect(p.get(i)).toBe(v));
      }),
      { numRuns: 20 },
    );
  });

  it('names get small numbers in order of first use, up to a limit, with a clear error past it', () => {
    const names = new Interner<string>(3);
    expect([names.id('n1'), names.id('n2'), names.id('n1'), names.id('n3')]).toEqual([0, 1, 0, 2]);
    expect(names.name(1)).toBe('n2');
    expect(() => names.id('n4')).toThrow(/more than 3 distinct names/);
  });
});
