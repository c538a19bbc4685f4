import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeltaColumn, Interner, Positions, float64, int32, uint16 } from '../../src/replay/diagram/columns';

describe("the diagram's columns", () => {
  it('hold what was written by row, and grow by a quarter again when full', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 20_000 }), (values) => {
        const col = float64();
        values.forEach((v, i) => {
          col.ensure(i);
          col.data[i] = v;
        });
        values.forEach((v, i) => expect(col.data[i]).toBe(v));
        expect(col.bytes).toBeGreaterThanOrEqual(values.length * 8);
        expect(col.bytes).toBeLessThanOrEqual(Math.max(16, Math.ceil(values.length * 1.25)) * 8);
      }),
      { numRuns: 20 },
    );
  });

  it('as steps from the first value of their block, any numbers come back exactly, cut and pushed again', () => {
    const near = fc.integer({ min: -40_000, max: 40_000 });
    const value = fc.oneof(near, fc.double({ noNaN: true }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constant(-0));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3000 }), fc.nat(3000), (values, cut) => {
        const col = new DeltaColumn();
        values.forEach((v, i) => col.push(i, v));
        values.forEach((v, i) => expect(col.get(i)).toBe(v));
        const keep = Math.min(cut, values.length);
        col.truncate(keep);
        const again = values.slice(keep).map((v) => (typeof v === 'number' ? v + 1 : v));
        again.forEach((v, k) => col.push(keep + k, v));
        [...values.slice(0, keep), ...again].forEach((v, i) => expect(col.get(i)).toBe(v));
      }),
      { numRuns: 50 },
    );
    // Whole numbers that move little cost two bytes a row.
    const ids = new DeltaColumn();
    for (let i = 0; i < 6400; i++) ids.push(i, 1_000_000 + 3 * i);
    expect(ids.bytes).toBeLessThan(6400 * 2 * 1.6 + 100 * 8 * 1.6);
  });

  it('typed as asked: a 16-bit column wraps, a 32-bit one keeps the sign', () => {
    const a = uint16();
    const b = int32();
    a.ensure(0);
    b.ensure(0);
    a.data[0] = 70_000;
    b.data[0] = -7;
    expect(a.data[0]).toBe(70_000 - 65_536);
    expect(b.data[0]).toBe(-7);
  });

  it('positions, pushed in increasing order, are cut below any position at once', () => {
    // Ops: a step up to the next position pushed (now and then far past a 16-bit step), or (negative) a cut below a position.
    const op = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: -3000, max: -1 }), { weight: 1, arbitrary: fc.integer({ min: 30_000, max: 200_000 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10_000 }), (ops) => {
        const p = new Positions();
        const want: number[] = [];
        let next = 0;
        for (const o of ops) {
          if (o < 0) {
            const below = -o - 1;
            p.cutAt(below);
            while (want.length > 0 && want[want.length - 1] >= below) want.pop();
            next = (want[want.length - 1] ?? -1) + 1;
          } else {
            next += o - 1;
            p.push(next);
            want.push(next++);
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
