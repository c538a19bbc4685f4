import { memo, useEffect, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { EntryData } from '../cluster/types';
import type { Entry } from '../raft/types';
import { logTail, type Frame, type LogCell, type NodeView } from '../replay/frames';
import type { WhyTarget } from '../replay/why';
import { useHighlightedCells } from './tour/highlightCells';
import { leaderOf, useFrame } from './hooks';
import { termColour } from './palette';
import { alongStrip, nearest } from './roving';
import { WhyButton } from './why/WhyButton';
import './LogStrips.css';

/** Cell pitch (the --cell CSS variable) and the space the node id and the numbers take. */
const CELL_PX = 14;
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

function entryText(e: Entry): string {
  if (e.kind === 'noop') return 'no-op (new leader commits its term)';
  if (e.kind === 'config') return `configuration: voters ${e.config?.voters.join(', ') ?? '?'}${e.config?.learners.length ? `; learners ${e.config.learners.join(', ')}` : ''}`;
  const d = e.data as EntryData;
  const sql = d.statements.map((s) => s.sql).join('; ');
  return d.op === 'query' ? `strong read: ${sql}` : sql;
}

/** As much of "snapshot ≤ i" as fits in the block (9px text is about 5.6px a character). */
function snapLabel(index: number, cols: number): string {
  const full = `snapshot ≤ ${index}`;
  const short = `≤${index}`;
  const fits = (t: string) => t.length * 5.6 + 6 <= cols * 14;
  return fits(full) ? full : fits(short) ? short : '';
}

/** What a screen reader says for a cell: "n2 log index 7, term 3, committed: INSERT …". */
function cellLabel(node: string, index: number, entry: Entry, committed: boolean, conflict: boolean): string {
  const what = entryText(entry);
  return `${node} log index ${index}, term ${entry.term}, ${committed ? 'committed' : 'not committed'}${conflict ? ', conflicts with the leader' : ''}: ${what.length > 120 ? `${what.slice(0, 119)}…` : what}`;
}

interface CellProps {
  node: string;
  /** This cell is its strip's one Tab stop (see roving.ts). */
  tabStop: boolean;
  index: number;
  entry: Entry;
  committed: boolean;
  applied: boolean;
  conflict: boolean;
  marked: boolean;
}

/**
 * One log entry. Memoised on plain props: with 9 nodes taking 50 writes/s, re-rendering every cell
 * of every strip on every frame (and rebuilding their tooltips) cost more than the rest of the page.
 */
const Cell = memo(function Cell({ node, tabStop, index, entry, committed, applied, conflict, marked }: CellProps) {
  // Readable without colour: the term is printed, a no-op is round, a configuration shows ⚙, and an
  // uncommitted entry has a dashed outline; a click shows the command (see LogStrips).
  const cls = `cell${committed ? ' committed' : ' uncommitted'}${applied ? ' applied' : ''}${conflict ? ' conflict' : ''}${entry.kind !== 'command' ? ` meta ${entry.kind}` : ''}${marked ? ' tour-mark' : ''}`;
  return (
    <span
      className={cls}
      style={{ background: termColour(entry.term) }}
      data-index={index}
      role="button"
      tabIndex={tabStop ? 0 : -1}
      aria-label={cellLabel(node, index, entry, committed, conflict)}
      title={`#${index} · term ${entry.term} · ${committed ? 'committed' : 'not committed'}${conflict ? ' · conflicts with the leader: will be truncated' : ''}\n${entryText(entry)}`}
    >
      {entry.kind === 'config' ? '⚙' : entry.term}
    </span>
  );
});

function pickedCell(frame: { nodes: readonly NodeView[] }, node: string, index: number): { view: NodeView; cell: LogCell } | null {
  const view = frame.nodes.find((n) => n.id === node);
  const cell = view ? logTail(view, view.lastIndex).find((c) => c.index === index) : undefined;
  return view && cell ? { view, cell } : null;
}

type CellWhy = WhyTarget & { kind: 'cell' };

/** "Why?" about a cell as the frame on screen shows it. */
function cellTarget(frame: Frame, node: string, index: number): CellWhy | null {
  const p = pickedCell(frame, node, index);
  if (!p) return null;
  return { kind: 'cell', node, index, term: p.cell.entry.term, committed: index <= p.view.commitIndex, before: frame.seqEnd };
}

/** The entry a click picked, said in words (the tooltip needs a mouse; a click works on touch and for a class). */
function pickedText(frame: { nodes: readonly NodeView[] }, node: string, index: number): string | null {
  const p = pickedCell(frame, node, index);
  if (!p) return null;
  const { view, cell } = p;
  return `${node} #${index} · term ${cell.entry.term} · ${index <= view.commitIndex ? 'committed' : 'not committed'}: ${entryText(cell.entry)}`;
}

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
}

/**
 * Where index `i` sits on a strip's track: positions are taken from a round origin below the
 * first index shown, so they stay small numbers however long the log.
 */
const TRACK_SPAN = 1024;
const trackX = (from: number, i: number) => (i - (from - (from % TRACK_SPAN))) * CELL_PX;

