import { Collector } from './collector';
import { explainDecision } from './decisions';
import { ROLE_CODES, type DecisionRef, type History } from './history';
import type { Why, WhyTarget } from './types';

/**
 * A refused or failed console answer: the problem the service answered with, the request as it
 * arrived, and the state of the answering server that made it refuse (its role decision, its last
 * word from a leader, its crash, the truncation that overwrote the entry).
 */
export function explainAnswer(h: History, t: WhyTarget & { kind: 'answer' }): Why {
  const c = new Collector(h, t.before);
  c.rule({ kind: 'problem', node: t.node, problem: t.problem });
  const upTo = lastAtOrBefore(h, t.before, t.answeredAt);
  let request: number | undefined;
  for (let s = upTo; s >= 0 && request === undefined; s--) {
    const e = h.event(s);
    if (!e || e.time < t.sentAt) break;
    if (e.kind === 'client' && e.node === t.sentTo && e.time === t.sentAt) request = s;
  }
  c.cause(request, 'request');
  c.lowerFloor(request !== undefined ? h.event(request)?.time : undefined);
  const limit = upTo + 1;
  const p = t.problem;
  switch (p.code) {
    case 'node-down':
    case 'crashed':
    case 'down':
      causeOf(h, c, limit, (e) => e.kind === 'crash' && e.node === p.node, 'crash');
      break;
    case 'stale':
      causeOf(h, c, limit, (e) => e.kind === 'deliver' && e.node === p.node && (e.msg.type === 'AppendEntries' || e.msg.type === 'InstallSnapshot'), 'last-contact');
      break;
    case 'timeout': {
      // What became of it: the leader's proposal (at once, or after a forward), and the last fault before the deadline.
      const d = request !== undefined ? proposalFor(h, request, limit) : undefined;
      if (d) c.cause(d.seq, 'proposal', d);
      causeOf(h, c, limit, (e) => e.kind === 'partition' || e.kind === 'crash' || (e.kind === 'network' && e.drop > 0), 'fault');
      break;
    }
    case 'overwritten': {
      const d = h.lastDecision(t.node, limit, ['truncated']);
      if (d) explainDecision(c, d);
      break;
    }
    default: {
      // Not leader, no leader known, leadership lost, a timeout: the answering server's last change of role.
      const d = h.lastDecision(t.node, limit, ROLE_CODES);
      if (d) explainDecision(c, d);
    }
  }
  const e = h.event(upTo);
  return c.finish({ seq: null, time: e?.time ?? t.answeredAt, node: t.node });
}

/** The proposal a request led to: made while handling it, or on its forward's arrival at the leader. */
function proposalFor(h: History, request: number, before: number): DecisionRef | undefined {
  for (let s = request; s < before; s++) {
    const e = h.event(s);
    if (!e) break;
    const handled = s === request || (e.kind === 'deliver' && e.msg.type === 'ClientRequest' && e.sentAfter === request);
    const d = handled ? e.decisions?.find((x) => x.reason.code === 'proposed') : undefined;
    if (d && e.node !== undefined) return { seq: e.seq, node: e.node, time: d.time, reason: d.reason, msgId: d.msgId };
  }
  return undefined;
}

/** The last event seq before `before` at or before `time`. */
function lastAtOrBefore(h: History, before: number, time: number): number {
  let s = Math.min(before, h.end) - 1;
  while (s >= 0 && (h.event(s)?.time ?? 0) > time) s--;
  return s;
}

function causeOf(h: History, c: Collector, before: number, match: (e: NonNullable<ReturnType<History['event']>>) => boolean, role: 'crash' | 'last-contact' | 'fault'): void {
  for (let s = before - 1; s >= 0; s--) {
    const e = h.event(s);
    if (!e) break;
    if (match(e)) {
      c.cause(s, role);
      c.lowerFloor(e.time);
      return;
    }
  }
}
