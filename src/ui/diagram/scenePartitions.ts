import type { Moment } from '../../replay/diagram/query';
import type { PartitionSpan } from '../../replay/diagram/partitions';
import { HEADER, tEnd, timeAt, yOf, type Viewport } from './geometry';
import type { Prim } from './prims';

/**
 * Partitions as shaded bands: over the lanes of the servers cut off from a majority, from the
 * split to the heal (or to "now" while it lasts), under everything else; "cut off" at the top of
 * each band where the column has room for the words.
 */
export function partitionPrims(
  spans: readonly PartitionSpan[],
  m: Moment,
  v: Viewport,
  laneXOf: ReadonlyMap<string, number>,
  colW: number,
  colours: { readonly cut: string; readonly bad: string; readonly halo: string },
): Prim[] {
  const top = timeAt(v, HEADER);
  const bottom = Math.min(tEnd(v), m.time);
  const xywh: number[] = [];
  const words: Prim[] = [];
  const inset = Math.min(4, colW * 0.1);
  for (const s of spans) {
    if (s.frame > m.frame) break;
    const to = s.toFrame !== null && s.toFrame <= m.frame && s.to !== null ? s.to : m.time;
    if (to < top || s.from > bottom) continue;
    const y1 = yOf(v, Math.max(s.from, top));
    const y2 = yOf(v, Math.min(to, bottom));
    let labelled = false;
    for (const id of s.cut) {
      const x = laneXOf.get(id);
      if (x === undefined) continue;
      xywh.push(x - colW / 2 + inset, y1, colW - 2 * inset, Math.max(1, y2 - y1));
      if (!labelled && colW >= 52 && y2 - y1 >= 24) {
        labelled = true;
        words.push({ t: 'text', x, y: y1 + 10, text: 'cut off', fill: colours.bad, size: 10, anchor: 'middle', halo: colours.halo });
      }
    }
  }
  if (xywh.length === 0) return [];
  return [{ t: 'rects', xywh, fill: colours.cut }, ...words];
}
