import { shortLabel } from '../../replay/describe';
import { showsArrow, type DiagramFilter } from '../../replay/diagram/filters';
import type { DiagramModel } from '../../replay/diagram/model';
import { arrived, visitArrowsThinned, type Moment } from '../../replay/diagram/query';
import type { Arrow, DiagramHighlight } from '../../replay/diagram/types';
import { MSG_COLOURS } from '../palette';
import { tEnd, timeAt, yOf, type Viewport } from './geometry';
import type { Prim } from './prims';

/** An arrow as drawn, for the pointer to find. */
export interface HitArrow {
  readonly msgId: number;
  readonly cls: Arrow['cls'];
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** Lost messages are drawn up to this fraction of their way, where the cross is. */
const LOST_AT = 0.8;
/**
 * Arrows whose start is this close (px) to the last one drawn between the same two lanes are
 * skipped: a zoomed-out run would otherwise draw thousands of lines into the same pixels.
 * Heartbeats and their acks are thinned harder (they are a steady band at that scale).
 */
const MIN_GAP = 1.5;
const MIN_GAP_ROUTINE = 2.5;
/**
 * About how many lines a frame may draw, heartbeats apart: the canvas is rasterized on the main
 * thread, and past a few thousand antialiased lines the rasterizer, not the script, eats the
 * frame. Zoomed far out, the gap between two arrows of one pair of lanes widens to keep to it
 * (the traffic of a run is mostly the leader's with each follower, both ways).
 */
const LINE_BUDGET = 1200;
const ROUTINE_BUDGET = 450;
/** A head only where the last one of the pair is this far (px): flat, dense arrows' heads are a blur. */
const HEAD_GAP = 6;
/** Drawn arrows kept for hit testing: beyond this the view is too dense to point at one anyway. */
const MAX_HITS = 6000;

interface Batch {
  segs: number[];
  heads: number[];
}

export interface ArrowStyle {
  readonly halo: string;
  readonly accent: string;
  readonly highlight: string;
  readonly bad: string;
  readonly labels: boolean;
}

function head(out: number[], x1: number, y1: number, x2: number, y2: number, size: number): void {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.sqrt(dx * dx + dy * dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  out.push(x2, y2, x2 - ux * size - uy * size * 0.5, y2 - uy * size + ux * size * 0.5, x2 - ux * size + uy * size * 0.5, y2 - uy * size - ux * size * 0.5);
}

/**
 * The arrows visible in `v` at moment `m`: one batch of lines per message class (dashed for lost
 * ones), a head on each delivered one, a cross where a lost one was lost, a dot at the front of
 * one still in flight; the hovered and the highlighted ones drawn again on top.
 */
export function arrowPrims(
  model: DiagramModel,
  m: Moment,
  v: Viewport,
  laneXOf: ReadonlyMap<string, number>,
  filter: DiagramFilter,
  hover: number | null,
  highlight: DiagramHighlight,
  style: ArrowStyle,
): { prims: Prim[]; hits: HitArrow[] } {
  const t0 = timeAt(v, 0);
  const t1 = tEnd(v);
  const batches = new Map<Arrow['cls'], Batch>();
  const lostBatches = new Map<Arrow['cls'], Batch>();
  const crosses: number[] = [];
  const fronts: Prim[] = [];
  const labels: Prim[] = [];
  const hits: HitArrow[] = [];
  // The last start drawn per pair of lanes, by column numbers (no string keys in the hot loop).
  const colOf = new Map<string, number>();
  for (const id of laneXOf.keys()) colOf.set(id, colOf.size);
  const lanes = colOf.size;
  const lastY = new Float64Array(lanes * lanes).fill(-1e9);
  const lastLabelY = new Float64Array(lanes * lanes).fill(-1e9);
  const lastHeadY = new Float64Array(lanes * lanes).fill(-1e9);
  const pairs = Math.max(1, 2 * (lanes - 1));
  const gap = Math.max(MIN_GAP, (pairs * v.height) / LINE_BUDGET);
  const gapRoutine = Math.max(MIN_GAP_ROUTINE, (pairs * v.height) / ROUTINE_BUDGET);
  const dim = highlight !== null;

  /** Draw `a` (into the batches, or again on top into `into`); true when it was drawn. */
  const draw = (a: Arrow, into: Prim[] | null): boolean => {
    const x1 = laneXOf.get(a.from);
    const xt = laneXOf.get(a.to);
    if (x1 === undefined || xt === undefined) return false;
    const y1 = yOf(v, a.sentAt);
    const done = arrived(a, m);
    let x2: number;
    let y2: number;
    if (!done) {
      const p = Math.min(1, Math.max(0, (m.time - a.sentAt) / Math.max(1e-9, a.endAt - a.sentAt)));
      x2 = x1 + (xt - x1) * p;
      y2 = yOf(v, a.sentAt + (a.endAt - a.sentAt) * p);
    } else if (a.end === 'dropped') {
      x2 = x1 + (xt - x1) * LOST_AT;
      y2 = yOf(v, a.sentAt + (a.endAt - a.sentAt) * LOST_AT);
    } else {
      x2 = xt;
      y2 = yOf(v, a.endAt);
    }
    const colour = MSG_COLOURS[a.cls];
    if (into) {
      // Drawn again on top, wider, over a halo.
      into.push({ t: 'line', x1, y1, x2, y2, stroke: style.halo, w: 7 });
      into.push({ t: 'line', x1, y1, x2, y2, stroke: a.msgId === hover ? style.accent : colour, w: 3, dash: done && a.end === 'dropped' ? [5, 3] : undefined });
      if (done && a.end === 'delivered') into.push({ t: 'poly', pts: triangle(x1, y1, x2, y2, 10), fill: a.msgId === hover ? style.accent : colour });
      return true;
    }
    const pair = colOf.get(a.from)! * lanes + colOf.get(a.to)!;
    if (Math.abs(lastY[pair] - y1) < (a.routine ? gapRoutine : gap)) return false;
    lastY[pair] = y1;
    if (hits.length < MAX_HITS) hits.push({ msgId: a.msgId, cls: a.cls, x1, y1, x2, y2 });
    const dropped = done && a.end === 'dropped';
    const byCls = dropped ? lostBatches : batches;
    let b = byCls.get(a.cls);
    if (!b) byCls.set(a.cls, (b = { segs: [], heads: [] }));
    b.segs.push(x1, y1, x2, y2);
    const len = Math.sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
    if (done && a.end === 'delivered') {
      // A head on an arrow a few pixels long would be all head.
      if (len > 6 && (Math.abs(y2 - y1) >= 3 || Math.abs(lastHeadY[pair] - y1) >= HEAD_GAP)) {
        lastHeadY[pair] = y1;
        head(b.heads, x1, y1, x2, y2, Math.min(8, Math.max(4, len / 4)));
      }
    } else if (dropped) crosses.push(x2 - 4, y2 - 4, x2 + 4, y2 + 4, x2 - 4, y2 + 4, x2 + 4, y2 - 4);
    else fronts.push({ t: 'circle', x: x2, y: y2, r: 3.5, fill: colour, stroke: null });
    // Words only where they do not pile up: one label per pair of lanes every few lines.
    const roomy = Math.abs(lastLabelY[pair] - y1) >= 16;
    // A flat arrow (zoomed far out) crosses other pairs' arrows at the same height: no words on it.
    if (roomy && style.labels && len > 56 && Math.abs(y2 - y1) >= 10 && !a.routine) {
      lastLabelY[pair] = y1;
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      const text = `${shortLabel(a.msg)}${a.duplicate ? ' ×2' : ''}${dropped && a.reason ? ` (${a.reason})` : ''}`;
      labels.push({ t: 'text', x: mx, y: my - 7, text, fill: colour, size: 11, anchor: 'middle', halo: style.halo });
    } else if (roomy && a.duplicate && len > 16) {
      lastLabelY[pair] = y1;
      labels.push({ t: 'text', x: x2, y: y2 - 8, text: '×2', fill: colour, size: 10, anchor: 'middle', halo: style.halo, bold: true });
    }
    return true;
  };

  // Pair by pair, so a zoomed-out view passes over what it would draw into the same pixels.
  const routine = filter.only !== null || !filter.hiddenFamilies.has('heartbeat');
  const shown = (a: Arrow) => showsArrow(filter, a) && draw(a, null);
  // Read in place through cursors: a zoomed-out frame visits thousands of arrows and makes no object for them.
  const cursor = model.arrows.cursor();
  const routineCursor = model.routineArrows.cursor();
  for (const from of laneXOf.keys()) {
    for (const to of laneXOf.keys()) {
      const pair = model.byPair.get(`${from}>${to}`);
      if (!pair) continue;
      visitArrowsThinned(pair.arrows, model.maxSpan, t0, t1, m, gap * v.msPerPx, shown, cursor);
      if (routine) visitArrowsThinned(pair.routine, model.maxSpan, t0, t1, m, gapRoutine * v.msPerPx, shown, routineCursor);
    }
  }
  for (const a of model.pending) if (a.sentAt <= m.time && a.sentAt <= t1 && showsArrow(filter, a)) draw(a, null);
  // The hovered arrow and a causal past, looked up by id: thinning may have passed over them.
  const top: Arrow[] = [];
  const lift = (id: number | string) => {
    const a = typeof id === 'number' ? model.arrowInPlace(id) : undefined;
    if (a && a.sentAt <= Math.min(t1, m.time) && (a.end === 'pending' || a.endAt >= t0) && showsArrow(filter, a)) top.push(a);
  };
  if (highlight) for (const id of highlight.messages) lift(id);
  if (hover !== null && !(highlight?.messages.has(hover) ?? false)) lift(hover);

  const prims: Prim[] = [];
  const alpha = dim ? 0.22 : undefined;
  for (const [lost, from] of [[false, batches] as const, [true, lostBatches] as const]) {
    for (const [cls, b] of from) {
      prims.push({ t: 'lines', segs: b.segs, stroke: MSG_COLOURS[cls], w: cls === 'heartbeat' || cls === 'append-ok' ? 1 : 1.6, dash: lost ? [5, 3] : undefined, alpha });
      if (b.heads.length > 0) prims.push({ t: 'polys', n: 3, pts: b.heads, fill: MSG_COLOURS[cls], alpha });
    }
  }
  if (crosses.length > 0) prims.push({ t: 'lines', segs: crosses, stroke: style.bad, w: 2, alpha });
  prims.push(...fronts, ...labels);
  const onTop: Prim[] = [];
  for (const a of top) draw(a, onTop);
  prims.push(...onTop);
  return { prims, hits };
}

function triangle(x1: number, y1: number, x2: number, y2: number, size: number): number[] {
  const out: number[] = [];
  head(out, x1, y1, x2, y2, size);
  return out;
}
