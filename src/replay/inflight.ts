import type { NetMessage } from '../cluster/types';
import type { EventHistory } from './eventStore';

export interface InFlight {
  readonly seq: number;
  /** The copy's id (the event's msgId): what the diagram and the event list call this message. */
  readonly msgId: number;
  readonly msg: NetMessage;
  /** 0 at the sender, 1 at the receiver. */
  readonly progress: number;
  /** For a lost message: how far through its fall (0..1), or null while it still travels. */
  readonly falling: number | null;
  readonly reason: string | null;
}

/** How long after its would-be arrival a lost message is still drawn falling, in simulated ms. */
export const FALL_MS = 12;
/** Lost messages fall away this far along their link. */
const FALL_AT = 0.55;

/**
 * Messages on the wire at `time`, read back from the log: a delivery or drop event knows when its
 * message was sent, so no live queue is needed and any past moment draws the same way.
 */
export function messagesInFlight(events: EventHistory, time: number, seqEnd: number, maxLatency: number): InFlight[] {
  const out: InFlight[] = [];
  const end = events.end;
  for (let seq = events.firstAtOrAfter(time - FALL_MS); seq < end; seq++) {
    const e = events.get(seq)!;
    if (e.time > time + maxLatency) break;
    if ((e.kind !== 'deliver' && e.kind !== 'drop') || !e.msg || e.sentAt === undefined) continue;
    if (e.sentAt > time) continue;
    const span = Math.max(1, e.time - e.sentAt);
    const pending = e.time > time || (e.time === time && e.seq >= seqEnd);
    if (e.kind === 'deliver') {
      if (!pending) continue;
      out.push({ seq: e.seq, msgId: e.msgId, msg: e.msg, progress: (time - e.sentAt) / span, falling: null, reason: null });
    } else {
      const fallStart = e.sentAt + span * FALL_AT;
      const fallEnd = fallStart + FALL_MS;
      if (time >= fallEnd) continue;
      const p = (time - e.sentAt) / span;
      const falling = time < fallStart ? null : (time - fallStart) / FALL_MS;
      out.push({ seq: e.seq, msgId: e.msgId, msg: e.msg, progress: Math.min(p, FALL_AT), falling, reason: e.reason });
    }
  }
  return out;
}
