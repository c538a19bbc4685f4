import type { NetMessage } from '../../cluster/types';
import type { InFlight } from '../../sim/events';
import { classify } from '../describe';
import type { SimEvent } from '../simulation';
import type { Arrow } from './types';

type Carrying = Extract<SimEvent, { kind: 'deliver' | 'drop' }>;

/**
 * Which request a reply answers, keyed by what the reply echoes back: an AppendEntries' and an
 * InstallSnapshot's broadcast round, a RequestVote's pre-vote flag, a forwarded request's call id.
 * The latest delivered request under a key wins: a reply is sent after its request arrived.
 */
function requestKey(m: NetMessage): string | null {
  switch (m.type) {
    case 'AppendEntries':
      return `${m.from}>${m.to}:ae:${m.seq}`;
    case 'InstallSnapshot':
      return `${m.from}>${m.to}:is:${m.seq}`;
    case 'RequestVote':
      return `${m.from}>${m.to}:rv:${m.preVote}`;
    case 'ClientRequest':
      return `cr:${m.id}`;
    default:
      return null;
  }
}

function replyKey(m: NetMessage): string | null {
  switch (m.type) {
    case 'AppendEntriesResp':
      return `${m.to}>${m.from}:ae:${m.seq}`;
    case 'InstallSnapshotResp':
      return `${m.to}>${m.from}:is:${m.seq}`;
    case 'RequestVoteResp':
      return `${m.to}>${m.from}:rv:${m.preVote}`;
    case 'ClientResponse':
      return `cr:${m.id}`;
    default:
      return null;
  }
}

function isHeartbeat(m: NetMessage): boolean {
  return m.type === 'AppendEntries' && m.entries.length === 0;
}

/** Turns deliveries, drops and messages still queued into arrows, pairing replies with requests. */
export class ArrowMaker {
  private readonly delivered = new Map<string, Arrow>();
  /** A delivered request's msgId → the one it replaced under its key (to undo it; see `forget`). */
  private readonly displaced = new Map<number, Arrow>();

  /** The arrow of a logged delivery or drop; a delivered request is remembered for its reply. */
  fromEvent(e: Carrying): Arrow {
    const a = this.make(e.msg, e.msgId, e.sendId, e.copies, e.sentAt, e.time, e.kind === 'deliver' ? 'delivered' : 'dropped', e.seq, e.kind === 'drop' ? e.reason : null);
    if (e.kind === 'deliver') {
      const key = requestKey(e.msg);
      if (key !== null) {
        const before = this.delivered.get(key);
        if (before) this.displaced.set(a.msgId, before);
        this.delivered.set(key, a);
      }
    }
    return a;
  }

  /**
   * Undo `fromEvent(a)`: arrows are forgotten newest first (a fork cuts the run's end off), so the
   * request it replaced as the latest under its key is that again.
   */
  forget(a: Arrow): void {
    if (a.end !== 'delivered') return;
    const key = requestKey(a.msg);
    if (key === null || this.delivered.get(key) !== a) return;
    const before = this.displaced.get(a.msgId);
    if (before) {
      this.delivered.set(key, before);
      this.displaced.delete(a.msgId);
    } else this.delivered.delete(key);
  }

  /** A message still in the world's queue: it ends at its due time, its fate not yet logged. */
  fromQueue(q: InFlight<NetMessage>): Arrow {
    return this.make(q.msg, q.id, q.sendId, q.copies, q.sentAt, q.deliverAt, 'pending', -1, null);
  }

  private make(msg: NetMessage, msgId: number, sendId: number, copies: 1 | 2, sentAt: number, endAt: number, end: Arrow['end'], seq: number, reason: Arrow['reason']): Arrow {
    const key = replyKey(msg);
    const request = key === null ? undefined : this.delivered.get(key);
    // A reply is sent after its request arrived; an older request under the same key is not it.
    const replyTo = request && request.endAt <= sentAt ? request : null;
    // An ack is routine when it answers a heartbeat; with its request unknown, by what it says.
    const routine = isHeartbeat(msg) || (msg.type === 'AppendEntriesResp' && msg.success && (replyTo ? isHeartbeat(replyTo.msg) : true));
    return {
      msgId,
      sendId,
      duplicate: copies === 2,
      from: msg.from,
      to: msg.to,
      sentAt,
      endAt,
      end,
      seq,
      reason,
      cls: classify(msg),
      routine,
      replyTo: replyTo ? replyTo.msgId : null,
      msg,
    };
  }
}
