import { memo, useCallback, useMemo, useState } from 'react';
import { describeEvent, eventTone } from '../replay/describe';
import type { SimEvent } from '../replay/simulation';
import { useDiagram } from '../store/diagram';
import { useStore } from '../store/store';
import { useWhy } from '../store/why';
import { WhyButton } from './why/WhyButton';
import { latestRows, notableRows, type RowScan } from './eventRows';
import { fmtTime } from './format';
import { useBoxSize } from './hooks';
import { usePacedFrame } from './pace';

/** Rows drawn before the panel's height is known, and at least. */
const FIRST = 16;
/** A row's height (`.ev`'s intrinsic size): the panel is filled, and a few rows more for a small scroll. */
const ROW_PX = 20;
const SPARE = 4;
/** Rows each press of "Show earlier events" adds (fewer if the run has fewer). */
const EARLIER = 40;

const everyEvent = (): boolean => true;

/** The list's last reading of each run's events (and how many rows it asked for), resumed from while the view moves forward. */
const lastScan = new WeakMap<object, { scan: RowScan; max: number }>();

/**
 * The latest events up to the moment on screen, in words; click one to go there. It draws as many
 * rows as fill its panel and draws more on request: a jump to another moment replaces every row,
 * and each row beyond the newest may need dropped history rebuilt (a replay) to be read, so 80 rows
 * drawn where 10–14 are seen made the list about half of a jump's work.
 */
export function EventList() {
  // Redrawn at most every PACE_MS while playing: rows arrive faster than anyone reads them.
  const f = usePacedFrame();
  const seekEvent = useStore((s) => s.seekEvent);
  const [routine, setRoutine] = useState(false);
  // The panel the list scrolls in is its parent (`.tab-body`): as many rows as fill it, followed as it is resized.
  const [observe, box] = useBoxSize();
  const panel = useCallback((el: HTMLElement | null) => observe(el?.parentElement ?? null), [observe]);
  const fit = box ? Math.max(FIRST, Math.ceil(box.height / ROW_PX) + SPARE) : FIRST;
  const [asked, setAsked] = useState(0);
  const shown = Math.max(fit, asked);
  // A delivery or a loss is a message: hovering its row lights it in the ring and the diagram, and back.
  const hoverMsg = useDiagram((s) => s.hoverMsg);
  const setHoverMsg = useDiagram((s) => s.setHoverMsg);
  // While a "why?" is open its causal past is marked, heartbeats and acks included (acks are causes).
  const past = useWhy((s) => s.diagramHighlight?.events ?? null);
  const direct = useWhy((s) => s.answer?.causes);
  // The causal past's heartbeats and acks, newest first: shown among the notable events.
  const pastRoutine = useMemo(() => (past ? [...past].sort((a, b) => b - a) : []), [past]);
  if (!f) return null;
  const causes = new Set(direct?.map((c) => c.seq));
  const events = f.sim.events;
  const end = Math.min(events.end, f.frame.seqEnd);
  let rows: readonly SimEvent[];
  let more: boolean;
  // One row more than is drawn is read, to know whether there are earlier ones.
  const max = shown + 1;
  if (routine) {
    // Every event: the latest are read from the log, resumed from the last reading of as many rows.
    const last = lastScan.get(events);
    const scan = latestRows(events, end, everyEvent, max, last && last.max === max ? last.scan : null);
    lastScan.set(events, { scan, max });
    more = scan.rows.length > shown;
    rows = more ? scan.rows.slice(0, shown) : scan.rows;
  } else {
    // Only the seqs of the notable events are held for the whole run: the one past the last row
    // says there are earlier ones without reading (perhaps rebuilding) it.
    const seqs = notableRows(f.sim.notable.latestBelow(end, max), pastRoutine, end, max);
    more = seqs.length > shown;
    rows = events.pick(more ? seqs.slice(0, shown) : seqs);
  }
  const currentFrom = f.index > 0 ? f.sim.frames.seqEnd(f.index - 1) : 0;
  return (
    <div className="event-list" data-testid="event-list" ref={panel}>
      <RoutineToggle routine={routine} setRoutine={setRoutine} />
      <ol>
        {rows.map((e) => (
          <EventRow
            key={e.seq}
            e={e}
            current={e.seq >= currentFrom}
            hovered={msgIdOf(e) !== null && msgIdOf(e) === hoverMsg}
            mark={causes.has(e.seq) ? 'cause' : past?.has(e.seq) ? 'past' : null}
            seekEvent={seekEvent}
            setHoverMsg={setHoverMsg}
          />
        ))}
      </ol>
      {more && (
        <button className="ev-earlier" onClick={() => setAsked(shown + EARLIER)} data-testid="events-earlier">
          Show earlier events
        </button>
      )}
    </div>
  );
}

/** Memoised: the list draws every animation frame while playing, and React writes a drawn input's `name` and `type` again each time. */
const RoutineToggle = memo(function RoutineToggle({ routine, setRoutine }: { routine: boolean; setRoutine(on: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={routine} onChange={(e) => setRoutine(e.target.checked)} /> show heartbeats and acks
    </label>
  );
});

interface RowProps {
  e: SimEvent;
  current: boolean;
  hovered: boolean;
  /** A direct cause of the open "why?", or in its causal past. */
  mark: 'cause' | 'past' | null;
  seekEvent(seq: number): void;
  setHoverMsg(id: number | null): void;
}

/**
 * One event in words. Memoised: the list is drawn every animation frame while playing, and a row
 * only changes when it stops being current, is hovered or is marked by a "why?".
 */
const EventRow = memo(function EventRow({ e, current, hovered, mark, seekEvent, setHoverMsg }: RowProps) {
  const text = describeEvent(e);
  const msg = msgIdOf(e);
  return (
    <li
      className={`ev ev-${eventTone(e)}${current ? ' current' : ''}${hovered ? ' hovered' : ''}${mark === 'cause' ? ' ev-cause' : mark === 'past' ? ' ev-past' : ''}`}
      onClick={() => seekEvent(e.seq)}
      onPointerEnter={msg !== null ? () => setHoverMsg(msg) : undefined}
      onPointerLeave={msg !== null ? () => setHoverMsg(null) : undefined}
      data-seq={e.seq}
      data-msg-id={msg ?? undefined}
    >
      <span className="ev-time">{fmtTime(e.time)}</span>
      <span className="ev-text">{text}</span>
      <WhyButton className="ev-why" label={`Why: ${text}`} target={() => ({ kind: 'event', seq: e.seq })} testId="ev-why" />
    </li>
  );
});

function msgIdOf(e: SimEvent): number | null {
  return e.kind === 'deliver' || e.kind === 'drop' ? e.msgId : null;
}
