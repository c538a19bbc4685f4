import type { NetMessage } from '../../src/cluster/types';
import { classify } from '../../src/replay/describe';
import { markOfEvent, marksOfChange } from '../../src/replay/diagram/marks';
import type { DiagramSource } from '../../src/replay/diagram/model';
import type { Arrow, Mark } from '../../src/replay/diagram/types';
import type { SimEvent } from '../../src/replay/simulation';

/**
 * The diagram's arrows and marks as the model built them before it kept them as columns: one
 * object per arrow and per mark, replies paired with a map that never forgets a request. Kept
 * here only as the reference the compact model is held to (test/replay/diagram-compact.test.ts).
 */
export interface ReferenceDiagram {
  arrows: Arrow[];
  routineArrows: Arrow[];
  pending: Arrow[];
  marks: Mark[];
  routineMarks: Mark[];
  calls: Map<number, { call: number; request: Mark; answer: Mark | null }>;
  byPair: Map<string, { arrows: Arrow[]; routine: Arrow[] }>;
}

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

const isHeartbeat = (m: NetMessage) => m.type === 'AppendEntries' && m.entries.length === 0;

/** The whole run of `src` read at once, as the object-per-arrow model did. */
export function referenceDiagram(src: DiagramSource): ReferenceDiagram {
  const out: ReferenceDiagram = { arrows: [], routineArrows: [], pending: [], marks: [], routineMarks: [], calls: new Map(), byPair: new Map() };
  const delivered = new Map<string, Arrow>();
  const callOfSeq = new Map<number, { call: number; request: Mark; answer: Mark | null }>();
  const make = (msg: NetMessage, msgId: number, sendId: number, copies: 1 | 2, sentAt: number, endAt: number, end: Arrow['end'], seq: number, reason: Arrow['reason']): Arrow => {
    const key = replyKey(msg);
    const request = key === null ? undefined : delivered.get(key);
    const replyTo = request && request.endAt <= sentAt ? request : null;
    const routine = isHeartbeat(msg) || (msg.type === 'AppendEntriesResp' && msg.success && (replyTo ? isHeartbeat(replyTo.msg) : true));
    return { msgId, sendId, duplicate: copies === 2, from: msg.from, to: msg.to, sentAt, endAt, end, seq, reason, cls: classify(msg), routine, replyTo: replyTo ? replyTo.msgId : null, msg };
  };
  const addEvent = (e: SimEvent, frame: number) => {
    if (e.kind === 'deliver' || e.kind === 'drop') {
      const a = make(e.msg, e.msgId, e.sendId, e.copies, e.sentAt, e.time, e.kind === 'deliver' ? 'delivered' : 'dropped', e.seq, e.kind === 'drop' ? e.reason : null);
      if (e.kind === 'deliver') {
        const key = requestKey(e.msg);
        if (key !== null) delivered.set(key, a);
      }
      (a.routine ? out.routineArrows : out.arrows).push(a);
      const pk = `${a.from}>${a.to}`;
      let pair = out.byPair.get(pk);
      if (!pair) out.byPair.set(pk, (pair = { arrows: [], routine: [] }));
      (a.routine ? pair.routine : pair.arrows).push(a);
      return;
    }
    const m = markOfEvent(e, frame);
    if (!m) return;
    (m.routine ? out.routineMarks : out.marks).push(m);
    if (m.detail.kind === 'client') {
      const info = { call: m.detail.call, request: m, answer: null };
      out.calls.set(info.call, info);
      callOfSeq.set(e.seq, info);
    }
  };
  const { frames, events, answers } = src;
  const loaded = new Set<string>();
  let answersRead = 0;
  for (let f = 0; f < frames.length; f++) {
    const frame = frames.get(f);
    const prev = f > 0 ? frames.get(f - 1) : undefined;
    loaded.clear();
    for (let seq = Math.max(prev ? prev.seqEnd : 0, events.start); seq < frame.seqEnd; seq++) {
      const e = events.get(seq);
      if (!e) continue;
      if (e.kind === 'snapshot' && e.action !== 'compact') loaded.add(e.node);
      addEvent(e, f);
    }
    while (answersRead < answers.length && answers[answersRead].frame <= f) {
      const r = answers[answersRead++];
      const info = callOfSeq.get(r.clientSeq);
      if (!info) continue;
      const a = r.answer;
      const m: Mark = {
        id: `answer@${f}:${info.call}`,
        seq: null,
        frame: f,
        time: r.time,
        lane: info.request.lane,
        detail: { kind: 'answer', call: info.call, ok: a.ok, index: a.ok && a.index !== undefined ? a.index : null, clientSeq: r.clientSeq },
        routine: false,
      };
      info.answer = m;
      out.marks.push(m);
    }
    if (prev && prev.nodes === frame.nodes) continue;
    frame.nodes.forEach((v, i) => {
      const before = prev?.nodes[i];
      if (before && before !== v && before.id === v.id) out.marks.push(...marksOfChange(before, v, f, frame.time, loaded.has(v.id)));
    });
  }
  out.pending = src.inFlight().map((q) => make(q.msg, q.id, q.sendId, q.copies, q.sentAt, q.deliverAt, 'pending', -1, null));
  return out;
}
