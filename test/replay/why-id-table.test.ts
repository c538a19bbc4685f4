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
        const cut = t.below(end);
        for (let id = 0; id <= 20_000; id += 7) {
          expect(t.get(id)).toBe(m.get(id));
          const seq = m.get(id);
          expect(cut.get(id)).toBe(seq !== undefined && seq < end ? seq : undefined);
        }
        for (const [id, seq] of m) {
          expect(t.get(id)).toBe(seq);
          expect(cut.get(id)).toBe(seq < end ? seq : undefined);
        }
        // Seq 0 is a seq like any other (a slot holds seq + 1).
        t.set(20_001, 0);
        expect(t.get(20_001)).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});

describe("Why?'s id table cut for a fork", () => {
  it('shares untouched blocks, and a write to either table after the cut never shows in the other', () => {
    const t = new IdTable();
    for (let id = 0; id < 10_000; id++) t.set(id, id * 2);
    const cut = t.below(15_000);
    t.set(10, 999_999);
    cut.set(20, 777_777);
    t.set(9_999, 5);
    expect(t.get(10)).toBe(999_999);
    expect(cut.get(10)).toBe(20);
    expect(cut.get(20)).toBe(777_777);
    expect(t.get(20)).toBe(40);
    expect(cut.get(7_499)).toBe(14_998);
    expect(cut.get(7_500)).toBeUndefined();
    expect(cut.get(9_999)).toBeUndefined();
    expect(t.get(9_999)).toBe(5);
  });
});

describe("Why?'s id table cut fork after fork", () => {
  it('cut, written and cut again, every table answers as a Map of its own would', () => {
    const step = fc.oneof(fc.record({ set: fc.tuple(fc.nat(12_000), fc.nat(100_000)) }), fc.record({ cut: fc.nat(100_001) }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        let t = new IdTable();
        let m = new Map<number, number>();
        const older: [IdTable, Map<number, number>][] = [];
        for (const s of steps) {
          if ('set' in s) {
            t.set(...s.set);
            m.set(...s.set);
          } else {
            older.push([t, m]);
            const end = s.cut;
            t = t.below(end);
            m = new Map([...m].filter(([, seq]) => seq < end));
          }
        }
        // The tables left behind may still be written to (the run a fork left is read, never cut again).
        for (const [o, om] of older) {
          o.set(11_999, 3);
          om.set(11_999, 3);
        }
        for (const [table, map] of [...older, [t, m] as const]) for (let id = 0; id < 12_000; id += 13) expect(table.get(id)).toBe(map.get(id));
        for (const [table, map] of [...older, [t, m] as const]) for (const [id, seq] of map) expect(table.get(id)).toBe(seq);
      }),
      { numRuns: 60 },
    );
  });
});
