import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Entry } from '../raft/types';
import { logTail, type LogCell, type NodeView } from '../replay/frames';
import { useHighlightedCells } from './tour/highlightCells';
import { frameAt, leaderOf, useFrame } from './hooks';
import { useStore } from '../store/store';
import { WhyButton } from './why/WhyButton';
import { CELL_PX, type StripCell, type StripStyle } from './logCanvas';
import { StripCanvas, useStripStyle } from './StripCanvas';
import { moveFrom } from './logKeys';
import { cellLabel, cellTarget, cellTitle, pickedText, snapLabel, type CellWhy } from './logText';
import './LogStrips.css';

/** The space the node id and the numbers take beside a strip. */
const CHROME_PX = 44 + 8 + 150 + 20;
const MIN_COLUMNS = 24;
const MAX_COLUMNS = 160;

/** As many columns as the strip's width holds: a wide screen shows more of the log. */
function useColumns(): [(el: HTMLElement | null) => void, number] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [columns, setColumns] = useState(36);
  useEffect(() => {
    if (!el) return;
    const fit = () => setColumns(Math.max(MIN_COLUMNS, Math.min(MAX_COLUMNS, Math.floor((el.clientWidth - CHROME_PX) / CELL_PX))));
    fit();
    const obs = new ResizeObserver(fit);
    obs.observe(el);
    return () => obs.disconnect();
  }, [el]);
  return [setEl, columns];
}
const NONE: ReadonlySet<number> = new Set();

interface RowProps {
  view: NodeView;
  from: number;
  to: number;
  /** The leader's view (the same object while it is unchanged), to mark conflicting entries. */
  leader: NodeView | null;
  isLeader: boolean;
  /** Indexes a tour points at on this row. */
  marked: ReadonlySet<number>;
  /** The index of the strip's Tab stop the learner last moved to, if any. */
  stop: number | undefined;
  /** Arrow moves so far: the stop is a new element after each, which a screen reader announces. */
  moves: number;
  style: StripStyle;
  onPick: (node: string, index: number) => void;
}

/**
 * One node's log, aligned by index with the others so differences line up. The cells are drawn
 * on a canvas (StripCanvas); above it, the strip's one Tab stop is an element over the cell it
 * names (role button, its label what a screen reader says), and so is each cell a tour points at.
 * Readable without colour: the term is printed, a no-op is round, a configuration shows ⚙, and an
 * uncommitted entry has a dashed outline; a click shows the command (see LogStrips).
 */
