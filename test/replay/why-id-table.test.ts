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
