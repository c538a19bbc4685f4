import type { EntryData } from '../cluster/types';
import type { Entry } from '../raft/types';
import { logTail, type Frame, type LogCell, type NodeView } from '../replay/frames';
import type { WhyTarget } from '../replay/why';

/** What the log strips say in words: a cell's label and tooltip, a picked entry, a snapshot block. */

export function entryText(e: Entry): string {
  if (e.kind === 'noop') return 'no-op (new leader commits its term)';
  if (e.kind === 'config') return `configuration: voters ${e.config?.voters.join(', ') ?? '?'}${e.config?.learners.length ? `; learners ${e.config.learners.join(', ')}` : ''}`;
  const d = e.data as EntryData;
  const sql = d.statements.map((s) => s.sql).join('; ');
  return d.op === 'query' ? `strong read: ${sql}` : sql;
}

/** As much of "snapshot ≤ i" as fits in the block (9px text is about 5.6px a character). */
export function snapLabel(index: number, cols: number): string {
  const full = `snapshot ≤ ${index}`;
  const short = `≤${index}`;
  const fits = (t: string) => t.length * 5.6 + 6 <= cols * 14;
  return fits(full) ? full : fits(short) ? short : '';
}

/** What a screen reader says for a cell: "n2 log index 7, term 3, committed: INSERT …". */
export function cellLabel(node: string, index: number, entry: Entry, committed: boolean, conflict: boolean): string {
  const what = entryText(entry);
  return `${node} log index ${index}, term ${entry.term}, ${committed ? 'committed' : 'not committed'}${conflict ? ', conflicts with the leader' : ''}: ${what.length > 120 ? `${what.slice(0, 119)}…` : what}`;
}

export function pickedCell(frame: { nodes: readonly NodeView[] }, node: string, index: number): { view: NodeView; cell: LogCell } | null {
  const view = frame.nodes.find((n) => n.id === node);
  const cell = view ? logTail(view, view.lastIndex).find((c) => c.index === index) : undefined;
  return view && cell ? { view, cell } : null;
}

export type CellWhy = WhyTarget & { kind: 'cell' };

/** "Why?" about a cell as the frame on screen shows it. */
export function cellTarget(frame: Frame, node: string, index: number): CellWhy | null {
  const p = pickedCell(frame, node, index);
  if (!p) return null;
  return { kind: 'cell', node, index, term: p.cell.entry.term, committed: index <= p.view.commitIndex, before: frame.seqEnd };
}

/** The entry a click picked, said in words (the tooltip needs a mouse; a click works on touch and for a class). */
export function pickedText(frame: { nodes: readonly NodeView[] }, node: string, index: number): string | null {
  const p = pickedCell(frame, node, index);
  if (!p) return null;
  const { view, cell } = p;
  return `${node} #${index} · term ${cell.entry.term} · ${index <= view.commitIndex ? 'committed' : 'not committed'}: ${entryText(cell.entry)}`;
}

/** The tooltip of an entry: its index, term, whether committed, and the command. */
export function cellTitle(index: number, entry: Entry, committed: boolean, conflict: boolean): string {
  return `#${index} · term ${entry.term} · ${committed ? 'committed' : 'not committed'}${conflict ? ' · conflicts with the leader: will be truncated' : ''}\n${entryText(entry)}`;
}
