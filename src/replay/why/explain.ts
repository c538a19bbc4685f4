import type { Reason } from '../../raft/reasons';
import type { SimEvent } from '../simulation';
import { explainAnswer } from './answer';
import { Collector } from './collector';
import { entryOrigin, explainDecision } from './decisions';
import { ROLE_CODES, type DecisionRef, type History } from './history';
import { explainViolation } from './violation';
import type { Why, WhyTarget } from './types';

/** "Why?" about anything the page can select: its rule(s), direct causes and causal past. */
export function why(h: History, t: WhyTarget): Why {
  switch (t.kind) {
    case 'event':
      return whyEvent(h, t.seq);
    case 'cell':
      return whyCell(h, t);
    case 'node':
      return whyNode(h, t.node, t.before);
    case 'answer':
      return explainAnswer(h, t);
    case 'violation':
      return explainViolation(h, t);
  }
}

function subjectOf(e: SimEvent): Why['subject'] {
  return { seq: e.seq, time: e.time, node: e.node ?? null };
}

/** A decision the event itself carries (a role or snapshot event), placed where it was taken. */
function carried(h: History, e: SimEvent, reason: Reason): DecisionRef {
  return h.decisionOf(reason, e) ?? { seq: e.seq, node: e.node ?? '', time: e.time, reason };
}

export function whyEvent(h: History, seq: number): Why {
  const e = h.event(seq);
  if (!e) throw new Error(`no event ${seq} in this run`);
  const c = new Collector(h, seq);
  switch (e.kind) {
    case 'role':
    case 'snapshot':
      if (e.reason) explainDecision(c, carried(h, e, e.reason));
      else c.rule({ kind: 'input', seq });
      break;
    case 'deliver': {
      c.cause(e.sentAfter, 'sent-by');
      // A reply is explained first by the decision that made it: the vote, the consistency check.
      const made = replyDecision(h, e);
      if (made) explainDecision(c, made);
      for (const d of e.decisions ?? []) explainDecision(c, decisionRef(h, e, d.reason));
      if (c.rules.length === 0) c.rule({ kind: 'delivery', seq });
      break;
    }
    case 'drop':
      c.cause(e.sentAfter, 'sent-by');
      c.rule({ kind: 'input', seq });
      break;
    case 'config': {
      const applied = h.lastDecision(e.node, seq + 1, ['applied']);
      if (applied) explainDecision(c, applied);
      else c.rule({ kind: 'input', seq });
      break;
    }
    default:
      for (const d of e.decisions ?? []) explainDecision(c, decisionRef(h, e, d.reason));
      if (c.rules.length === 0) c.rule({ kind: 'input', seq });
  }
  return c.finish(subjectOf(e));
}

function decisionRef(h: History, e: SimEvent, reason: Reason): DecisionRef {
  return carried(h, e, reason);
}

/** For a vote or append answer: the decision its sender took when it answered. */
function replyDecision(h: History, e: SimEvent & { kind: 'deliver' }): DecisionRef | undefined {
  const m = e.msg;
  const at = e.sentAfter;
  if (at === undefined || at < 0) return undefined;
  const sent = h.event(at);
  if (!sent) return undefined;
  const pick = (ok: (r: Reason) => boolean) => {
    const list = sent.decisions ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (ok(list[i].reason)) return carried(h, sent, list[i].reason);
    return undefined;
  };
  if (m.type === 'RequestVoteResp')
    return pick((r) => (r.code === 'vote-granted' || r.code === 'vote-refused') && r.candidate === m.to && r.preVote === m.preVote);
  if (m.type === 'AppendEntriesResp')
    return pick((r) => (r.code === 'append-accepted' || r.code === 'append-rejected') && r.leader === m.to && (r.code === 'append-rejected' || r.matchIndex === m.matchIndex));
  return undefined;
}

/** A log cell: how the entry got into this log and, when committed, the commit that covers it. */
function whyCell(h: History, t: WhyTarget & { kind: 'cell' }): Why {
  const c = new Collector(h, t.before);
  if (t.committed) {
    const local = h.lastDecision(t.node, t.before, ['commit-by-quorum', 'commit-by-leader'], (r) => r.from < t.index && r.to >= t.index);
    if (local && local.reason.code === 'commit-by-leader') {
      // The follower learnt it from its leader: the rule that fired is the leader's quorum count.
      const lead = local.reason.leader;
      const quorum = h.lastDecision(lead, t.before, ['commit-by-quorum'], (r) => r.from < t.index && r.to >= t.index);
      if (quorum) explainDecision(c, quorum);
    }
    if (local) explainDecision(c, local);
  }
  const origin = entryOrigin(h, t.node, { index: t.index, term: t.term }, t.before);
  if (origin) explainDecision(c, origin);
  if (c.rules.length === 0) c.rule({ kind: 'input', seq: Math.max(0, t.before - 1) });
  const e = h.event(t.before - 1);
  return c.finish({ seq: null, time: e?.time ?? 0, node: t.node });
}

/** A server's role and term on screen: the last decision that set them. */
function whyNode(h: History, node: string, before: number): Why {
  const c = new Collector(h, before);
  const last = h.lastDecision(node, before, ROLE_CODES);
  // A crash or a restart since then set the role: down, or a follower that starts again.
  const life = h.lastLife(node, before);
  if (life && (!last || life.seq >= last.seq)) {
    c.rule({ kind: 'input', seq: life.seq });
    c.cause(life.seq, 'crash');
  } else if (last) explainDecision(c, last);
  else c.rule({ kind: 'input', seq: 0 });
  const e = h.event(before - 1);
  return c.finish({ seq: null, time: e?.time ?? 0, node });
}
