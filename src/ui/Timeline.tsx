import { useRef } from 'react';
import { scaleLinear } from 'd3-scale';
import type { MarkerKind } from '../store/simulation';
import { getSim, headTime, useStore } from '../store/store';
import { fmtTime } from './format';

const HEIGHT = 34;
const KIND_ROW: Record<MarkerKind, number> = { leader: 0, crash: 1, restart: 1, partition: 1, heal: 1, client: 2, violation: 3 };

/** A broken safety property must not hide among ordinary marks: it spans the whole strip. */
function markBox(kind: MarkerKind, row: number): { y: number; width: number; height: number } {
  if (kind === 'violation') return { y: 0, width: 4, height: HEIGHT };
  return { y: 3 + row * 10, width: kind === 'client' ? 1.5 : 3, height: 8 };
}

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
  seq: number;
}

let cache: { end: number; revision: number; count: number; marks: PlacedMark[] } | null = null;

/** One mark per pixel and row is all the eye can tell apart on a long history; cached across frames. */
function layoutMarks(end: number, revision: number): PlacedMark[] {
  const s = getSim();
  if (!s) return [];
  if (cache && cache.end === end && cache.revision === revision && cache.count === s.markers.length) return cache.marks;
  const x = scaleLinear().domain([0, end]).range([0, WIDTH]);
  const seen = new Set<string>();
  const out: PlacedMark[] = [];
  for (const m of s.markers) {
    const px = Math.round(x(m.time));
    const row = KIND_ROW[m.kind];
    const key = `${px}:${row}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, x: px, row, kind: m.kind, text: `${fmtTime(m.time)} · ${m.text}`, seq: m.seq });
  }
  cache = { end, revision, count: s.markers.length, marks: out };
  return out;
}

/** The whole recorded history: drag to see any moment; markers for elections, faults and requests. */
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
      >
        <rect className="recorded" x={0} y={0} width={x(head)} height={HEIGHT} />
        {marks.map((m) => (
          <rect
            key={m.key}
            className={`marker marker-${m.kind}`}
            x={m.x - 1}
            {...markBox(m.kind, m.row)}
            onPointerDown={(e) => {
              e.stopPropagation();
              seekEvent(m.seq);
            }}
          >
            <title>{m.text}</title>
          </rect>
        ))}
        <line className="cursor" x1={x(time)} x2={x(time)} y1={0} y2={HEIGHT} />
      </svg>
      <div className="timeline-labels">
        <span>0</span>
        <span className="legend-inline">
          <i className="marker-leader" /> leader elected <i className="marker-crash" /> crash / partition <i className="marker-client" /> client request
          {marks.some((m) => m.kind === 'violation') && (
            <>
              {' '}
              <i className="marker-violation" /> safety violated
            </>
          )}
        </span>
        <span>{fmtTime(end)}</span>
      </div>
    </div>
  );
}
