import { markLabel } from '../../replay/describe';
import { showsMark, type DiagramFilter } from '../../replay/diagram/filters';
import type { MarkCursor, MarkStore } from '../../replay/diagram/markStore';
import type { DiagramModel } from '../../replay/diagram/model';
import { visitMarks, type Moment } from '../../replay/diagram/query';
import type { DiagramHighlight, Mark, MarkKind } from '../../replay/diagram/types';
import { tEnd, timeAt, yOf, GUTTER, type Viewport } from './geometry';
import { Batcher } from './batch';
import type { Prim } from './prims';

export interface HitMark {
  readonly mark: Mark;
  readonly x: number;
  readonly y: number;
}

/** A mark drawn, kept by its place in the model: the `Mark` is made only if the pointer finds it. */
class DrawnMark implements HitMark {
  constructor(
    private readonly store: MarkStore,
    private readonly pos: number,
    readonly x: number,
    readonly y: number,
  ) {}

  get mark(): Mark {
    return this.store.at(this.pos);
  }
}

export interface MarkColours {
  readonly text: string;
  readonly muted: string;
  readonly halo: string;
  readonly accent: string;
  readonly bad: string;
  readonly leader: string;
  readonly candidate: string;
  readonly follower: string;
}

/** Kinds that always get their glyph and label, however crowded the lane. */
const MAJOR: ReadonlySet<MarkKind> = new Set(['role', 'crash', 'restart', 'config', 'client', 'answer', 'snapshot']);

function glyphColour(k: Mark, c: MarkColours): string {
  const d = k.detail;
  switch (d.kind) {
    case 'role':
      return d.role === 'leader' ? c.leader : d.role === 'follower' ? c.follower : c.candidate;
    case 'crash':
    case 'truncate':
      return c.bad;
    case 'restart':
    case 'vote':
      return '#27ae60';
    case 'timeout':
      return c.candidate;
    case 'commit':
      return '#17a589';
    case 'apply':
      return c.text;
    case 'append':
      return '#2471a3';
    case 'client':
    case 'answer':
      return d.kind === 'answer' && !d.ok ? c.bad : '#d63384';
    case 'snapshot':
      return '#d35400';
    default:
      return c.muted;
  }
}

function glyph(out: Batcher, k: Mark, x: number, y: number, colour: string, alpha: number | undefined): void {
  switch (k.detail.kind) {
    case 'role':
      out.rect(colour, alpha, x - 5, y - 5, 10, 10);
      break;
    case 'crash':
      out.segments(colour, 2.5, alpha, x - 6, y - 6, x + 6, y + 6, x - 6, y + 6, x + 6, y - 6);
      break;
    case 'timeout':
    case 'restart':
      out.ring(colour, alpha, x, y, 4.5);
      break;
    case 'commit':
    case 'config':
      out.poly(4, colour, alpha, x, y - 5, x + 5, y, x, y + 5, x - 5, y);
      break;
    case 'client':
      out.poly(3, colour, alpha, x - 9, y - 5, x - 1, y, x - 9, y + 5);
      break;
    case 'answer':
      out.poly(3, colour, alpha, x - 1, y - 5, x - 9, y, x - 1, y + 5);
      break;
    default:
      out.rect(colour, alpha, x - 3, y - 2, 6, 4);
  }
}

/**
 * The marks visible in `v` at moment `m`: a glyph on the lane and a few words to its right when the
 * column is wide enough and the lane has room (crowded minor marks are thinned, major ones never);
 * marks of the whole cluster (a partition, a heal) as a dashed line across every lane.
 */
export function markPrims(
  model: DiagramModel,
  m: Moment,
  v: Viewport,
  laneXOf: ReadonlyMap<string, number>,
  colW: number,
  filter: DiagramFilter,
  highlight: DiagramHighlight,
  c: MarkColours,
): { prims: Prim[]; hits: HitMark[] } {
  const prims: Prim[] = [];
  const labels: Prim[] = [];
  const hits: HitMark[] = [];
  const glyphs = new Batcher();
  const lastGlyph = new Map<string, number>();
  const lastLabel = new Map<string, number>();
  const charW = 6;
  const room = Math.floor((colW - 12) / charW);
  const right = v.width - 4;
  // Marks are read in place through a cursor; only those drawn are kept (as objects) for the pointer.
  const visit = (k: MarkCursor) => {
    if (!showsMark(filter, k)) return;
    const y = yOf(v, k.time);
    const lit = highlight?.events.has(k.id) ?? false;
    const alpha = highlight !== null && !lit ? 0.3 : undefined;
    if (k.lane === null) {
      prims.push({ t: 'line', x1: GUTTER, y1: y, x2: right, y2: y, stroke: c.bad, w: 1.2, dash: [6, 4], alpha });
      labels.push({ t: 'text', x: right - 2, y: y - 8, text: markLabel(k.detail), fill: c.bad, size: 11, anchor: 'end', halo: c.halo, alpha });
      hits.push(new DrawnMark(k.store, k.p, (GUTTER + right) / 2, y));
      return;
    }
    const x = laneXOf.get(k.lane);
    if (x === undefined) return;
    // By the row's kind: a mark passed over (within 4 px of the last on its lane) makes no detail object.
    const major = MAJOR.has(k.kind);
    const prev = lastGlyph.get(k.lane);
    if (!major && !lit && prev !== undefined && y - prev < 4) return;
    lastGlyph.set(k.lane, y);
    const colour = glyphColour(k, c);
    if (lit) prims.push({ t: 'circle', x, y, r: 9, fill: null, stroke: c.accent });
    glyph(glyphs, k, x, y, colour, alpha);
    hits.push(new DrawnMark(k.store, k.p, x, y));
    if (k.routine) return;
    const prevLabel = lastLabel.get(k.lane);
    if (prevLabel !== undefined && y - prevLabel < 13 && !(major && y - prevLabel >= 7)) return;
    let text = markLabel(k.detail);
    if (k.detail.kind === 'role' && room < text.length) text = `${k.detail.role[0].toUpperCase()}${k.detail.term}`;
    if (room < 3) return;
    if (text.length > room) text = `${text.slice(0, Math.max(1, room - 1))}…`;
    lastLabel.set(k.lane, y);
    labels.push({ t: 'text', x: x + 8, y, text, fill: major ? colour : c.muted, size: 11, anchor: 'start', bold: k.detail.kind === 'role', halo: c.halo, alpha });
  };
  const t0 = timeAt(v, 0);
  const t1 = tEnd(v);
  const cursor = model.marks.cursor();
  visitMarks(model.marks, t0, t1, m, () => visit(cursor), cursor);
  if (!filter.hiddenFamilies.has('heartbeat') && filter.only === null) {
    // Heartbeat timers: a second pass, thinned on their own and without words.
    lastGlyph.clear();
    const routine = model.routineMarks.cursor();
    visitMarks(model.routineMarks, t0, t1, m, () => visit(routine), routine);
  }
  glyphs.flush(prims);
  for (const l of labels) prims.push(l);
  return { prims, hits };
}
