import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowList } from '../../src/replay/why/rowList';

const items = (l: RowList) => Array.from({ length: l.length }, (_, i) => l.at(i));

describe("Why?'s row lists cut for a fork", () => {
  it('keep a prefix, map the entries up to `end`, drop the rest unread; the list cut from is unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { maxLength: 5000 }), fc.nat(), fc.nat(), fc.nat(7), (vs, a, b, m) => {
        const list = new RowList();
        for (const v of vs) list.push(v);
        const keep = vs.length === 0 ? 0 : a % (vs.length + 1);
        const end = keep + (b % (vs.length - keep + 2));
        const map = (v: number) => (v % 8 === m ? -1 : v + 1);
        let read = 0;
        const cut = list.cut(keep, (v) => (read++, map(v)), end);
        const want = [...vs.slice(0, keep), ...vs.slice(keep, end).map(map).filter((v) => v >= 0)];
        expect(items(cut)).toEqual(want);
        expect(read).toBe(Math.max(0, Math.min(end, vs.length) - keep));
        expect(items(list)).toEqual(vs);
        // Grown on, the cut list does not write into the blocks it shares.
        cut.push(7);
        expect(items(list)).toEqual(vs);
      }),
      { numRuns: 100 },
    );
  });
});
