import type { LogPoint, Reason, ReasonOf } from '../../raft/reasons';
import type { SimEvent } from '../simulation';
import type { Collector } from './collector';
import type { DecisionRef, History } from './history';

type Of<C extends Reason['code']> = DecisionRef & { reason: ReasonOf<C> };

/**
 * The rule and direct causes of one recorded decision, read from the facts its reason carries and
 * from the events around it: never from a sentence, never from what "should" have happened.
 */
export function explainDecision(c: Collector, d: DecisionRef): void {
  c.rule({ kind: 'decision', decision: d });
  c.cause(d.seq, 'trigger');
  c.lowerFloor(d.time);
  const h = c.h;
  const r = d.reason;
  switch (r.code) {
    case 'election-timeout':
      return lastContact(c, d.node, d.seq, r.lastLeader);
    case 'timeout-now':
      return decisionCause(c, h.lastDecision(r.from, d.seq, ['leader-transfer']), 'transfer');
    case 'prevote-won':
    case 'election-won':
      return election(c, d as Of<'prevote-won' | 'election-won'>);
    case 'became-follower':
      return follower(c, d as Of<'became-follower'>);
    case 'vote-granted':
    case 'vote-refused': {
      c.cause(sentBy(h, d), 'sent-by');
      if (r.code === 'vote-refused' && r.refusal.why === 'already-voted') {
        const v = r.refusal.votedFor;
        decisionCause(c, h.lastDecision(d.node, d.seq + 1, ['vote-granted'], (x) => x.candidate === v && x.term === r.voterTerm && !x.preVote), 'vote');
      }
      // §5.4.1 compares the last entries: show where the voter's own last entry came from.
      if (r.code === 'vote-refused' && r.refusal.why === 'log-behind') decisionCause(c, entryOrigin(h, d.node, r.voterLast, d.seq + 1), 'append');
      return;
    }
    case 'vote-ignored':
      return lastContact(c, d.node, d.seq, r.leader);
    case 'append-accepted': {
      c.cause(sentBy(h, d), 'sent-by');
      const first = r.appended[0];
      if (first) decisionCause(c, proposalOf(h, first, d.seq), 'proposal');
      return;
    }
    case 'append-rejected':
      c.cause(sentBy(h, d), 'sent-by');
      if (r.refusal.why === 'term-mismatch') decisionCause(c, entryOrigin(h, d.node, { index: r.prev.index, term: r.refusal.termThere }, d.seq + 1), 'append');
      return;
    case 'truncated':
      c.cause(sentBy(h, d), 'sent-by');
      if (r.removed[0]) decisionCause(c, entryOrigin(h, d.node, r.removed[0], d.seq), 'append');
      decisionCause(c, proposalOf(h, r.by, d.seq), 'proposal');
      decisionCause(c, h.lastWin(r.leader, d.seq), 'election');
      return;
    case 'proposed':
      return proposal(c, d as Of<'proposed'>);
    case 'commit-by-quorum':
      return quorumCommit(c, d as Of<'commit-by-quorum'>);
    case 'commit-by-leader': {
      c.cause(sentBy(h, d), 'sent-by');
      const sentAfter = sentBy(h, d) ?? d.seq;
      decisionCause(c, h.lastDecision(r.leader, sentAfter + 1, ['commit-by-quorum'], (x) => x.to >= r.to), 'commit');
      return;
    }
    case 'applied':
      return decisionCause(c, h.lastDecision(d.node, d.seq + 1, ['commit-by-quorum', 'commit-by-leader'], (x) => x.to >= r.to), 'commit');
    case 'snapshot-installed':
      c.cause(sentBy(h, d), 'sent-by');
      return;
    case 'snapshot-taken':
      return decisionCause(c, h.lastDecision(d.node, d.seq + 1, ['applied'], (x) => x.to >= r.index), 'commit');
    case 'leader-transfer':
      return;
  }
}

/** Add a decision's event as a cause, and let the past reach back to it. */
function decisionCause(c: Collector, d: DecisionRef | undefined, role: Parameters<Collector['cause']>[1]): void {
  if (!d) return;
  c.cause(d.seq, role, d);
  c.lowerFloor(d.time);
}

/** The event after which the message delivered at `d`'s event was sent. */
function sentBy(h: History, d: DecisionRef): number | undefined {
  const e = h.event(d.seq);
  return e && e.kind === 'deliver' ? e.sentAfter : undefined;
}

function isFromLeader(e: SimEvent, leader: string | null): boolean {
  if (e.kind !== 'deliver') return false;
  const t = e.msg.type;
  return (t === 'AppendEntries' || t === 'InstallSnapshot') && (leader === null || e.msg.from === leader);
}

/** The last word a server had from its leader before `before`: what its election timer counted from. */
function lastContact(c: Collector, node: string, before: number, leader: string | null): void {
  const list = c.h.deliveriesTo(node);
  for (let i = c.h.firstDeliveryAt(node, before) - 1; i >= 0; i--) {
    const e = c.h.event(list.at(i))!;
    if (isFromLeader(e, leader)) {
      c.cause(e.seq, 'last-contact');
      c.lowerFloor(e.time);
      return;
    }
  }
}

/** The decision that put the entry `p` into `node`'s log, latest before `before`. */
export function entryOrigin(h: History, node: string, p: LogPoint, before: number): DecisionRef | undefined {
  return h.lastDecision(node, before, ['proposed', 'append-accepted', 'snapshot-installed'], (x) => {
    if (x.code === 'proposed') return x.index === p.index && x.term === p.term;
    if (x.code === 'snapshot-installed') return x.index >= p.index;
    return x.appended.some((a) => a.index === p.index && a.term === p.term);
  });
}

