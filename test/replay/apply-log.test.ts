import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApplyLog } from '../../src/replay/applyLog';
import type { ApplyRecord } from '../../src/replay/runTypes';

/** What the run kept before: a Map from log index to its applies, cut for a fork record by record. */
type Model = Map<number, ApplyRecord[]>;

function cutModel(m: Model, frame: number, inPlace: boolean): Model {
  const out: Model = inPlace ? m : new Map();
  for (const [index, list] of m) {
    const kept = list.filter((a) => a.frame <= frame);
    if (kept.length > 0) out.set(index, kept);
    else if (inPlace) out.delete(index);
  }
  return out;
}

type Op = { kind: 'add'; index: number; node: number; time: number; step: number } | { kind: 'take' | 'copy'; back: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({
      kind: fc.constant('add' as const),
      // Now and then an index or a frame far from the rows before (kept aside by the 16-bit steps).
      index: fc.oneof({ weight: 9, arbitrary: fc.nat(30) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
      node: fc.nat(9),
      time: fc.double({ min: 0, max: 1e7, noNaN: true }),
      step: fc.oneof({ weight: 9, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.constant(70_000) }),
    }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('take' as const, 'copy' as const), back: fc.nat(40) }) },
);

describe('the applies of a run, as packed rows', () => {
  it('answer as the Map of lists did, through forks that take the log over or copy it', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        let log = new ApplyLog();
        let model: Model = new Map();
        let frame = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            frame += o.step;
            log.add(o.index, `n${o.node}`, o.time, frame);
            const list = model.get(o.index) ?? [];
            if (list.length === 0) model.set(o.index, list);
            list.push({ node: `n${o.node}`, time: o.time, frame });
          } else {
            // A fork at an earlier frame: the applies up to it are kept, the run goes on from there.
            const at = Math.max(0, frame - o.back);
            if (o.kind === 'take') log.truncate(log.countUpTo(at));
            else log = log.prefix(log.countUpTo(at));
            model = cutModel(model, at, o.kind === 'take');
            frame = at + 1;
          }
          expect(log.size).toBe(model.size);
        }
        expect([...log]).toEqual([...model]);
        expect([...log.values()]).toEqual([...model.values()]);
        for (let i = 0; i <= 31; i++) expect(log.get(i)).toEqual(model.get(i));
        log.clear();
        expect([...log]).toEqual([]);
        expect(log.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('copies itself for a fork: what either adds after is its own', () => {
    const log = new ApplyLog();
    for (let i = 0; i < 300; i++) log.add(1 + (i % 40), `n${i % 3}`, i * 1.5, i);
    const before = [...log];
    const copy = log.prefix(250);
    copy.add(7, 'n9', 1e6, 10_000);
    copy.add(70_000, 'n1', 1e6, 10_001);
    log.add(3, 'n8', 2e6, 20_000);
    // The source has its own add and none of the copy's.
    const three = before.find(([i]) => i === 3)![1];
    expect([...log]).toEqual(before.map(([i, list]) => [i, i === 3 ? [...three, { node: 'n8', time: 2e6, frame: 20_000 }] : list]));
    expect(copy.get(7)!.at(-1)).toEqual({ node: 'n9', time: 1e6, frame: 10_000 });
    expect(copy.get(3)!.some((a) => a.node === 'n8')).toBe(false);
    expect(log.get(70_000)).toBeUndefined();
    expect(copy.rows).toBe(252);
  });

  it('refuses what it cannot hold, and an apply out of frame order, leaving itself unchanged', () => {
    const log = new ApplyLog();
    log.add(1, 'a', 10, 5);
    expect(() => log.add(2, 'b', 11, 4)).toThrow(/frame 4 after one in frame 5/);
    expect(() => log.add(-1, 'b', 11, 6)).toThrow(RangeError);
    expect(() => log.add(2 ** 32, 'b', 11, 6)).toThrow(RangeError);
    expect(() => log.add(2, 'b', 11, 1.5)).toThrow(RangeError);
    expect([...log]).toEqual([[1, [{ node: 'a', time: 10, frame: 5 }]]]);
    expect(log.rows).toBe(1);
  });
});