const LogRow = memo(function LogRow({ view, from, to, leader, isLeader, marked, stop, moves, style, onPick }: RowProps) {
  // A log's cells run by index without gaps from its snapshot on: cell i is at i − the first's index.
  const leaderTail = leader && !isLeader ? logTail(leader, to - from + 1) : [];
  const tail = logTail(view, to - from + 1);
  const at = (cells: readonly LogCell[], i: number): LogCell | undefined => {
    const c = cells.length > 0 ? cells[i - cells[0].index] : undefined;
    return c && c.index === i ? c : undefined;
  };
  // An uncommitted entry that disagrees with the leader will be overwritten when the leader reaches it.
  const conflictAt = (i: number, entry: Entry): boolean => {
    const lead = isLeader ? undefined : at(leaderTail, i)?.entry;
    return lead !== undefined && lead.term !== entry.term && i > view.commitIndex;
  };
  // The compacted prefix is one thing now (a copy of the database), so it is drawn as one block.
  const snapCols = Math.min(view.snapshotIndex, to) - from + 1;
  const first = Math.max(from, view.snapshotIndex + 1);
  const drawn: StripCell[] = [];
  for (let i = first; i <= to; i++) {
    const c = at(tail, i);
    drawn.push(c ? { kind: c.entry.kind, term: c.entry.term, committed: i <= view.commitIndex, conflict: conflictAt(i, c.entry) } : null);
  }
  // The Tab stop: where the learner left it while it is drawn, else the newest entry.
  const stopAt = stop !== undefined && stop >= first && at(tail, stop) ? stop : Math.min(to, view.lastIndex);
  const stopCell = stopAt >= first ? at(tail, stopAt) : undefined;
  const x = (i: number) => (i - from) * CELL_PX;
  const entryAt = (col: number) => {
    const i = from + col;
    const c = i >= first && i <= to ? at(tail, i) : undefined;
    return c ? { i, entry: c.entry } : null;
  };
  const commitCol = view.commitIndex - from + 1;
  const appliedCol = view.lastApplied - from + 1;
  return (
    <div
      className={`log-row${view.alive ? '' : ' dead'}`}
      data-testid={`log-${view.id}`}
      data-last={view.lastIndex}
      data-commit={view.commitIndex}
      role="group"
      aria-label={`${view.id}'s log`}
    >
      <span className="log-id">
        {view.id}
        {isLeader && ' ♛'}
      </span>
      <span className="cells" style={{ width: (to - from + 1) * CELL_PX }}>
        <StripCanvas
          cells={drawn}
          col0={first - from}
          columns={to - from + 1}
          style={style}
          describe={(col) => {
            const e = entryAt(col);
            return e ? cellTitle(e.i, e.entry, e.i <= view.commitIndex, conflictAt(e.i, e.entry)) : null;
          }}
          pick={(col) => {
            const e = entryAt(col);
            if (e) onPick(view.id, e.i);
          }}
        />
        {snapCols > 0 && (
          <span
            className="snap-block"
            style={{ width: snapCols * CELL_PX - 2 }}
            title={`Entries 1–${view.snapshotIndex} were compacted into a snapshot of the database (last included term ${view.snapshotTerm})`}
            data-testid={`snap-${view.id}`}
            data-index={view.snapshotIndex}
          >
            {snapLabel(view.snapshotIndex, snapCols)}
          </span>
        )}
        {view.snapshotIndex > 0 && snapCols <= 0 && (
          <span className="snap-edge" title={`snapshot ≤ ${view.snapshotIndex} (before the entries shown)`} data-testid={`snap-${view.id}`} data-index={view.snapshotIndex} />
        )}
        {[...marked].map((i) =>
          i >= first && i <= to && at(tail, i) ? <span key={`mark-${i}`} className="cell-mark tour-mark" style={{ left: x(i) }} aria-hidden="true" /> : null,
        )}
        {stopCell && (
          <span
            // The same element while the stop follows the newest entry (its place and label change).
            key={moves}
            className="cell cell-stop"
            style={{ left: x(stopAt) }}
            data-index={stopAt}
            role="button"
            tabIndex={0}
            aria-label={cellLabel(view.id, stopAt, stopCell.entry, stopAt <= view.commitIndex, conflictAt(stopAt, stopCell.entry))}
            title={cellTitle(stopAt, stopCell.entry, stopAt <= view.commitIndex, conflictAt(stopAt, stopCell.entry))}
          />
        )}
        {commitCol >= 0 && commitCol <= to - from + 1 && <span className="mark commit" style={{ left: x(view.commitIndex + 1) }} title={`commit index ${view.commitIndex}`} />}
        {appliedCol >= 0 && appliedCol <= to - from + 1 && <span className="mark applied" style={{ left: x(view.lastApplied + 1) }} title={`applied index ${view.lastApplied}`} />}
      </span>
      <span className="log-nums">
        c{view.commitIndex} a{view.lastApplied} / {view.lastIndex}
      </span>
    </div>
  );
});

/**
 * Where index `i` sits on the ruler's track: positions are taken from a round origin below the
 * first index shown, so they stay small numbers however long the log.
 */
const TRACK_SPAN = 1024;
const trackX = (from: number, i: number) => (i - (from - (from % TRACK_SPAN))) * CELL_PX;

/**
 * The index ruler, laid out from a pad as wide as the indexes before the first one shown and the
 * whole moved back left by as much (a transform). As the log grows, the pad widens by the tick
 * that left and every other tick keeps its place on the track, instead of every tick moving one
 * place on each new entry.
 */
function Track({ from, children }: { from: number; children: ReactNode }) {
  const pad = trackX(from, from);
  return (
    <span className="cells-track" style={{ transform: `translateX(${-pad}px)` }}>
      <span className="track-pad" style={{ width: pad }} />
      {children}
    </span>
  );
}

/** The node and index of the log cell an event happened on. */
function cellAt(target: EventTarget): { node: string; index: number } | null {
  const cell = target instanceof Element ? target.closest<HTMLElement>('.cell[data-index]') : null;
  const node = cell?.closest<HTMLElement>('.log-row')?.dataset.testid?.slice('log-'.length);
  return cell && node ? { node, index: Number(cell.dataset.index) } : null;
}

