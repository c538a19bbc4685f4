import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Marker } from '../../src/replay/runTypes';
import type { MarkerKind } from '../../src/replay/describe';
import { GRID, GROUP, layoutMarks, layoutSpan, visibleWidth, type MarkLayout } from '../../src/ui/timelineMarks';

const KINDS: MarkerKind[] = ['leader', 'membership', 'crash', 'restart', 'partition', 'heal', 'snapshot', 'install', 'client', 'violation'];

/** `n` markers a run might make, in time order, seqs increasing; times spread over `end` ms. */
function run(n: number, end: number, seed = 1): Marker[] {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const times = Array.from({ length: n }, () => Math.floor(next() * end)).sort((a, b) => a - b);
  return times.map((time, i) => ({ seq: 10 * i + 1, time, kind: KINDS[Math.floor(next() * KINDS.length)], text: `marker ${i}` }));
}

/** What a layout draws: the groups' marks, without identities. */
const drawn = (l: MarkLayout) => l.buckets.map((b) => b.map((m) => ({ ...m })));

describe('the timeline lays out its marks over a span the strip end moves within', () => {
  it('spans are powers of two of 2 s that hold the end; the strip shows half of its span or more', () => {
    expect(layoutSpan(0)).toBe(2_000);
    expect(layoutSpan(2_000)).toBe(2_000);
    expect(layoutSpan(2_001)).toBe(4_000);
    expect(layoutSpan(31 * 60_000)).toBe(2_000 * 1024);
    expect(layoutSpan(30 * 60_000)).toBe(2_000 * 1024);
    for (const end of [2_000, 10_000, 60_000, 20 * 60_000, 30 * 60_000, 31 * 60_000, 3 * 3_600_000]) {
      expect(visibleWidth(end)).toBeGreaterThan(GRID / 2);
      expect(visibleWidth(end)).toBeLessThanOrEqual(GRID);
    }
  });

  it('places each mark at its time on the grid, one per cell and row (shapes apart), violations always', () => {
    const markers: Marker[] = [
      { seq: 1, time: 1_000, kind: 'leader', text: 'n1 leader' },
      { seq: 2, time: 1_000, kind: 'crash', text: 'n2 crashed' },
      { seq: 3, time: 1_000, kind: 'leader', text: 'n3 leader' },
      { seq: 4, time: 1_001, kind: 'membership', text: 'n4 joined' },
      { seq: 5, time: 1_001, kind: 'violation', text: 'two leaders' },
      { seq: 6, time: 1_001, kind: 'membership', text: 'n5 joined' },
    ];
    const l = layoutMarks(null, markers, 4_000);
    const marks = l.buckets.flat();
    // 1,000 ms of a 4,000 ms span is a quarter of the grid.
    expect(marks.map((m) => [m.seq, m.x])).toEqual([
      [1, GRID / 4],
      [2, GRID / 4],
      [4, GRID / 4],
      [5, GRID / 4],
    ]);
    // A bar in a taken cell is passed over; a shape is named in the tooltip and label of the one there.
    expect(marks[0]).toMatchObject({ text: '1.000 s · n1 leader', label: 'n1 leader, at 1.000 s', hidden: 0 });
    expect(marks[2]).toMatchObject({ text: '1.001 s · n4 joined\n1.001 s · n5 joined', label: 'n4 joined, at 1.001 s; n5 joined, at 1.001 s', hidden: 1 });
    expect(l.violation).toBe(true);
    expect(l.latest).toBe(5);
    expect(l.bucketOf.get(4)).toBe(0);
  });

  it('extended marker by marker, a layout is the one made at once (the tooltips of shared cells included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 1e9 }), fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 12 }), (n, seed, steps) => {
        const all = run(n, 90_000, seed);
        const growing: Marker[] = [];
        let l: MarkLayout | null = null;
        for (const k of [...steps, n]) {
          while (growing.length < Math.min(n, growing.length + k)) growing.push(all[growing.length]);
          l = layoutMarks(l, growing, layoutSpan(90_000));
        }
        expect(drawn(l!)).toEqual(drawn(layoutMarks(null, all, layoutSpan(90_000))));
      }),
      { numRuns: 60 },
    );
  });

  it('the strip end moving within the span changes nothing: the same layout, not laid out again', () => {
    const markers = run(500, 29 * 60_000);
    const at30 = layoutMarks(null, markers, layoutSpan(30 * 60_000));
    expect(layoutMarks(at30, markers, layoutSpan(31 * 60_000))).toBe(at30);
    expect(layoutMarks(at30, markers, layoutSpan(20 * 60_000))).toBe(at30);
  });

  it('a fork keeps the groups before it as they were drawn, and ends as a fresh layout of the forked run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 1e9 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, at) => {
        const old = run(n, 30 * 60_000, seed);
        const before = layoutMarks(null, old, layoutSpan(31 * 60_000));
        const keep = Math.floor(at * n);
        // The forked run copies the markers before its checkpoint and makes the rest again.
        const forked = [...old.slice(0, keep), ...run(40, 60_000, seed + 1).map((m) => ({ ...m, seq: m.seq + 1e6, time: 29 * 60_000 + m.time }))];
        const after = layoutMarks(before, forked, layoutSpan(30 * 60_000));
        expect(drawn(after)).toEqual(drawn(layoutMarks(null, forked, layoutSpan(30 * 60_000))));
        // Every group wholly before the fork, drawn the same, is the very array drawn before.
        for (let g = 0; g < Math.floor(keep / GROUP); g++) {
          const same = JSON.stringify(after.buckets[g]) === JSON.stringify(before.buckets[g]);
          if (same) expect(after.buckets[g]).toBe(before.buckets[g]);
        }
        // And the run goes on from the fork: extended, the layout is still a fresh one (the kept marks are the ones merged into).
        forked.push(...run(30, 30_000, seed + 2).map((m) => ({ ...m, seq: m.seq + 2e6, time: 29 * 60_000 + 60_000 + m.time })));
        expect(drawn(layoutMarks(after, forked, layoutSpan(30 * 60_000)))).toEqual(drawn(layoutMarks(null, forked, layoutSpan(30 * 60_000))));
      }),
      { numRuns: 60 },
    );
  });

  it('a fork deep in a long run keeps most of its groups', () => {
    const old = run(3_000, 30 * 60_000, 7);
    const before = layoutMarks(null, old, layoutSpan(31 * 60_000));
    const forked = old.slice(0, 2_900);
    const after = layoutMarks(before, forked, layoutSpan(30 * 60_000));
    const kept = after.buckets.filter((b, g) => b === before.buckets[g]).length;
    expect(kept).toBeGreaterThanOrEqual(Math.floor(2_900 / GROUP) - 1);
  });

  it('a span doubled lays every mark out again, at half its place', () => {
    const markers = run(50, 3_000, 3);
    const small = layoutMarks(null, markers, 4_000);
    const large = layoutMarks(small, markers, 8_000);
    expect(large.buckets.every((b, g) => b !== small.buckets[g] || b.length === 0)).toBe(true);
    for (const m of large.buckets.flat()) expect(m.x).toBe(Math.round((markers.find((k) => k.seq === m.seq)!.time * GRID) / 8_000));
  });

  it('names a few markers sharing a shape’s cell, then says there are more; keeps shapes of other cells and kinds apart', () => {
    const same = Array.from({ length: 6 }, (_, i): Marker => ({ seq: i + 1, time: 500, kind: 'snapshot', text: `s${i + 1}` }));
    const others: Marker[] = [
      { seq: 7, time: 500, kind: 'install', text: 'i7' },
      { seq: 8, time: 1_500, kind: 'snapshot', text: 's8' },
      { seq: 9, time: 1_500, kind: 'membership', text: 'm9' },
    ];
    const l = layoutMarks(null, [...same, ...others], 2_000);
    const marks = l.buckets.flat();
    expect(marks.map((m) => m.seq)).toEqual([1, 7, 8, 9]);
    expect(marks[0].hidden).toBe(5);
    expect(marks[0].text.split('\n')).toEqual(['500 ms · s1', '500 ms · s2', '500 ms · s3', '500 ms · s4', '…']);
    expect(marks[0].label).toBe('s1, at 500 ms; s2, at 500 ms; s3, at 500 ms; s4, at 500 ms; and more');
    expect(l.violation).toBe(false);
  });

  it('a group whose markers all share earlier cells is kept, empty, so later groups keep their place', () => {
    const markers: Marker[] = Array.from({ length: 2 * GROUP + 1 }, (_, i) => ({ seq: i + 1, time: i < 2 * GROUP ? 100 : 1_000, kind: 'client', text: `w${i}` }));
    const l = layoutMarks(null, markers, 2_000);
    expect(l.buckets.length).toBe(3);
    expect(l.buckets.map((b) => (Array.isArray(b) ? b.length : 'hole'))).toEqual([1, 0, 1]);
    expect(l.bucketOf.get(2 * GROUP + 1)).toBe(2);
  });

  it('extending a layout leaves the layout it came from as it was (its groups are drawn memoised)', () => {
    const markers = run(100, 60_000, 5);
    const prefix = markers.slice(0, 70);
    const before = layoutMarks(null, prefix, 64_000);
    const copy = drawn(before);
    const arrays = before.buckets.slice();
    prefix.push(...markers.slice(70));
    const after = layoutMarks(before, prefix, 64_000);
    expect(drawn(before)).toEqual(copy);
    expect(before.buckets).toEqual(arrays);
    expect(drawn(after)).toEqual(drawn(layoutMarks(null, markers, 64_000)));
  });

  it('a run made again with the same markers keeps every group; one differing in any field is drawn anew', () => {
    const markers: Marker[] = [
      { seq: 1, time: 100, kind: 'leader', text: 'a' },
      { seq: 2, time: 300, kind: 'snapshot', text: 'b' },
      { seq: 3, time: 300, kind: 'snapshot', text: 'c' },
      { seq: 4, time: 600, kind: 'crash', text: 'd' },
    ];
    const before = layoutMarks(null, markers, 2_000);
    expect(layoutMarks(before, markers.slice(), 2_000).buckets[0]).toBe(before.buckets[0]);
    const variants: Marker[][] = [
      markers.map((m, i) => (i === 3 ? { ...m, time: 700 } : m)),
      markers.map((m, i) => (i === 3 ? { ...m, kind: 'partition' as const } : m)),
      markers.map((m, i) => (i === 3 ? { ...m, kind: 'client' as const } : m)),
      markers.map((m, i) => (i === 3 ? { ...m, seq: 5 } : m)),
      markers.map((m, i) => (i === 3 ? { ...m, text: 'e' } : m)),
      markers.map((m, i) => (i === 2 ? { ...m, time: 301 } : m)),
      markers.map((m, i) => (i === 2 ? { ...m, text: 'f' } : m)),
    ];
    for (const v of variants) {
      const after = layoutMarks(before, v, 2_000);
      expect(after.buckets[0]).not.toBe(before.buckets[0]);
      expect(drawn(after)).toEqual(drawn(layoutMarks(null, v, 2_000)));
    }
  });

  it('the same array cut back (fewer markers than laid out) is laid out afresh', () => {
    const markers = run(80, 10_000, 9);
    const before = layoutMarks(null, markers, 16_000);
    markers.length = 30;
    expect(drawn(layoutMarks(before, markers, 16_000))).toEqual(drawn(layoutMarks(null, markers, 16_000)));
  });

  it('names four sharing a shape, then one "…" however many more come', () => {
    for (const n of [5, 7]) {
      const same = Array.from({ length: n }, (_, i): Marker => ({ seq: i + 1, time: 500, kind: 'install', text: `i${i + 1}` }));
      const [mark] = layoutMarks(null, same, 2_000).buckets.flat();
      expect(mark.text.split('\n')).toEqual(['500 ms · i1', '500 ms · i2', '500 ms · i3', '500 ms · i4', '…']);
      expect(mark.hidden).toBe(n - 1);
    }
  });

  it('a marker after a fork that shares a kept mark’s cell is named in that mark', () => {
    const old: Marker[] = [{ seq: 1, time: 1_000, kind: 'snapshot', text: 'n1 compacted' }, ...run(GROUP + 10, 60_000, 4).map((m) => ({ ...m, seq: m.seq + 10, time: 2_000 + m.time }))];
    const before = layoutMarks(null, old, 64_000);
    const forked = old.slice(0, GROUP + 5);
    const after = layoutMarks(before, forked, 64_000);
    expect(after.buckets[0]).toBe(before.buckets[0]);
    // The run goes on: another node compacts at the same moment.
    forked.push({ seq: 9_999, time: 1_000, kind: 'snapshot', text: 'n2 compacted' });
    const extended = layoutMarks(after, forked, 64_000);
    expect(extended.buckets[0][0].text).toBe('1.000 s · n1 compacted\n1.000 s · n2 compacted');
    expect(drawn(extended)).toEqual(drawn(layoutMarks(null, forked, 64_000)));
  });

  it('no run yet: an empty layout, again and again', () => {
    const none = layoutMarks(null, null, 2_000);
    expect(layoutMarks(none, null, 2_000)).toEqual(none);
    expect(none.buckets).toEqual([]);
  });
});
