import type { Marker, MarkerKind } from '../replay/simulation';
import { fmtTime } from './format';

/**
 * Rows, top to bottom: who runs the cluster (elections, membership changes); faults and
 * recoveries; snapshots (taken, installed); client requests. Kinds sharing a row differ in shape
 * as well as colour.
 */
export const KIND_ROW: Record<MarkerKind, number> = {
  leader: 0,
  membership: 0,
  crash: 1,
  restart: 1,
  partition: 1,
  heal: 1,
  snapshot: 2,
  install: 2,
  client: 3,
  violation: 4,
};
/** Kinds drawn as a shape rather than a bar: each keeps its own mark per pixel beside the bars of its row. */
export const SHAPED: ReadonlySet<MarkerKind> = new Set(['membership', 'snapshot', 'install']);

/**
 * Marks are placed on a grid of this many cells across the layout's span (`layoutSpan`): one mark
 * per cell and row, which is all the eye can tell apart on a long history. The strip shows between
 * half of the span and all of it, so 500–1,000 cells across its width: a cell is at most two
 * thousandths of the strip, narrower than a mark (three), and no more marks are drawn than one a
 * thousandth (a finer grid split marks the eye sees as one, two nodes' snapshots a moment apart).
 */
export const GRID = 1000;
/** The shortest span laid out: the strip's own shortest end (niceEnd). */
const MIN_SPAN = 2_000;

/**
 * The span of simulated time the marks are laid out over, for a strip that ends at `end`: the
 * least power-of-two multiple of MIN_SPAN that holds it. The strip's end moves every simulated
 * minute while a run plays and with every fork; the marks, laid out against a span that moves only
 * when the end doubles or halves, stay where they are (the strip shows the part of the span up to
 * its end, `visibleWidth`). Laid out against the end itself, every mark moved: a fork at minute 30
 * of a 9-node run changed about 730 marks' position, title and label, some 40 ms of its CPU.
 */
export function layoutSpan(end: number): number {
  let span = MIN_SPAN;
  while (span < end) span *= 2;
  return span;
}

/** The width, in grid cells, of the part of the layout a strip ending at `end` shows. */
export function visibleWidth(end: number): number {
  return (GRID * end) / layoutSpan(end);
}

export interface PlacedMark {
  key: string;
  x: number;
  row: number;
  kind: MarkerKind;
  text: string;
  /** The same, for a screen reader: what the mark is and when. */
  label: string;
  seq: number;
  /** How many later markers share this mark's cell (its tooltip names a few, then "…"). */
  hidden: number;
}

/**
 * Marks are laid out and drawn in groups of this many of the run's markers, in order: a new mark
 * redraws one group, and a mark stays in its group when the span changes, so it is moved in place,
 * not drawn anew.
 */
export const GROUP = 64;

export interface MarkLayout {
  span: number;
  /** The markers laid out: a run's own array, extended in place as it plays. */
  markers: readonly Marker[] | null;
  /** How many of them are placed. */
  count: number;
  /** The placed marks by group of markers, in time order; a group's array is replaced when it changes. */
  buckets: PlacedMark[][];
  seen: Map<string, PlacedMark>;
  /** Which group each placed mark's seq is in. */
  bucketOf: Map<number, number>;
  /** The last mark placed: the Tab stop until the learner moves it. */
  latest: number | null;
  violation: boolean;
}

const empty = (span: number, markers: readonly Marker[] | null): MarkLayout => ({
  span,
  markers,
  count: 0,
  buckets: [],
  seen: new Map(),
  bucketOf: new Map(),
  latest: null,
  violation: false,
});

/**
 * The marks of `markers` over `span`, extending `prev` with only the markers added since when it
 * laid out the same array over the same span (a long class session has tens of thousands). Laid
 * out afresh otherwise (a fork, a load, the span doubled), a group that comes out the same keeps
 * `prev`'s array, so a memoised group is not drawn again: a fork keeps the marks before it.
 */
