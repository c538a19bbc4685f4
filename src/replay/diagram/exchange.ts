import type { NetMessage } from '../../cluster/types';
import type { ArrowStore } from './arrowStore';
import type { DiagramModel } from './model';
import type { Arrow, Mark } from './types';

/** The messages and marks of one client request's exchange, by Arrow.msgId and Mark.id. */
export interface Exchange {
  readonly messages: ReadonlySet<number>;
  readonly events: ReadonlySet<number | string>;
}

function coversIndex(k: Mark, index: number): boolean {
  const d = k.detail;
  return (d.kind === 'append' || d.kind === 'commit' || d.kind === 'apply') && d.from <= index && index <= d.to;
}

/** What `exchangeOf` reads of an arrow: the few numbers of its message that say what it carried. */
interface Carried {
  readonly msgId: number;
  readonly to: string;
  readonly sentAt: number;
  readonly delivered: boolean;
  readonly replyTo: number | null;
  readonly type: NetMessage['type'];
  /** A client message's call id. */
  readonly call: number;
  readonly prevLogIndex: number;
  readonly entries: number;
  readonly leaderCommit: number;
}

function carriedOfStore(l: ArrowStore, p: number): Carried {
  const type = l.type(p);
  const ae = type === 'AppendEntries';
  return {
    msgId: l.msgId(p),
    to: l.to(p),
    sentAt: l.sentAt(p),
    delivered: l.end(p) === 'delivered',
    replyTo: l.replyTo(p),
    type,
    call: type === 'ClientRequest' || type === 'ClientResponse' ? l.x(p) : -1,
    prevLogIndex: ae ? l.prevLogIndex(p) : 0,
    entries: ae ? l.entries(p) : 0,
    leaderCommit: ae ? l.x(p) : 0,
  };
}

function carriedOfArrow(a: Arrow): Carried {
  const m = a.msg;
  const ae = m.type === 'AppendEntries';
  return {
    msgId: a.msgId,
    to: a.to,
    sentAt: a.sentAt,
    delivered: a.end === 'delivered',
    replyTo: a.replyTo,
    type: m.type,
    call: m.type === 'ClientRequest' || m.type === 'ClientResponse' ? m.id : -1,
    prevLogIndex: ae ? m.prevLogIndex : 0,
    entries: ae ? m.entries.length : 0,
    leaderCommit: ae ? m.leaderCommit : 0,
  };
}

/**
 * What a client request set going: its forward to the leader and the reply; and, once the answer
 * says at which log index it committed, every AppendEntries that carried that index and the acks
 * of those, then for each follower the first AppendEntries that told it the index was committed
 * (often a heartbeat) — with the appends, commit-index advances and applies that covered the index
 * on every server (the first of each kind per server). Null for a call the run does not know.
 */
export function exchangeOf(model: DiagramModel, call: number): Exchange | null {
  const info = model.calls.get(call);
  if (!info) return null;
  const t0 = info.request.time;
  const t1 = info.answer ? info.answer.time : Infinity;
  const index = info.answer?.detail.kind === 'answer' ? info.answer.detail.index : null;
  const messages = new Set<number>();
  const events = new Set<number | string>([info.request.id]);
  if (info.answer) events.add(info.answer.id);
  const toldCommit = new Set<string>();
  const consider = (a: Carried) => {
    if (a.sentAt < t0) return;
    const carries = index !== null && a.type === 'AppendEntries' && a.prevLogIndex < index && index <= a.prevLogIndex + a.entries;
    if ((a.type === 'ClientRequest' || a.type === 'ClientResponse') && a.call === call) messages.add(a.msgId);
    else if (index === null) return;
    else if (a.sentAt <= t1 && carries) messages.add(a.msgId);
    else if (a.replyTo !== null && messages.has(a.replyTo) && a.type === 'AppendEntriesResp') messages.add(a.msgId);
    else if (a.type === 'AppendEntries' && a.leaderCommit >= index && a.delivered && !toldCommit.has(a.to)) {
      toldCommit.add(a.to);
      messages.add(a.msgId);
    }
  };
  // In end order a reply always comes after its request, so one pass finds the acks too; the
  // heartbeats that carry the commit are in the routine list, merged here by end time.
  mergeByEnd(model.arrows, model.routineArrows, t0, (l, p) => consider(carriedOfStore(l, p)));
  for (const a of model.pending) consider(carriedOfArrow(a));
  if (index !== null) {
    const seen = new Set<string>();
    const marks = model.marks.cursor();
    for (let p = 0; p < model.marks.length; p++) {
      if (model.marks.time(p) < t0) continue;
      const k = marks.moveTo(p);
      if (!coversIndex(k, index)) continue;
      const key = `${k.detail.kind}:${k.lane}`;
      if (seen.has(key)) continue;
      seen.add(key);
      events.add(k.id);
    }
  }
  return { messages, events };
}

/** Visit two lists sorted by end time as one (by position), from the first arrow ending at or after `t0`. */
function mergeByEnd(a: ArrowStore, b: ArrowStore, t0: number, visit: (l: ArrowStore, p: number) => void): void {
  let i = firstEndingAt(a, t0);
  let j = firstEndingAt(b, t0);
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a.endAt(i) <= b.endAt(j))) visit(a, i++);
    else visit(b, j++);
  }
}

/** The first position whose arrow ends at or after `t0` (a list is in end order). */
function firstEndingAt(l: ArrowStore, t0: number): number {
  let lo = 0;
  let hi = l.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (l.endAt(mid) < t0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
