import { useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import type { MarkerKind } from '../replay/simulation';
import { getSim, headTime, useStore } from '../store/store';
import { fmtTime } from './format';
import { alongStrip } from './roving';
import './Timeline.css';

const HEIGHT = 44;
/**
 * Rows, top to bottom: who runs the cluster (elections, membership changes); faults and
 * recoveries; snapshots (taken, installed); client requests. Kinds sharing a row differ in shape
 * as well as colour.
 */
const KIND_ROW: Record<MarkerKind, number> = {
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
const SHAPED: ReadonlySet<MarkerKind> = new Set(['membership', 'snapshot', 'install']);

const rowTop = (row: number) => 3 + row * 10;

/** A broken safety property must not hide among ordinary marks: it spans the whole strip. */
function markBox(kind: MarkerKind, row: number): { y: number; width: number; height: number } {
  if (kind === 'violation') return { y: 0, width: 4, height: HEIGHT };
  return { y: rowTop(row), width: kind === 'client' ? 1.5 : 3, height: 8 };
}

/**
 * The shaped marks, centred on x (viewBox units; the strip is stretched sideways, so they are
 * drawn a little narrower than tall): a diamond for a membership change, an open box for a
 * compaction (the log strips' "snapshot ≤ i" block), a downward triangle for a snapshot loaded.
 */
function markShape(kind: MarkerKind, x: number, y: number, props: MarkProps) {
  switch (kind) {
    case 'membership':
      return <polygon points={`${x},${y} ${x + 3.5},${y + 4} ${x},${y + 8} ${x - 3.5},${y + 4}`} {...props} />;
    case 'snapshot':
      return <rect x={x - 2.5} y={y + 0.5} width={5} height={7} {...props} />;
    default:
      return <polygon points={`${x - 3.5},${y} ${x + 3.5},${y} ${x},${y + 8}`} {...props} />;
  }
}

type MarkProps = {
  className: string;
  onPointerDown?: (e: PointerEvent) => void;
  children?: ReactNode;
  role: 'button';
  tabIndex: number;
  'aria-label': string;
  'data-seq': number;
};

/** The legend's samples are CSS boxes clipped to the same shapes as the marks (see Timeline.css). */
const LEGEND: { kind: MarkerKind; label: string }[] = [
  { kind: 'leader', label: 'leader elected' },
  { kind: 'membership', label: 'membership change' },
  { kind: 'crash', label: 'crash / partition' },
  { kind: 'restart', label: 'restart / heal' },
  { kind: 'snapshot', label: 'snapshot taken' },
  { kind: 'install', label: 'snapshot installed' },
  { kind: 'client', label: 'client request' },
];

/** The domain grows in steps so markers are laid out again rarely, not on every frame. */
function niceEnd(t: number): number {
  const step = t < 10_000 ? 2_000 : t < 60_000 ? 10_000 : 60_000;
  return Math.max(step, Math.ceil((t + 1) / step) * step);
}

const WIDTH = 1000;

interface PlacedMark {
  key: string;
  x: number;
  row: number;
  kind: MarkerKind;
  text: string;
  /** The same, for a screen reader: what the mark is and when. */
  label: string;
  seq: number;
}

let cache: { end: number; revision: number; count: number; marks: PlacedMark[] } | null = null;

/** One mark per pixel and row is all the eye can tell apart on a long history; cached across frames. */
function layoutMarks(end: number, revision: number): PlacedMark[] {
  const s = getSim();
  if (!s) return [];
  if (cache && cache.end === end && cache.revision === revision && cache.count === s.markers.length) return cache.marks;
  const x = scaleLinear().domain([0, end]).range([0, WIDTH]);
  const seen = new Map<string, PlacedMark & { hidden: number }>();
  const out: PlacedMark[] = [];
  for (const m of s.markers) {
    const px = Math.round(x(m.time));
    const row = KIND_ROW[m.kind];
    const shaped = SHAPED.has(m.kind);
    const key = shaped ? `${px}:${row}:${m.kind}` : `${px}:${row}`;
    const text = `${fmtTime(m.time)} · ${m.text}`;
    const kept = seen.get(key);
    if (kept) {
      // A join and its promotion, or every node compacting at once, often share a pixel: the
      // one mark's tooltip names them all (a few, then a count).
      if (!shaped) continue;
      if (kept.hidden < 3) {
        kept.text += `\n${text}`;
        kept.label += `; ${m.text}, at ${fmtTime(m.time)}`;
      } else if (kept.hidden === 3) {
        kept.text += '\n…';
        kept.label += '; and more';
      }
      kept.hidden++;
      continue;
    }
    const placed = { key, x: px, row, kind: m.kind, text, label: `${m.text}, at ${fmtTime(m.time)}`, seq: m.seq, hidden: 0 };
    seen.set(key, placed);
    out.push(placed);
  }
  cache = { end, revision, count: s.markers.length, marks: out };
  return out;
}

/** The whole recorded history: drag to see any moment; markers for elections, faults, membership, snapshots and requests. */
export function Timeline() {
  const time = useStore((s) => s.time);
  const revision = useStore((s) => s.revision);
  const seekTime = useStore((s) => s.seekTime);
  const seekEvent = useStore((s) => s.seekEvent);
  const ref = useRef<SVGSVGElement>(null);
  const dragging = useRef(false);
  const sim = getSim();
  const head = sim ? headTime(sim, time) : 0;
  const end = niceEnd(head);
  const x = scaleLinear().domain([0, end]).range([0, WIDTH]);
  const marks = layoutMarks(end, revision);
  // The one mark Tab stops on (roving.ts): the one last focused while it is drawn, else the latest.
  const [stop, setStop] = useState<number | null>(null);
  const stopSeq = stop !== null && marks.some((m) => m.seq === stop) ? stop : (marks.at(-1)?.seq ?? null);
  const onKeyDown = (e: KeyboardEvent) => {
    const seq = Number((e.target as Element).getAttribute('data-seq'));
    const at = marks.find((m) => m.seq === seq);
    if (!at) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      seekEvent(at.seq);
      return;
    }
    const to = alongStrip(e.key, marks, at);
    if (!to) return;
    e.preventDefault();
    ref.current?.querySelector<SVGElement>(`[data-seq="${to.seq}"]`)?.focus();
  };
  const seekAt = (clientX: number) => {
    const el = ref.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    seekTime(x.invert(((clientX - r.left) / r.width) * WIDTH));
  };
  return (
    <div className="timeline" data-testid="timeline">
      <svg
        ref={ref}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        onPointerDown={(e) => {
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          seekAt(e.clientX);
        }}
        onPointerMove={(e) => dragging.current && seekAt(e.clientX)}
        onPointerUp={() => (dragging.current = false)}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          const seq = e.target.getAttribute('data-seq');
          if (seq !== null && Number(seq) !== stop) setStop(Number(seq));
        }}
        role="group"
        aria-label="Timeline of the run: Tab reaches its marks, the arrow keys move between them, Enter goes there"
      >
        <rect className="recorded" x={0} y={0} width={x(head)} height={HEIGHT} />
        {marks.map((m) => {
          const props: MarkProps = {
            className: `marker marker-${m.kind}`,
            onPointerDown: (e) => {
              e.stopPropagation();
              seekEvent(m.seq);
            },
            children: <title>{m.text}</title>,
            role: 'button',
            tabIndex: m.seq === stopSeq ? 0 : -1,
            'aria-label': m.label,
            'data-seq': m.seq,
          };
          if (SHAPED.has(m.kind)) return <g key={`${m.seq}:${m.kind}`}>{markShape(m.kind, m.x, rowTop(m.row), props)}</g>;
          return <rect key={`${m.seq}:${m.kind}`} x={m.x - 1} {...markBox(m.kind, m.row)} {...props} />;
        })}
        <line className="cursor" x1={x(time)} x2={x(time)} y1={0} y2={HEIGHT} />
      </svg>
      <div className="timeline-labels">
        <span>0</span>
        <span className="legend-inline">
          {LEGEND.map((l) => (
            <span key={l.label} className="legend-item">
              <i className={`marker-${l.kind}`} />
              {l.label}
            </span>
          ))}
          {marks.some((m) => m.kind === 'violation') && (
            <span className="legend-item">
              <i className="marker-violation" />
              safety violated
            </span>
          )}
        </span>
        <span>{fmtTime(end)}</span>
      </div>
    </div>
  );
}
