import type { DiagramFilter } from '../../replay/diagram/filters';
import { segmentAt } from '../../replay/diagram/lanes';
import type { DiagramModel } from '../../replay/diagram/model';
import type { Moment } from '../../replay/diagram/query';
import type { DiagramHighlight, Lane } from '../../replay/diagram/types';
import { columnWidth, GUTTER, HEADER, laneX, tEnd, tickLabel, tickStep, timeAt, yOf, type Viewport } from './geometry';
import type { Prim } from './prims';
import { arrowPrims, type HitArrow } from './sceneArrows';
import { markPrims, type HitMark, type MarkColours } from './sceneMarks';
import { partitionPrims } from './scenePartitions';

export type { HitArrow, HitMark };

export interface Colours extends MarkColours {
  readonly bg: string;
  /** The shade over lanes cut off by a partition. */
  readonly cut: string;
  readonly grid: string;
  readonly down: string;
  readonly future: string;
}

export interface SceneInput {
  readonly model: DiagramModel;
  readonly moment: Moment;
  readonly view: Viewport;
  readonly filter: DiagramFilter;
  readonly hover: number | null;
  readonly highlight: DiagramHighlight;
  readonly colours: Colours;
}

export interface Scene {
  readonly prims: Prim[];
  readonly arrows: HitArrow[];
  readonly marks: HitMark[];
  /** The lanes drawn, left to right, with their x. */
  readonly lanes: { readonly lane: Lane; readonly x: number }[];
}

/** The lanes on screen at the moment: those that exist by then and are not hidden by the filter. */
export function visibleLanes(model: DiagramModel, m: Moment, filter: DiagramFilter): Lane[] {
  return model.lanes.filter((l) => !filter.hiddenLanes.has(l.id) && segmentAt(l, m.frame) !== null);
}

function laneColour(s: { alive: boolean; role: string; membership: string }, c: Colours): string {
  if (!s.alive || s.membership === 'removed') return c.down;
  return s.role === 'leader' ? c.leader : s.role === 'follower' ? c.follower : c.candidate;
}

/** Each lane as segments in its state's style: a leader thick, a crashed server dotted, a removed one faint. */
function lanePrims(out: Prim[], lanes: { lane: Lane; x: number }[], m: Moment, v: Viewport, c: Colours): void {
  const top = timeAt(v, HEADER);
  const bottom = Math.min(tEnd(v), m.time);
  for (const { lane, x } of lanes) {
    const segs = lane.segments;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i];
      if (s.frame > m.frame) break;
      const next = segs[i + 1];
      const to = next && next.frame <= m.frame ? next.from : m.time;
      if (to < top || s.from > bottom) continue;
      const y1 = yOf(v, Math.max(s.from, top));
      const y2 = yOf(v, Math.min(to, bottom));
      const removed = s.membership === 'removed';
      const w = !s.alive || removed ? 1.5 : s.role === 'leader' ? 5 : s.role === 'follower' ? 2 : 3.5;
      const dash = !s.alive ? [2, 4] : removed ? [1, 5] : s.membership === 'non-voter' || s.membership === 'joining' ? [8, 4] : undefined;
      out.push({ t: 'line', x1: x, y1, x2: x, y2, stroke: laneColour(s, c), w, dash, alpha: removed ? 0.6 : undefined });
    }
  }
}

function axisPrims(out: Prim[], v: Viewport, c: Colours): void {
  const step = tickStep(v.msPerPx);
  const first = Math.ceil(timeAt(v, HEADER) / step) * step;
  const last = tEnd(v);
  const grid: number[] = [];
  const labels: Prim[] = [];
  for (let t = Math.max(0, first); t <= last; t += step) {
    const y = yOf(v, t);
    grid.push(GUTTER - 4, y, v.width, y);
    labels.push({ t: 'text', x: GUTTER - 6, y, text: tickLabel(t, step), fill: c.muted, size: 10, anchor: 'end' });
  }
  // Over the background (it was put first, under the background, and never seen), under the rest.
  out.push({ t: 'lines', segs: grid, stroke: c.grid, w: 1 }, ...labels);
}