export function layoutMarks(prev: MarkLayout | null, markers: readonly Marker[] | null, span: number): MarkLayout {
  const fresh = !prev || prev.span !== span || prev.markers !== markers || (markers !== null && prev.count > markers.length);
  let cache = fresh ? empty(span, markers) : prev;
  if (!markers || cache.count === markers.length) return fresh && prev ? keepSame(cache, prev) : cache;
  const scale = GRID / span;
  const touched = new Set<number>();
  const buckets = cache.buckets.slice();
  const own = (b: number) => {
    if (!touched.has(b)) buckets[b] = buckets[b]?.slice() ?? [];
    touched.add(b);
    return buckets[b];
  };
  for (let i = cache.count; i < markers.length; i++) {
    const m = markers[i];
    const px = Math.round(m.time * scale);
    const row = KIND_ROW[m.kind];
    const shaped = SHAPED.has(m.kind);
    const key = shaped ? `${px}:${row}:${m.kind}` : `${px}:${row}`;
    const kept = cache.seen.get(key);
    // Most markers of a long run share a cell with an earlier one and are passed over: their
    // text is not made (it was a third of laying out the strip again after a fork).
    if (kept && !shaped) continue;
    const text = `${fmtTime(m.time)} · ${m.text}`;
    if (kept) {
      // A join and its promotion, or every node compacting at once, often share a cell: the
      // one mark's tooltip names them all (a few, then a count).
      // A placed mark is not changed in place (its group is memoised): it is replaced.
      const grown = { ...kept, hidden: kept.hidden + 1 };
      if (kept.hidden < 3) {
        grown.text += `\n${text}`;
        grown.label += `; ${m.text}, at ${fmtTime(m.time)}`;
      } else if (kept.hidden === 3) {
        grown.text += '\n…';
        grown.label += '; and more';
      }
      cache.seen.set(key, grown);
      const group = own(cache.bucketOf.get(kept.seq)!);
      group[group.indexOf(kept)] = grown;
      continue;
    }
    const placed: PlacedMark = { key, x: px, row, kind: m.kind, text, label: `${m.text}, at ${fmtTime(m.time)}`, seq: m.seq, hidden: 0 };
    const b = Math.floor(i / GROUP);
    // Every group before it exists, if empty (all its markers shared another mark's cell).
    for (let k = buckets.length; k < b; k++) buckets[k] = [];
    cache.seen.set(key, placed);
    cache.bucketOf.set(m.seq, b);
    own(b).push(placed);
    cache.latest = m.seq;
    if (m.kind === 'violation') cache.violation = true;
  }
  cache = { ...cache, count: markers.length, buckets };
  return fresh && prev ? keepSame(cache, prev) : cache;
}

const sameMark = (a: PlacedMark, b: PlacedMark) =>
  a.x === b.x && a.row === b.row && a.kind === b.kind && a.seq === b.seq && a.text === b.text && a.label === b.label && a.hidden === b.hidden;

/**
 * `next` with each group that holds the same marks as `prev`'s group of that place given `prev`'s
 * array (and marks): what did not change keeps its identity, and is not drawn again.
 */
function keepSame(next: MarkLayout, prev: MarkLayout): MarkLayout {
  if (next.span !== prev.span) return next;
  let kept = 0;
  const buckets = next.buckets.map((b, i) => {
    const old = prev.buckets[i];
    if (!old || old.length !== b.length || !b.every((m, j) => sameMark(m, old[j]))) return b;
    kept++;
    return old;
  });
  if (kept === 0) return next;
  // The maps point at the marks drawn: the kept groups' marks replace their equals.
  const seen = new Map(next.seen);
  buckets.forEach((b, i) => {
    if (b !== next.buckets[i]) for (const m of b) seen.set(m.key, m);
  });
  return { ...next, buckets, seen };
}
