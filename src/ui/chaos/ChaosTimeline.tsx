import { scaleLinear } from 'd3-scale';
import type { AppliedFault, ChaosOp } from '../../drive/chaos/types';
import type { ReadLevel } from '../../cluster/types';
import { describeOp } from '../../check/chaos/explain';
import { faultText } from '../../drive/chaos/faults';
import { fmtTime } from '../format';

export const OP_COLOURS: Record<ReadLevel | 'write', string> = {
  write: '#59a14f',
  none: '#f28e2b',
  weak: '#d4a20a',
  strong: '#4e79a7',
  linearizable: '#b07aa1',
};

const WIDTH = 1100;
const LEFT = 64;
const RIGHT = 26;
const FAULT_LANE = 24;
const LANE = 30;
const FADE = 28;
const BAR = 15;
const AXIS = 22;

function colourOf(op: ChaosOp): string {
  return OP_COLOURS[op.req.f === 'read' ? op.req.level : 'write'];
}

function label(op: ChaosOp): string {
  const o = op.outcome;
  if (op.req.f === 'read') return `${op.key}→${o.status === 'ok' ? (o.value ?? 'nil') : '?'}`;
  return `${op.key}=${op.req.value}`;
}

const FAULT_MARK: Record<AppliedFault['kind'], string> = {
  kill: '✕',
  restart: '↻',
  partition: '‖',
  isolate: '◌',
  heal: '∪',
  drop: '↓',
  duplicate: '×2',
  latency: '~',
  remove: '−',
  join: '+',
  transfer: '⇄',
};

export interface TimelineFocus {
  /** Operations the verdict points at (the stuck set, the overwrite), with a word for some. */
  marked: ReadonlySet<number>;
  /** `end`-aligned notes sit left of the bar's end, so two neighbours' notes do not collide. */
  notes: ReadonlyMap<number, { text: string; align: 'start' | 'end' }>;
  /** Operations that take part in the level being looked at; the rest are dimmed. */
  inLevel: (op: ChaosOp) => boolean;
}

/**
 * One lane per client, one bar per operation from its invocation to its answer. An operation whose
 * outcome stayed unknown has no end: its bar runs to where the client gave up and then fades out
 * into "…?", since it may have taken effect at any later moment.
 */
export function ChaosTimeline({ history, faults, clients, end, focus }: { history: readonly ChaosOp[]; faults: readonly AppliedFault[]; clients: number; end: number; focus: TimelineFocus | null }) {
  const start = history.length > 0 ? history[0].call : 0;
  const x = scaleLinear().domain([start, Math.max(end, start + 1)]).range([LEFT, WIDTH - RIGHT]);
  const height = FAULT_LANE + clients * LANE + AXIS;
  const laneY = (c: number) => FAULT_LANE + c * LANE;
  const shown = faults.filter((f) => f.ok && f.at >= start && f.at <= end);
  return (
    <svg className="chaos-timeline" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label="Operations per client over simulated time" data-testid="chaos-timeline">
      <defs>
        <linearGradient id="chaos-open" x1="0" x2="1" y1="0" y2="0">
          <stop offset="0" stopColor="currentColor" stopOpacity="0.55" />
          <stop offset="1" stopColor="currentColor" stopOpacity="0" />
        </linearGradient>
      </defs>
      <text x={4} y={FAULT_LANE - 8} className="lane-label">
        faults
      </text>
      {shown.map((f, i) => (
        <g key={i} className="fault-mark">
          <line x1={x(f.at)} x2={x(f.at)} y1={FAULT_LANE - 4} y2={height - AXIS} />
          <text x={x(f.at)} y={FAULT_LANE - 8} textAnchor="middle">
            {FAULT_MARK[f.kind]}
          </text>
          <title>{`${fmtTime(f.at)}: ${faultText(f)}`}</title>
        </g>
      ))}
      {Array.from({ length: clients }, (_, c) => (
        <g key={c}>
          <line className="lane-rule" x1={LEFT} x2={WIDTH - RIGHT} y1={laneY(c) + LANE / 2} y2={laneY(c) + LANE / 2} />
          <text x={4} y={laneY(c) + LANE / 2 + 4} className="lane-label">
            client {c}
          </text>
        </g>
      ))}
      {history.map((op) => {
        const y = laneY(op.client) + LANE - BAR - 3;
        const x0 = x(op.call);
        const open = op.outcome.status === 'unknown';
        const marked = focus?.marked.has(op.id) ?? false;
        // An instant read (served locally) still needs a visible bar, more so when it is the culprit.
        const x1 = Math.max(x0 + (marked ? 7 : 3), x(open ? (op.gaveUpAt ?? op.call) : op.return));
        const note = focus?.notes.get(op.id);
        // Near the left edge an end-aligned note would run over the lane's name (9px text ≈ 5px a letter).
        const noteAlign = note && note.align === 'end' && x1 - note.text.length * 5 < LEFT ? 'start' : note?.align;
        const dim = focus !== null && !marked && !focus.inLevel(op);
        const failed = op.outcome.status === 'fail';
        const cls = ['op', marked ? 'marked' : '', dim ? 'dim' : '', failed ? 'failed' : '', open ? 'open' : ''].filter(Boolean).join(' ');
        return (
          <g key={op.id} className={cls} data-op={op.id} data-marked={marked || undefined} style={{ color: colourOf(op) }}>
            {open && (
              <>
                <rect x={x1} y={y} width={FADE} height={BAR} fill="url(#chaos-open)" />
                <text x={x1 + FADE} y={y + BAR - 4} className="open-end">
                  …?
                </text>
              </>
            )}
            {note && (
              <text x={noteAlign === 'start' ? x0 : x1} y={y - 2} textAnchor={noteAlign} className="note">
                {note.text}
              </text>
            )}
            <rect x={x0} y={y} width={x1 - x0} height={BAR} rx={3} fill="currentColor" />
            {x1 - x0 > 34 && (
              <text x={x0 + 4} y={y + BAR - 4} className="op-label">
                {label(op)}
              </text>
            )}
            <title>{`${describeOp(op)}\nsent to ${op.node}${op.servedBy && op.servedBy !== op.node ? `, answered by ${op.servedBy}` : ''}\n${fmtTime(op.call)} → ${open ? `unknown (gave up at ${fmtTime(op.gaveUpAt ?? op.call)})` : fmtTime(op.return)}`}</title>
          </g>
        );
      })}
      <g className="axis" transform={`translate(0, ${height - AXIS + 4})`}>
        {x.ticks(8).map((t) => (
          <text key={t} x={x(t)} y={12} textAnchor="middle">
            {fmtTime(t)}
          </text>
        ))}
      </g>
    </svg>
  );
}
