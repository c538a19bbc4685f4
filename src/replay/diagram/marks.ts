import type { LogCell, NodeView } from '../frames';
import type { SimEvent } from '../simulation';
import type { Mark, MarkDetail } from './types';

// Module functions, not closures made in each call: these run for every event and every changed
// node of every frame the page records.
function eventMark(e: SimEvent, frame: number, lane: string | null, detail: MarkDetail, routine = false): Mark {
  return { id: e.seq, seq: e.seq, frame, time: e.time, lane, detail, routine };
}

function changeMark(frame: number, time: number, lane: string, detail: MarkDetail): Mark {
  return { id: `${detail.kind}@${frame}:${lane}`, seq: null, frame, time, lane, detail, routine: false };
}

/** Every logged event except deliveries and drops (those are arrows) is exactly one mark. */
export function markOfEvent(e: SimEvent, frame: number): Mark | null {
  switch (e.kind) {
    case 'deliver':
    case 'drop':
      return null;
    case 'timeout':
      return eventMark(e, frame, e.node, { kind: 'timeout', timer: e.timer, forced: e.forced === true }, e.timer === 'heartbeat');
    case 'role':
      return eventMark(e, frame, e.node, { kind: 'role', role: e.role, term: e.term });
    case 'snapshot':
      return eventMark(e, frame, e.node, { kind: 'snapshot', action: e.action, index: e.snapshot.index, term: e.snapshot.term });
    case 'crash':
      return eventMark(e, frame, e.node, { kind: 'crash' });
    case 'restart':
      return eventMark(e, frame, e.node, { kind: 'restart' });
    case 'partition':
      return eventMark(e, frame, null, { kind: 'partition', groups: e.groups, isolated: e.isolated ?? null });
    case 'heal':
      return eventMark(e, frame, null, { kind: 'heal' });
    case 'network':
      return eventMark(e, frame, null, { kind: 'network', drop: e.drop, duplicate: e.duplicate });
    case 'config':
      return eventMark(e, frame, e.node, { kind: 'config', changes: e.changes });
    case 'client':
      return eventMark(e, frame, e.node, { kind: 'client', call: e.request.call, op: e.request.op, sql: e.request.sql });
  }
}

/**
 * Whether two cells hold the same entry. Cells are shared by reference between the frames of one
 * recording; a frame rebuilt from a checkpoint (frameStore.ts) holds equal cells of its own, so
 * those are compared by what they hold.
 */
function sameCell(a: LogCell, b: LogCell): boolean {
  if (a === b || a.entry === b.entry) return true;
  const x = a.entry;
  const y = b.entry;
  return a.index === b.index && x.term === y.term && x.kind === y.kind && JSON.stringify([x.data, x.config]) === JSON.stringify([y.data, y.config]);
}

/**
 * The lowest index of `next`'s log that `prev`'s log does not share (the walk stops where the logs
 * agree), or null when nothing is new.
 */
function firstNewIndex(prev: LogCell | null, next: LogCell | null): number | null {
  let a = prev;
  let lowest: number | null = null;
  for (let b = next; b; b = b.prev) {
    while (a && a.index > b.index) a = a.prev;
    if (a && a.index === b.index && sameCell(a, b)) break;
    lowest = b.index;
  }
  return lowest;
}

/**
 * What one server did between two frames that the event log does not record as events: a vote
 * granted, entries appended or cut, its commit index moving, entries applied. `loaded`: a snapshot
 * was installed or reloaded in the same step; that is its own event, and it replaced the log and
 * the applied state wholesale (a compaction only drops a prefix, so appends and applies still count).
 */
export function marksOfChange(prev: NodeView, next: NodeView, frame: number, time: number, loaded: boolean): Mark[] {
  const out: Mark[] = [];
  if (next.votedFor !== null && next.votedFor !== next.id && (next.votedFor !== prev.votedFor || next.term !== prev.term)) {
    out.push(changeMark(frame, time, next.id, { kind: 'vote', for: next.votedFor, term: next.term }));
  }
  if (!loaded && next.log !== prev.log) {
    const first = firstNewIndex(prev.log, next.log);
    const keptTo = first === null ? next.lastIndex : first - 1;
    if (keptTo < prev.lastIndex) out.push(changeMark(frame, time, next.id, { kind: 'truncate', to: keptTo }));
    if (first !== null && first <= next.lastIndex) out.push(changeMark(frame, time, next.id, { kind: 'append', from: first, to: next.lastIndex }));
  }
  if (next.alive && prev.alive && next.commitIndex > prev.commitIndex) out.push(changeMark(frame, time, next.id, { kind: 'commit', from: prev.commitIndex + 1, to: next.commitIndex }));
  if (next.alive && prev.alive && !loaded && next.lastApplied > prev.lastApplied) out.push(changeMark(frame, time, next.id, { kind: 'apply', from: prev.lastApplied + 1, to: next.lastApplied }));
  return out;
}
