import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moveFrom } from '../../src/ui/logKeys';

const strip = (id: string, snapshotIndex: number, lastIndex: number) => ({ id, snapshotIndex, lastIndex });

describe('the arrow keys on the log strips', () => {
  // Indexes 10–30 shown: n1 holds 1–25, n2 only 1–5 (nothing in view), n3 a snapshot to 14 and entries to 30.
  const nodes = [strip('n1', 0, 25), strip('n2', 0, 5), strip('n3', 14, 30)];

  it('moves one along a strip and stops at the ends of its entries in view; Home and End go to them', () => {
    expect(moveFrom('ArrowLeft', 'n1', 12, nodes, 10, 30)).toEqual({ node: 'n1', index: 11 });
    expect(moveFrom('ArrowLeft', 'n1', 10, nodes, 10, 30)).toEqual({ node: 'n1', index: 10 });
    expect(moveFrom('ArrowRight', 'n1', 25, nodes, 10, 30)).toEqual({ node: 'n1', index: 25 });
    expect(moveFrom('Home', 'n3', 20, nodes, 10, 30)).toEqual({ node: 'n3', index: 15 });
    expect(moveFrom('End', 'n1', 12, nodes, 10, 30)).toEqual({ node: 'n1', index: 25 });
  });

  it('goes to the same index in the next strip that has entries in view, else the nearest', () => {
    expect(moveFrom('ArrowDown', 'n1', 20, nodes, 10, 30)).toEqual({ node: 'n3', index: 20 });
    expect(moveFrom('ArrowDown', 'n1', 12, nodes, 10, 30)).toEqual({ node: 'n3', index: 15 });
    expect(moveFrom('ArrowUp', 'n3', 28, nodes, 10, 30)).toEqual({ node: 'n1', index: 25 });
    expect(moveFrom('ArrowUp', 'n1', 20, nodes, 10, 30)).toBeNull();
    expect(moveFrom('ArrowDown', 'n3', 20, nodes, 10, 30)).toBeNull();
  });

  it('leaves other keys and unknown strips alone', () => {
    expect(moveFrom('Enter', 'n1', 20, nodes, 10, 30)).toBeNull();
    expect(moveFrom('ArrowLeft', 'n9', 20, nodes, 10, 30)).toBeNull();
  });

  it('always lands on an entry in view', () => {
    const arb = fc.record({
      from: fc.integer({ min: 1, max: 50 }),
      width: fc.integer({ min: 1, max: 40 }),
      strips: fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 90 })), { minLength: 1, maxLength: 9 }),
      key: fc.constantFrom('ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'),
      row: fc.nat(),
      at: fc.nat(),
    });
    fc.assert(
      fc.property(arb, ({ from, width, strips, key, row, at }) => {
        const to = from + width - 1;
        const views = strips.map(([snap, extra], k) => strip(`n${k + 1}`, snap, snap + extra));
        const start = views[row % views.length];
        const lo = Math.max(from, start.snapshotIndex + 1);
        const hi = Math.min(to, start.lastIndex);
        if (lo > hi) return;
        const index = lo + (at % (hi - lo + 1));
        const next = moveFrom(key, start.id, index, views, from, to);
        if (next === null) return;
        const v = views.find((n) => n.id === next.node)!;
        expect(next.index).toBeGreaterThanOrEqual(Math.max(from, v.snapshotIndex + 1));
        expect(next.index).toBeLessThanOrEqual(Math.min(to, v.lastIndex));
        if (key === 'ArrowLeft' || key === 'ArrowRight') expect(Math.abs(next.index - index)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