/** Everything drawn for one frame of the view, back to front. */
export function buildScene(input: SceneInput): Scene {
  const { model, moment: m, view: v, filter, colours: c } = input;
  const shown = visibleLanes(model, m, filter);
  const lanes = shown.map((lane, i) => ({ lane, x: laneX(v, i, shown.length) }));
  const laneXOf = new Map(lanes.map((l) => [l.lane.id, l.x]));
  const colW = columnWidth(v, shown.length);
  const prims: Prim[] = [];
  prims.push({ t: 'rect', x: 0, y: 0, w: v.width, h: v.height, fill: c.bg });
  // The future, below "now": nothing is drawn there.
  const yNow = yOf(v, m.time);
  if (yNow < v.height) prims.push({ t: 'rect', x: GUTTER, y: Math.max(HEADER, yNow), w: v.width - GUTTER, h: v.height - Math.max(HEADER, yNow), fill: c.future });
  prims.push(...partitionPrims(model.partitions, m, v, laneXOf, colW, c));
  axisPrims(prims, v, c);
  lanePrims(prims, lanes, m, v, c);
  const arrows = arrowPrims(model, m, v, laneXOf, filter, input.hover, input.highlight, {
    halo: c.bg,
    accent: c.accent,
    highlight: c.accent,
    bad: c.bad,
    labels: colW >= 44,
  });
  const marks = markPrims(model, m, v, laneXOf, colW, filter, input.highlight, c);
  prims.push(...arrows.prims, ...marks.prims);
  if (yNow >= HEADER && yNow <= v.height) {
    prims.push({ t: 'line', x1: 0, y1: yNow, x2: v.width, y2: yNow, stroke: c.accent, w: 2 });
    prims.push({ t: 'text', x: 4, y: yNow - 8, text: 'now', fill: c.accent, size: 11, anchor: 'start', bold: true, halo: c.bg });
  }
  // The lane labels stay on top, over a band that hides what scrolls under it.
  prims.push({ t: 'rect', x: 0, y: 0, w: v.width, h: HEADER, fill: c.bg });
  prims.push({ t: 'line', x1: 0, y1: HEADER, x2: v.width, y2: HEADER, stroke: c.grid, w: 1 });
  for (const { lane, x } of lanes) {
    const s = segmentAt(lane, m.frame);
    const role = s && s.alive && s.membership !== 'removed' ? (s.role === 'leader' ? ` L${s.term}` : s.role === 'follower' ? '' : ' C') : s && !s.alive ? ' ✕' : ' –';
    prims.push({ t: 'text', x, y: HEADER / 2, text: `${lane.id}${colW >= 40 ? role : ''}`, fill: s ? laneColour(s, c) : c.muted, size: 12, anchor: 'middle', bold: true });
  }
  return { prims, arrows: arrows.hits, marks: marks.hits, lanes };
}

/** The arrow or mark under (x, y), if any is within a few pixels. */
export function hitTest(scene: Scene, x: number, y: number): { arrow: HitArrow | null; mark: HitMark | null } {
  let mark: HitMark | null = null;
  let best = 7 * 7;
  for (const h of scene.marks) {
    const d = (h.x - x) ** 2 + (h.y - y) ** 2;
    if (d < best) {
      best = d;
      mark = h;
    }
  }
  if (mark) return { arrow: null, mark };
  let arrow: HitArrow | null = null;
  let bestA = 5;
  for (const a of scene.arrows) {
    const dx = a.x2 - a.x1;
    const dy = a.y2 - a.y1;
    const len2 = dx * dx + dy * dy || 1;
    const t = Math.max(0, Math.min(1, ((x - a.x1) * dx + (y - a.y1) * dy) / len2));
    const d = Math.hypot(a.x1 + t * dx - x, a.y1 + t * dy - y);
    if (d < bestA) {
      bestA = d;
      arrow = a;
    }
  }
  return { arrow, mark: null };
}
