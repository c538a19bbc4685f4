import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from '../../src/replay/why/idTable';

describe("Why?'s table of deliveries by message id", () => {
  it('answers as a Map would, and cut below a seq keeps exactly the entries under it', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20_000), fc.nat(1_000_000))), fc.nat(1_000_001), (entries, end) => {
        const t = new IdTable();
        const m = new Map<number, number>();
        for (const [id, seq] of entries) {
          t.set(id, seq);
          m.set(id, seq);
        }
        for (let id = 0; id <= 20_000; id += 7) expect(t.get(id)).toBe(m.get(id));
        for (const [id, seq] of m) expect(t.get(id)).toBe(seq);
        t.truncate(end);
        for (let id = 0; id <= 20_000; id += 7) {
          const seq = m.get(id);
          expect(t.get(id)).toBe(seq !== undefined && seq < end ? seq : undefined);
        }
        for (const [id, seq] of m) expect(t.get(id)).toBe(seq < end ? seq : undefined);
        // Seq 0 is a seq like any other (a slot holds seq + 1).
        t.set(20_001, 0);
        expect(t.get(20_001)).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});

describe("Why?'s id table cut fork after fork", () => {
  it('written, cut and written again, it answers as a Map would', () => {
    const step = fc.oneof(fc.record({ set: fc.tuple(fc.nat(12_000), fc.nat(100_000)) }), fc.record({ cut: fc.nat(100_001) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const t = new IdTable();
        const m = new Map<number, number>();
        for (const s of steps) {
          if ('set' in s) {
            t.set(...s.set);
            m.set(...s.set);
          } else {
            t.truncate(s.cut);
            for (const [id, seq] of m) if (seq >= s.cut) m.delete(id);
          }
        }
        for (let id = 0; id < 12_000; id += 13) expect(t.get(id)).toBe(m.get(id));
        for (const [id, seq] of m) expect(t.get(id)).toBe(seq);
      }),
      { numRuns: 60 },
    );
  });
});

describe("Why?'s id table cut where ids and seqs grow together, as a run's do", () => {
  it('drops the blocks wholly past the cut, reads only the one across it, and takes writes again', () => {
    const t = new IdTable();
    for (let id = 0; id < 20_000; id++) t.set(id, id * 2);
    const before = t.bytes;
    t.truncate(15_000);
    expect(t.get(7_499)).toBe(14_998);
    expect(t.get(7_500)).toBeUndefined();
    expect(t.get(19_999)).toBeUndefined();
    // Ids 0…7,499 fill two blocks of 4,096: the three after them (of five) go.
    expect(t.bytes).toBe((before / 5) * 2);
    t.set(19_000, 5);
    t.set(7_600, 15_010);
    expect([t.get(19_000), t.get(7_600), t.get(7_601)]).toEqual([5, 15_010, undefined]);
    t.truncate(15_005);
    expect([t.get(19_000), t.get(7_600), t.get(7_499)]).toEqual([5, undefined, 14_998]);
  });
});