/** Where the entry `p` was created: the proposal by the leader of its term, before `before`. */
export function proposalOf(h: History, p: LogPoint, before: number): DecisionRef | undefined {
  const d = h.proposal(p.index, p.term);
  return d && d.seq < before ? d : undefined;
}

function election(c: Collector, d: Of<'prevote-won' | 'election-won'>): void {
  const h = c.h;
  const r = d.reason;
  const preVote = r.code === 'prevote-won';
  for (const voter of r.granted) {
    if (voter === d.node) continue;
    const list = h.deliveriesTo(d.node);
    for (let i = h.firstDeliveryAt(d.node, d.seq + 1) - 1; i >= 0; i--) {
      const e = h.event(list.at(i))!;
      if (e.kind !== 'deliver' || e.msg.type !== 'RequestVoteResp') continue;
      if (e.msg.from === voter && e.msg.granted && e.msg.preVote === preVote && e.msg.term === r.term) {
        c.cause(e.seq, 'vote');
        break;
      }
    }
  }
  // What started it: the pre-vote round won (a real election), and the timeout or TimeoutNow before.
  const start = h.lastDecision(d.node, d.seq + 1, ['election-timeout', 'timeout-now']);
  decisionCause(c, start, 'election-start');
  if (!preVote && start) decisionCause(c, h.firstDecision(d.node, start.seq, d.seq + 1, ['prevote-won'], (x) => x.term === r.term), 'election-start');
}

function follower(c: Collector, d: Of<'became-follower'>): void {
  const h = c.h;
  const cause = d.reason.cause;
  switch (cause.why) {
    case 'higher-term':
      c.cause(sentBy(h, d), 'sent-by');
      return;
    case 'leader-of-term':
      c.cause(sentBy(h, d), 'sent-by');
      decisionCause(c, h.lastWin(cause.from, d.seq, d.reason.term), 'election');
      return;
    case 'votes-refused':
    {
      // The refusals of this round: answers in the candidate's term, back to its election timeout.
      const list = h.deliveriesTo(d.node);
      const since = h.lastDecision(d.node, d.seq + 1, ['election-timeout', 'timeout-now'])?.seq ?? 0;
      for (let i = h.firstDeliveryAt(d.node, d.seq + 1) - 1; i >= 0 && list.at(i) >= since; i--) {
        const e = h.event(list.at(i))!;
        if (e.kind !== 'deliver' || e.msg.type !== 'RequestVoteResp') continue;
        if (!e.msg.granted && cause.refused.includes(e.msg.from)) c.cause(e.seq, 'vote');
      }
      return;
    }
    case 'check-quorum':
      for (const v of cause.voters) if (v !== d.node) lastAnswer(c, d, v, cause.heard.includes(v) ? 'heard' : 'last-contact');
      return;
    case 'removed':
      decisionCause(c, h.lastDecision(d.node, d.seq + 1, ['commit-by-quorum']), 'commit');
      return;
  }
}

/** The last answer a leader had from `from` before stepping down. */
function lastAnswer(c: Collector, d: DecisionRef, from: string, role: 'heard' | 'last-contact'): void {
  const list = c.h.deliveriesTo(d.node);
  for (let i = c.h.firstDeliveryAt(d.node, d.seq) - 1; i >= 0; i--) {
    const e = c.h.event(list.at(i))!;
    if (e.kind === 'deliver' && e.msg.from === from) {
      c.cause(e.seq, role);
      return;
    }
  }
}

function proposal(c: Collector, d: Of<'proposed'>): void {
  const h = c.h;
  const e = h.event(d.seq);
  if (d.reason.kind === 'noop') {
    decisionCause(c, h.lastWin(d.node, d.seq + 1, d.reason.term), 'election');
    return;
  }
  if (!e) return;
  if (e.kind === 'client') c.cause(e.seq, 'request');
  else if (e.kind === 'deliver' && e.msg.type === 'ClientRequest') {
    c.cause(e.seq, 'request');
    // The forwarding server's own event: the client's request as it arrived there.
    const origin = e.sentAfter !== undefined ? h.event(e.sentAfter) : undefined;
    if (origin && origin.kind === 'client') c.cause(origin.seq, 'request');
  }
}

/**
 * A commit by counting replicas: for each voter that holds the index, the acknowledgement that told
 * the leader so (the first in its term reporting a match at or past it), and the entry's proposal.
 */
function quorumCommit(c: Collector, d: Of<'commit-by-quorum'>): void {
  const h = c.h;
  const r = d.reason;
  const from = h.lastWin(d.node, d.seq + 1, r.term)?.seq ?? 0;
  const list = h.deliveriesTo(d.node);
  const end = h.firstDeliveryAt(d.node, d.seq + 1);
  for (const m of r.matches) {
    if (m.node === d.node || m.matchIndex < r.to) continue;
    // Back from the commit through this follower's answers that still report the index: the
    // earliest of them is the one that told the leader (match indexes only grow within a term).
    let first: SimEvent | undefined;
    for (let i = end - 1; i >= 0 && list.at(i) >= from; i--) {
      const e = h.event(list.at(i))!;
      if (e.kind !== 'deliver' || e.msg.from !== m.node) continue;
      const msg = e.msg;
      if (msg.type === 'AppendEntriesResp' && msg.term === r.term && msg.success) {
        if (msg.matchIndex < r.to) break;
        first = e;
      } else if (msg.type === 'InstallSnapshotResp' && msg.term === r.term && msg.done && msg.lastIncludedIndex >= r.to) first = e;
    }
    if (first) c.cause(first.seq, 'ack');
  }
  const proposed = proposalOf(h, { index: r.to, term: r.entryTerm }, d.seq + 1);
  decisionCause(c, proposed, 'proposal');
  if (proposed) proposal(c, proposed as Of<'proposed'>);
}