/**
 * What a strip draws, laid out from a pad as wide as the indexes before the first one shown and
 * the whole moved back left by as much (a transform). As a log grows, the pad widens by the cell
 * that left and every other cell keeps its place on the track, instead of every cell moving one
 * place on each new entry. Cells stay in the flow: positioned one by one, each would be a paint
 * layer of its own, which cost more than it saved. At 9 nodes and 50 writes/s, CPU per frame
 * 25.1 → 23.5 ms (median of 3, in turns with the build before).
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

/** One node's log, aligned by index with the others so differences line up. */
const LogRow = memo(function LogRow({ view, from, to, leader, isLeader, marked, stop }: RowProps) {
  // A log's cells run by index without gaps from its snapshot on: cell i is at i − the first's index.
  const leaderTail = leader && !isLeader ? logTail(leader, to - from + 1) : [];
  const tail = logTail(view, to - from + 1);
  const at = (cells: readonly LogCell[], i: number): LogCell | undefined => {
    const c = cells.length > 0 ? cells[i - cells[0].index] : undefined;
    return c && c.index === i ? c : undefined;
  };
  const cells = [];
  // The compacted prefix is one thing now (a copy of the database), so it is drawn as one block.
  const snapCols = Math.min(view.snapshotIndex, to) - from + 1;
  if (snapCols > 0) {
    cells.push(
      <span
        key="snap"
        className="snap-block"
        style={{ width: snapCols * CELL_PX - 2 }}
        title={`Entries 1–${view.snapshotIndex} were compacted into a snapshot of the database (last included term ${view.snapshotTerm})`}
        data-testid={`snap-${view.id}`}
        data-index={view.snapshotIndex}
      >
        {snapLabel(view.snapshotIndex, snapCols)}
      </span>,
    );
  }
  const first = Math.max(from, view.snapshotIndex + 1);
  // The Tab stop: where the learner left it while it is drawn, else the newest entry.
  const stopAt = stop !== undefined && stop >= first && at(tail, stop) ? stop : Math.min(to, view.lastIndex);
  for (let i = first; i <= to; i++) {
    const c = at(tail, i);
    if (!c) {
      cells.push(<span key={i} className="cell empty" />);
      continue;
    }
    const lead = at(leaderTail, i)?.entry;
    // An uncommitted entry that disagrees with the leader will be overwritten when the leader reaches it.
    const conflict = !isLeader && lead !== undefined && lead.term !== c.entry.term && i > view.commitIndex;
    cells.push(<Cell key={i} node={view.id} tabStop={i === stopAt} index={i} entry={c.entry} committed={i <= view.commitIndex} applied={i <= view.lastApplied} conflict={conflict} marked={marked.has(i)} />);
  }
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
        <Track from={from}>
          {view.snapshotIndex > 0 && snapCols <= 0 && (
            <span className="snap-edge" style={{ left: trackX(from, from) - 6 }} title={`snapshot ≤ ${view.snapshotIndex} (before the entries shown)`} data-testid={`snap-${view.id}`} data-index={view.snapshotIndex} />
          )}
          {cells}
          {commitCol >= 0 && commitCol <= to - from + 1 && <span className="mark commit" style={{ left: trackX(from, view.commitIndex + 1) }} title={`commit index ${view.commitIndex}`} />}
          {appliedCol >= 0 && appliedCol <= to - from + 1 && <span className="mark applied" style={{ left: trackX(from, view.lastApplied + 1) }} title={`applied index ${view.lastApplied}`} />}
        </Track>
      </span>
      <span className="log-nums">
        c{view.commitIndex} a{view.lastApplied} / {view.lastIndex}
      </span>
    </div>
  );
});

/** The node and index of the log cell an event happened on. */
function cellAt(target: EventTarget): { node: string; index: number } | null {
  const cell = target instanceof Element ? target.closest<HTMLElement>('.cell[data-index]') : null;
  const node = cell?.closest<HTMLElement>('.log-row')?.dataset.testid?.slice('log-'.length);
  return cell && node ? { node, index: Number(cell.dataset.index) } : null;
}

const cellsOf = (row: Element | null | undefined) => (row ? [...row.querySelectorAll<HTMLElement>('.cell[data-index]')] : []);

/** The cell an arrow key moves to: along the strip, or the same index (else the nearest) in the strip above or below. */
function moveFrom(e: KeyboardEvent): HTMLElement | null {
  const cell = e.target instanceof HTMLElement && e.target.matches('.cell[data-index]') ? e.target : null;
  const row = cell?.closest('.log-row');
  if (!cell || !row) return null;
  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return alongStrip(e.key, cellsOf(row), cell);
  const rows = [...row.parentElement!.querySelectorAll('.log-row')];
  // Past a strip with no entries in view, to the next that has some.
  for (let i = rows.indexOf(row) + (e.key === 'ArrowUp' ? -1 : 1); i >= 0 && i < rows.length; i += e.key === 'ArrowUp' ? -1 : 1) {
    const there = nearest(cellsOf(rows[i]), Number(cell.dataset.index), (c) => Number(c.dataset.index));
    if (there) return there;
  }
  return null;
}

/** Per-node log strips: one cell per entry with its term, commit and applied marks, snapshot boundary. */
export function LogStrips() {
  const [ref, COLUMNS] = useColumns();
  const f = useFrame();
  const marks = useHighlightedCells(f?.frame ?? null);
  // The cell as it was when picked: "Why?" still answers for it after time moved to before it existed.
  const [picked, setPicked] = useState<{ node: string; index: number; asPicked: CellWhy | null } | null>(null);
  const [stops, setStops] = useState<Readonly<Record<string, number>>>({});
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
        const to = moveFrom(e);
        if (!to) return;
        e.preventDefault();
        to.focus();
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
        <LogRow key={n.id} view={n} from={from} to={to} leader={leader} isLeader={n.id === leaderId} marked={marks.get(n.id) ?? NONE} stop={stops[n.id]} />
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
