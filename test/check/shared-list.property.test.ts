import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IndexedList, SharedList } from '../../src/check/sharedList';

/** A list's items, read back both ways. */
const items = <T>(l: SharedList<T>) => {
  const byGet = Array.from({ length: l.length }, (_, i) => l.get(i));
  expect([...l]).toEqual(byGet);
  return byGet;
};

describe('SharedList (what a fork of the safety monitor shares with the run it left)', () => {
  it('a prefix holds the first n items, and neither list sees what the other pushes afterwards', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 3000 }),
        fc.nat({ max: 3000 }),
        fc.nat({ max: 1500 }),
        fc.nat({ max: 1500 }),
        (len, cut, moreA, moreB) => {
          const a = new SharedList<number>();
          for (let i = 0; i < len; i++) a.push(i);
          const b = a.prefix(cut);
          const kept = Math.min(cut, len);
          expect(b.length).toBe(kept);
          for (let i = 0; i < moreA; i++) a.push(-1 - i);
          for (let i = 0; i < moreB; i++) b.push(1_000_000 + i);
          expect(items(a)).toEqual([
            ...Array.from({ length: len }, (_, i) => i),
            ...Array.from({ length: moreA }, (_, i) => -1 - i),
          ]);
          expect(items(b)).toEqual([
            ...Array.from({ length: kept }, (_, i) => i),
            ...Array.from({ length: moreB }, (_, i) => 1_000_000 + i),
          ]);
          expect(a.get(a.length)).toBeUndefined();
          expect(b.get(-1)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('prefixes of prefixes stay apart from each other and from the first list', () => {
    const a = new SharedList<string>();
    for (let i = 0; i < 2500; i++) a.push(`a${i}`);
    const b = a.prefix(2000);
    const c = b.prefix(1030);
    c.push('c');
    b.push('b');
    a.push('a');
    expect(c.get(1030)).toBe('c');
    expect(b.get(2000)).toBe('b');
    expect(a.get(2000)).toBe('a2000');
    expect(a.get(2500)).toBe('a');
    expect(b.get(1030)).toBe('a1030');
    expect([c.length, b.length, a.length]).toEqual([1031, 2001, 2501]);
  });
});

describe("IndexedList (the monitor's applied entries and hashes by log index)", () => {
  it('finds what a Map filled in the same order finds, in any order of indexes, and a prefix as the Map of the first n', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 300 }),
        fc.nat({ max: 300 }),
        fc.boolean(),
        (raw, cut, ascending) => {
          const indexes = ascending ? [...raw].sort((x, y) => x - y) : raw;
          const list = new IndexedList<{ index: number; v: string }>();
          const map = new Map<number, string>();
          for (const index of indexes) {
            list.add({ index, v: `v${index}` });
            map.set(index, `v${index}`);
          }
          const fork = list.prefix(cut);
          const forkMap = new Map([...map].slice(0, cut));
          for (let i = 0; i <= 401; i++) {
            expect(list.get(i)?.v).toBe(map.get(i));
            expect(fork.get(i)?.v).toBe(forkMap.get(i));
          }
          expect([...fork].map((x) => x.index)).toEqual([...forkMap.keys()]);
          expect(list.size).toBe(map.size);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('reads a contiguous run of indexes by position, and one added out of order by a scan', () => {
    const list = new IndexedList<{ index: number }>();
    for (let i = 5; i < 3000; i++) list.add({ index: i });
    expect(list.get(2999)).toEqual({ index: 2999 });
    expect(list.get(3000)).toBeUndefined();
    expect(list.get(4)).toBeUndefined();
    list.add({ index: 1 });
    expect(list.get(1)).toEqual({ index: 1 });
    expect(list.get(2999)).toEqual({ index: 2999 });
    expect(list.get(3000)).toBeUndefined();
  });
});
