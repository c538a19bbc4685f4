import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stepBlocks, type BlockColumn } from '../../src/replay/blockColumn';

/** Rows written in order past 16,384-row blocks, with forks taken and written to on both sides. */
describe('a per-frame column shared with its forks by block', () => {
  it('each column, its forks and the columns they left read as plain arrays of their own would', () => {
    // Ops: push rows onto column `c`; fork column `c` keeping `keep` of its rows; rewrite a row of column `c`.
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 1, max: 40_000 }), c: fc.nat() }),
      fc.record({ fork: fc.nat(), keep: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ rewrite: fc.double({ min: 0, max: 1, noNaN: true }), c: fc.nat(), v: fc.double({ noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const cols: [BlockColumn, number[]][] = [[stepBlocks(), []]];
        let next = 1;
        for (const o of ops) {
          if ('push' in o) {
            const [col, want] = cols[o.c % cols.length];
            for (let k = 0; k < o.push; k++) {
              col.set(want.length, next);
              want.push(next++);
            }
          } else if ('fork' in o) {
            const [col, want] = cols[o.fork % cols.length];
            const n = Math.floor(o.keep * want.length);
            cols.push([col.prefix(n), want.slice(0, n)]);
          } else {
            const [col, want] = cols[o.c % cols.length];
            if (want.length === 0) continue;
            // A few rows spread over the column, in every block it holds.
            for (let k = 0; k < 8; k++) {
              const i = Math.floor(((o.rewrite + k / 8) % 1) * (want.length - 1));
              col.set(i, o.v + k);
              want[i] = o.v + k;
            }
          }
        }
        for (const [col, want] of cols) {
          expect(col.length).toBe(want.length);
          let first = -1;
          for (let i = 0; i < want.length && first < 0; i++) if (!Object.is(col.get(i), want[i])) first = i;
          expect(first, 'the first row that differs').toBe(-1);
          // Rows past the end read as never written, whatever the column it came from holds there.
          for (let i = want.length; i < want.length + 300; i += 7) expect(col.get(i)).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a row rewritten in a shared block, in the column left or in its fork, shows only there', () => {
    const left = stepBlocks();
    for (let i = 0; i < 40_000; i++) left.set(i, i + 1);
    const fork = left.prefix(30_000);
    left.set(5, -1);
    fork.set(20_000, -2);
    expect([left.get(5), fork.get(5)]).toEqual([-1, 6]);
    expect([left.get(20_000), fork.get(20_000)]).toEqual([20_001, -2]);
    // The fork's rows past its end are not the left column's.
    expect([fork.get(30_000), left.get(30_000), fork.length]).toEqual([0, 30_001, 30_000]);
    fork.set(30_000, 7);
    expect(left.get(30_000)).toBe(30_001);
  });
});
