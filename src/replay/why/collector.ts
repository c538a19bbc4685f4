import type { DecisionRef, History } from './history';
import type { Cause, CauseRole, Rule, Why } from './types';

/** How many message hops back the causal past follows from each direct cause. */
const HOPS = 6;

/** Roles that say only that an event came first, not what it contributed. */
const GENERIC: ReadonlySet<CauseRole> = new Set(['trigger', 'sent-by']);

/**
 * Gathers an explanation: its rules and direct causes, only ever from before `before` (the event
 * asked about), then the causal past: each cause and, hop by hop, the sender's event each message
 * followed (send → delivery, per-server order), never earlier than `floor` (the exchange's start).
 */
export class Collector {
  readonly rules: Rule[] = [];
  private readonly causes = new Map<number, Cause>();
  floor = Infinity;

  constructor(
    readonly h: History,
    readonly before: number,
  ) {}

  rule(r: Rule): void {
    this.rules.push(r);
  }

  /**
   * An earlier event as a cause; ignored when it is not strictly before the subject. An event named
   * twice keeps its most telling role ("acknowledgement" rather than "triggered by").
   */
  cause(seq: number | undefined, role: CauseRole, decision?: DecisionRef): void {
    if (seq === undefined || seq < 0 || seq >= this.before) return;
    const e = this.h.event(seq);
    if (!e) return;
    const had = this.causes.get(seq);
    // A request that was also where the leader proposed it reads better as that proposal.
    const better = had && ((GENERIC.has(had.role) && !GENERIC.has(role)) || (had.role === 'request' && decision !== undefined && had.decision === undefined));
    if (had && !better) return;
    const msgId = e.kind === 'deliver' || e.kind === 'drop' ? e.msgId : undefined;
    this.causes.set(seq, { seq, time: e.time, node: e.node ?? null, role, ...(msgId !== undefined ? { msgId } : {}), ...(decision ? { decision } : {}) });
  }

  /** Do not follow the past to before this time. */
  lowerFloor(time: number | undefined): void {
    if (time !== undefined) this.floor = Math.min(this.floor, time);
  }

  finish(subject: Why['subject']): Why {
    const causes = [...this.causes.values()].sort((a, b) => a.seq - b.seq);
    const events = new Set<number>();
    const messages = new Set<number>();
    const floor = Number.isFinite(this.floor) ? this.floor : Math.min(subject.time, ...causes.map((c) => c.time));
    for (const r of this.rules) if (r.kind === 'decision' && r.decision.seq < this.before) events.add(r.decision.seq);
    for (const c of causes) this.walk(c.seq, floor, events, messages);
    return { subject, rules: this.rules, causes, past: { events, messages } };
  }

  private walk(start: number, floor: number, events: Set<number>, messages: Set<number>): void {
    let seq = start;
    for (let hop = 0; hop <= HOPS; hop++) {
      const e = this.h.event(seq);
      if (!e || seq >= this.before) return;
      events.add(seq);
      if (e.kind !== 'deliver' && e.kind !== 'drop') return;
      messages.add(e.msgId);
      const from = e.sentAfter ?? -1;
      const sender = this.h.event(from);
      if (!sender || sender.time < floor || events.has(from)) return;
      seq = from;
    }
  }
}
