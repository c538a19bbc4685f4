import { changesRole, type Reason, type ReasonOf } from '../../raft/reasons';
import type { EventHistory } from '../eventStore';
import type { SimEvent } from '../simulation';

/** One decision of the recorded run, with the event it was kept on (its place in its server's order). */
export interface DecisionRef {
  /** Seq of the event the decision followed (see sim/events.ts Decision). */
  readonly seq: number;
  readonly node: string;
  readonly time: number;
  readonly reason: Reason;
  readonly msgId?: number;
}

/**
 * A recorded event log indexed for causal questions: events by seq, decisions in order and per
 * server, deliveries by message id and per receiver, proposals by index and term. The log only
 * grows, so `sync()` indexes what was added since (the page asks again as its run goes on).
 */
export class History {
  readonly decisions: DecisionRef[] = [];
  private readonly base: number;
  /** Seq one past the last event indexed. */
  private indexed: number;
  private readonly byNode = new Map<string, DecisionRef[]>();
  /** Only the reasons an event carries itself (role changes, installed snapshots). */
  private readonly byReason = new Map<Reason, DecisionRef>();
  private readonly proposals = new Map<string, DecisionRef>();
  /** Each server's election wins, oldest first: few, and asked for by every commit and no-op. */
  private readonly wins = new Map<string, DecisionRef[]>();
  private readonly delivered = new Map<number, SimEvent>();
  private readonly toNode = new Map<string, SimEvent[]>();
  private readonly lives = new Map<string, SimEvent[]>();

  constructor(readonly events: EventHistory) {
    this.base = events.start;
    this.indexed = this.base;
    this.sync();
  }

  /** Index the events logged since the last call. */
  sync(): void {
    const events = this.events;
    const end = events.end;
    for (let seq = this.indexed; seq < end; seq++) {
      const e = events.get(seq)!;
      if (e.kind === 'deliver' || e.kind === 'drop') this.delivered.set(e.msgId, e);
      if (e.kind === 'deliver') push(this.toNode, e.node, e);
      if (e.kind === 'crash' || e.kind === 'restart') push(this.lives, e.node, e);
      if (!e.decisions || e.node === undefined) continue;
      for (const d of e.decisions) {
        const r = d.reason;
        const ref: DecisionRef = { seq: e.seq, node: e.node, time: d.time, reason: r, msgId: d.msgId };
        this.decisions.push(ref);
        push(this.byNode, e.node, ref);
        if (changesRole(r) || r.code === 'snapshot-installed') this.byReason.set(r, ref);
        if (r.code === 'election-won') push(this.wins, e.node, ref);
        else if (r.code === 'proposed') {
          const key = `${r.index}:${r.term}`;
          if (!this.proposals.has(key)) this.proposals.set(key, ref);
        }
      }
    }
    this.indexed = end;
  }

  /** `node`'s last election win before `before` (in `term`, if given): its leadership then. */
  lastWin(node: string, before: number, term?: number): (DecisionRef & { reason: ReasonOf<'election-won'> }) | undefined {
    const list = this.wins.get(node) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const d = list[i];
      if (d.seq < before && isCode(d, ['election-won']) && (term === undefined || d.reason.term === term)) return d;
    }
    return undefined;
  }

  /** The first proposal of the entry at `index` with `term` (one leader per term makes it unique). */
  proposal(index: number, term: number): DecisionRef | undefined {
    return this.proposals.get(`${index}:${term}`);
  }

  /** Seq one past the last recorded event. */
  get end(): number {
    return this.indexed;
  }

  event(seq: number): SimEvent | undefined {
    return seq >= this.base && seq < this.indexed ? this.events.get(seq) : undefined;
  }

  /** The delivery (or drop) of a message copy, by its id. */
  delivery(msgId: number): SimEvent | undefined {
    return this.delivered.get(msgId);
  }

  /** Messages delivered to a node, oldest first. */
  deliveriesTo(node: string): readonly SimEvent[] {
    return this.toNode.get(node) ?? [];
  }

  /** Position in deliveriesTo(node) of the first delivery with seq ≥ `seq`. */
  firstDeliveryAt(node: string, seq: number): number {
    const list = this.deliveriesTo(node);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A server's last crash or restart before `before`. */
  lastLife(node: string, before: number): SimEvent | undefined {
    const list = this.lives.get(node) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].seq < before) return list[i];
    return undefined;
  }

  decisionsOf(node: string): readonly DecisionRef[] {
    return this.byNode.get(node) ?? [];
  }

  /** Where a reason (the very value a role or snapshot event carries) was decided. */
  decisionOf(reason: Reason): DecisionRef | undefined {
    return this.byReason.get(reason);
  }

  /** The latest decision of `node` kept on an event before `before` that `match` accepts. */
  lastDecision<C extends Reason['code']>(
    node: string,
    before: number,
    codes: readonly C[],
    match: (r: ReasonOf<C>) => boolean = () => true,
  ): (DecisionRef & { reason: ReasonOf<C> }) | undefined {
    const list = this.decisionsOf(node);
    for (let i = list.length - 1; i >= 0; i--) {
      const d = list[i];
      if (d.seq >= before || !isCode(d, codes)) continue;
      if (match(d.reason)) return d;
    }
    return undefined;
  }

  /** The earliest decision of `node` at or after seq `from` and before `before` that `match` accepts. */
  firstDecision<C extends Reason['code']>(
    node: string,
    from: number,
    before: number,
    codes: readonly C[],
    match: (r: ReasonOf<C>) => boolean = () => true,
  ): (DecisionRef & { reason: ReasonOf<C> }) | undefined {
    for (const d of this.decisionsOf(node)) {
      if (d.seq < from || d.seq >= before || !isCode(d, codes)) continue;
      if (match(d.reason)) return d;
    }
    return undefined;
  }
}

export function isCode<C extends Reason['code']>(d: DecisionRef, codes: readonly C[]): d is DecisionRef & { reason: ReasonOf<C> } {
  return (codes as readonly string[]).includes(d.reason.code);
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