/** Per-node log strips: one cell per entry with its term, commit and applied marks, snapshot boundary. */
export function LogStrips() {
  const [ref, COLUMNS] = useColumns();
  const f = useFrame();
  const marks = useHighlightedCells(f?.frame ?? null);
  // The cell as it was when picked: "Why?" still answers for it after time moved to before it existed.
  const [picked, setPicked] = useState<{ node: string; index: number; asPicked: CellWhy | null } | null>(null);
  const [stops, setStops] = useState<Readonly<Record<string, number>>>({});
  const [moves, setMoves] = useState(0);
  const style = useStripStyle();
  // A click on a canvas picks through a callback that stays the same, so the rows stay memoised:
  // it reads the moment on screen from the store.
  const onPick = useCallback((node: string, index: number) => {
    const now = frameAt(useStore.getState().frame);
    setPicked({ node, index, asPicked: now ? cellTarget(now, node, index) : null });
  }, []);
  // The arrows move the Tab stop, a new element: it takes the focus once it is drawn.
  const focusNext = useRef<{ node: string; index: number } | null>(null);
  useLayoutEffect(() => {
    const next = focusNext.current;
    if (!next) return;
    focusNext.current = null;
    document.querySelector<HTMLElement>(`[data-testid="log-${next.node}"] .cell-stop[data-index="${next.index}"]`)?.focus();
  });
  if (!f) return null;
  const { frame } = f;
  const pick = (at: { node: string; index: number } | null) => setPicked(at ? { ...at, asPicked: cellTarget(frame, at.node, at.index) } : null);
  const last = Math.max(1, ...frame.nodes.map((n) => n.lastIndex));
  const from = Math.max(1, last - COLUMNS + 1);
  const to = from + COLUMNS - 1;
  const leaderId = leaderOf(frame);
  const leader = frame.nodes.find((n) => n.id === leaderId) ?? null;
  return (
    <section
      className="log-strips"
      data-testid="log-strips"
      data-from={from}
      ref={ref}
      onClick={(e) => pick(cellAt(e.target))}
      onFocus={(e) => {
        const at = cellAt(e.target);
        if (at && stops[at.node] !== at.index) setStops({ ...stops, [at.node]: at.index });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          const at = cellAt(e.target);
          if (!at) return;
          e.preventDefault();
          pick(at);
          return;
        }
        const at = cellAt(e.target);
        const next = at ? moveFrom(e.key, at.node, at.index, frame.nodes, from, to) : null;
        if (!next) return;
        e.preventDefault();
        if (next.node === at?.node && next.index === at.index) return;
        focusNext.current = next;
        setStops({ ...stops, [next.node]: next.index });
        setMoves(moves + 1);
      }}
    >
      <div className="log-header">
        <span className="log-id">log</span>
        <span className="cells index-ruler" style={{ width: COLUMNS * CELL_PX }}>
          {/* Keyed by index on a track, so a log that grows by one adds one tick and moves the ruler. */}
          <Track from={from}>
            {Array.from({ length: COLUMNS }, (_, k) => (
              <span key={from + k} className="tick">
                {(from + k) % 5 === 0 ? from + k : ''}
              </span>
            ))}
          </Track>
        </span>
        <span className="log-nums">
          <i className="mark-key commit" /> commit <i className="mark-key applied" /> applied
        </span>
      </div>
      {frame.nodes.map((n) => (
        <LogRow key={n.id} view={n} from={from} to={to} leader={leader} isLeader={n.id === leaderId} marked={marks.get(n.id) ?? NONE} stop={stops[n.id]} moves={moves} style={style} onPick={onPick} />
      ))}
      {picked && (
        <p className="log-picked" data-testid="log-picked">
          {pickedText(frame, picked.node, picked.index) ?? `${picked.node} #${picked.index}: no longer in this log`}{' '}
          {picked.asPicked && (
            <WhyButton
              label={`Why is entry ${picked.index} in ${picked.node}'s log, and is it committed?`}
              target={() => cellTarget(frame, picked.node, picked.index) ?? picked.asPicked}
              testId="log-why"
            />
          )}
        </p>
      )}
    </section>
  );
}
