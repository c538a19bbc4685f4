import {
  memo,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import { scaleLinear } from 'd3-scale';
import type { MarkerKind } from '../replay/simulation';
import { getSim, headTime, useStore } from '../store/store';
import { fmtTime } from './format';
import { usePaced } from './pace';
import { alongStrip } from './roving';
import {
  layoutMarks,
  layoutSpan,
  SHAPED,
  visibleWidth,
  type MarkLayout,
  type PlacedMark,
} from './timelineMarks';
import './Timeline.css';

const HEIGHT = 44;

const rowTop = (row: number) => 3 + row * 10;

/**
 * A bar: a vertical line whose stroke is its width (Timeline.css), so it keeps that width however the
 * strip is stretched, with no transform of its own. Scaled back one by one (as the shapes are), each
 * of a long run's thousand bars was a node of the page's paint properties, walked every frame: 1.4 ms
 * of a 7.5 ms frame with a class session's 20,000 requests on the strip.
 */
function markBar(
  kind: MarkerKind,
  x: number,
  row: number,
): { x1: number; x2: number; y1: number; y2: number } {
  // Centred where the bars, boxes from x - 1 this many thousandths wide, were centred.
  const mid = x - 1 + (kind === 'client' ? 1.5 : 3) / 2;
  return { x1: mid, x2: mid, y1: rowTop(row), y2: rowTop(row) + 8 };
}

/**
 * The shaped marks, centred on x (viewBox units; the strip is stretched sideways, so they are
 * drawn a little narrower than tall): a diamond for a membership change, an open box for a
 * compaction (the log strips' "snapshot ≤ i" block), a downward triangle for a snapshot loaded.
 */
function markShape(kind: MarkerKind, x: number, y: number, props: MarkProps) {
  switch (kind) {
    case 'membership':
      return (
        <polygon points={`${x},${y} ${x + 3.5},${y + 4} ${x},${y + 8} ${x - 3.5},${y + 4}`} {...props} />
      );
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

/** The strip's last layout: the next extends it, or keeps what did not change (layoutMarks). */
let cache: MarkLayout | null = null;

function placeMarks(end: number): MarkLayout {
  cache = layoutMarks(cache, getSim()?.markers ?? null, layoutSpan(end));
  return cache;
}

interface GroupProps {
  marks: readonly PlacedMark[];
  /** The strip's Tab stop when it is in this group, else null. */
  stop: number | null;
  seekEvent(seq: number): void;
}

/**
 * One group of marks; drawn again only when a mark in it changes or the Tab stop moves into or out of
 * it. A mark's element is keyed by its place in the group, not by the marker it shows: when the
 * strip's scale changes (a fork, a minute more played) other markers win their pixels, and keyed by
 * marker every such mark was removed and made anew (about 440 SVG elements and their titles at
 * minute 30 of a 9-node run, most of a fork's React work); by place they are changed in place.
 */
const MarkGroup = memo(function MarkGroup({ marks, stop, seekEvent }: GroupProps) {
  return (
    <>
      {marks.map((m, j) => {
        const props: MarkProps = {
          className: `marker marker-${m.kind}`,
          onPointerDown: (e) => {
            e.stopPropagation();
            seekEvent(m.seq);
          },
          children: <title>{m.text}</title>,
          role: 'button',
          tabIndex: m.seq === stop ? 0 : -1,
          'aria-label': m.label,
          'data-seq': m.seq,
        };
        if (SHAPED.has(m.kind)) return <g key={`${j}:g`}>{markShape(m.kind, m.x, rowTop(m.row), props)}</g>;
        // A broken safety property must not hide among ordinary marks: it spans the whole strip, outlined.
        if (m.kind === 'violation')
          return <rect key={`${j}:v`} x={m.x - 1} y={0} width={4} height={HEIGHT} {...props} />;
        return <line key={j} {...markBar(m.kind, m.x, m.row)} {...props} />;
      })}
    </>
  );
});

/** The whole recorded history: drag to see any moment; markers for elections, faults, membership, snapshots and requests. */
export function Timeline() {
  const time = useStore((s) => s.time);
  const seekTime = useStore((s) => s.seekTime);
  const seekEvent = useStore((s) => s.seekEvent);
  const ref = useRef<SVGSVGElement>(null);
  const dragging = useRef(false);
  const sim = getSim();
  const head = sim ? headTime(sim, time) : 0;
  const end = niceEnd(head);
  const x = scaleLinear().domain([0, end]).range([0, WIDTH]);
  // The marks are placed at most every PACE_MS while playing (pace.ts), like the event list: a
  // class writing 50 times a second added a client mark, and the strip's marks were painted
  // again, in nearly every frame. The cursor and the recorded span above follow every frame.
  const markTime = usePaced((s) => s.time);
  const markRevision = usePaced((s) => s.revision);
  const markEnd = niceEnd(sim ? headTime(sim, markTime) : 0);
  // The run's markers are read when the paced moment moves, not on every frame in between.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const layout = useMemo(() => placeMarks(markEnd), [markEnd, markRevision, markTime]);
  const shown = visibleWidth(markEnd);
  // The one mark Tab stops on (roving.ts): the one last focused while it is drawn, else the latest.
  const [stop, setStop] = useState<number | null>(null);
  const stopSeq = stop !== null && layout.bucketOf.has(stop) ? stop : layout.latest;
  const stopBucket = stopSeq === null ? -1 : (layout.bucketOf.get(stopSeq) ?? -1);
  const onKeyDown = (e: KeyboardEvent) => {
    const marks = layout.buckets.flat();
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
      <div className="timeline-track">
        {/* What moves every frame (the recorded span and the cursor) is drawn apart from the marks, so
            the marks are not painted again each frame. Under the marks the span, over them the cursor.
            Each is drawn once and moved by its layer's transform: changing the shapes themselves made
            the browser lay them out and paint them again every frame. */}
        <svg
          className="timeline-now"
          style={{ transform: `scaleX(${x(head) / WIDTH})` }}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          aria-hidden="true"
        >
          <rect className="recorded" x={0} y={0} width={WIDTH} height={HEIGHT} />
        </svg>
        <svg
          className="timeline-marks"
          ref={ref}
          // The marks are laid out over a span the strip's end moves within (timelineMarks.ts): the
          // strip shows its first `shown` units, and each mark is narrowed back to its own width.
          style={{ '--squeeze': shown / WIDTH } as CSSProperties}
          viewBox={`0 0 ${shown} ${HEIGHT}`}
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
          {layout.buckets.map((b, i) => (
            <MarkGroup key={i} marks={b} stop={i === stopBucket ? stopSeq : null} seekEvent={seekEvent} />
          ))}
        </svg>
        <svg
          className="timeline-now over"
          data-testid="timeline-cursor"
          style={{ transform: `translateX(${(x(time) / WIDTH) * 100}%)` }}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          preserveAspectRatio="none"
          aria-hidden="true"
        >
          <line className="cursor" x1={0} x2={0} y1={0} y2={HEIGHT} />
        </svg>
      </div>
      <div className="timeline-labels">
        <span>0</span>
        <span className="legend-inline">
          {LEGEND.map((l) => (
            <span key={l.label} className="legend-item">
              <i className={`marker-${l.kind}`} />
              {l.label}
            </span>
          ))}
          {layout.violation && (
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
