import type { DiagramModel } from './model';
import type { Arrow, Mark } from './types';

/** The messages and marks of one client request's exchange, by Arrow.msgId and Mark.id. */
export interface Exchange {
  readonly messages: ReadonlySet<number>;
  readonly events: ReadonlySet<number | string>;
}

function carriesIndex(a: Arrow, index: number): boolean {
  const m = a.msg;
  return m.type === 'AppendEntries' && m.prevLogIndex < index && index <= m.prevLogIndex + m.entries.length;
}

function coversIndex(k: Mark, index: number): boolean {
  const d = k.detail;
  return (d.kind === 'append' || d.kind === 'commit' || d.kind === 'apply') && d.from <= index && index <= d.to;
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
  const consider = (a: Arrow) => {
    if (a.sentAt < t0) return;
    const m = a.msg;
    if ((m.type === 'ClientRequest' || m.type === 'ClientResponse') && m.id === call) messages.add(a.msgId);
    else if (index === null) return;
    else if (a.sentAt <= t1 && carriesIndex(a, index)) messages.add(a.msgId);
    else if (a.replyTo !== null && messages.has(a.replyTo) && a.msg.type === 'AppendEntriesResp') messages.add(a.msgId);
    else if (m.type === 'AppendEntries' && m.leaderCommit >= index && a.end === 'delivered' && !toldCommit.has(a.to)) {
      toldCommit.add(a.to);
      messages.add(a.msgId);
    }
  };
  // In end order a reply always comes after its request, so one pass finds the acks too; the
  // heartbeats that carry the commit are in the routine list, merged here by end time.
  mergeByEnd(model.arrows, model.routineArrows, t0, consider);
  for (const a of model.pending) consider(a);
  if (index !== null) {
    const seen = new Set<string>();
    for (const k of model.marks) {
      if (k.time < t0 || !coversIndex(k, index)) continue;
      const key = `${k.detail.kind}:${k.lane}`;
      if (seen.has(key)) continue;
      seen.add(key);
      events.add(k.id);
    }
  }
  return { messages, events };
}

/** Visit two lists sorted by end time as one, from the first arrow ending at or after `t0`. */
function mergeByEnd(a: readonly Arrow[], b: readonly Arrow[], t0: number, visit: (x: Arrow) => void): void {
  let i = a.findIndex((x) => x.endAt >= t0);
  let j = b.findIndex((x) => x.endAt >= t0);
  if (i < 0) i = a.length;
  if (j < 0) j = b.length;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].endAt <= b[j].endAt)) visit(a[i++]);
    else visit(b[j++]);
  }
}
