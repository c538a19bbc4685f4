import type { SimEvent } from '../replay/simulation';

/** Heartbeats, their acks and heartbeat timers: what "show heartbeats and acks" hides, and what a "next event" step skips. */
export function isRoutine(e: SimEvent): boolean {
  if (e.kind === 'timeout' && e.timer === 'heartbeat') return true;
  if (e.kind !== 'deliver') return false;
  const m = e.msg;
  return (m.type === 'AppendEntries' && m.entries.length === 0) || (m.type === 'AppendEntriesResp' && m.success);
}
