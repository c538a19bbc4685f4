import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowList } from '../../src/replay/why/rowList';
import { StepList } from '../../src/replay/why/stepList';

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

const steps = (l: StepList) => Array.from({ length: l.length }, (_, i) => l.at(i));

describe("Why?'s step lists (a server's rows and deliveries, as steps)", () => {
  it('give back what was pushed, increasing or not; cut, keep a prefix, map up to `end`, and leave the list cut from unchanged', () => {
    // Mostly small steps up, as rows and seqs go; now and then a jump or a step back.
    const values = fc.array(fc.oneof({ weight: 8, arbitrary: fc.nat(40) }, { weight: 1, arbitrary: fc.integer({ min: -5000, max: 2 ** 31 }) }), { maxLength: 5000 }).map((ds) => {
      let v = 0;
      return ds.map((d) => (v = Math.max(0, Math.min(2 ** 32 - 1, v + d))));
    });
    fc.assert(
      fc.property(values, fc.nat(), fc.nat(), fc.nat(7), (vs, a, b, m) => {
        const list = new StepList();
        for (const v of vs) list.push(v);
        expect(steps(list)).toEqual(vs);
        const keep = vs.length === 0 ? 0 : a % (vs.length + 1);
        const end = keep + (b % (vs.length - keep + 2));
        const map = (v: number) => (v % 8 === m ? -1 : v + 1);
        const cut = list.cut(keep, map, end);
        expect(steps(cut)).toEqual([...vs.slice(0, keep), ...vs.slice(keep, end).map(map).filter((v) => v >= 0)]);
        cut.push(7);
        list.push(9);
        expect(steps(list)).toEqual([...vs, 9]);
      }),
      { numRuns: 100 },
    );
  });
});
