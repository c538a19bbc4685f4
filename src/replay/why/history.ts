import type { Reason, ReasonOf } from '../../raft/reasons';
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
 * server, deliveries by message id and per receiver. Built in one pass; read only afterwards.
 */
export class History {
  readonly decisions: DecisionRef[] = [];
  private readonly base: number;
  private readonly byNode = new Map<string, DecisionRef[]>();
  private readonly byReason = new Map<Reason, DecisionRef>();
  private readonly delivered = new Map<number, SimEvent>();
  private readonly toNode = new Map<string, SimEvent[]>();
  private readonly lives = new Map<string, SimEvent[]>();

  constructor(readonly log: readonly SimEvent[]) {
    this.base = log.length > 0 ? log[0].seq : 0;
    for (const e of log) {
      if (e.kind === 'deliver' || e.kind === 'drop') this.delivered.set(e.msgId, e);
      if (e.kind === 'deliver') push(this.toNode, e.node, e);
      if (e.kind === 'crash' || e.kind === 'restart') push(this.lives, e.node, e);
      if (!e.decisions || e.node === undefined) continue;
      for (const d of e.decisions) {
        const ref: DecisionRef = { seq: e.seq, node: e.node, time: d.time, reason: d.reason, ...(d.msgId !== undefined ? { msgId: d.msgId } : {}) };
        this.decisions.push(ref);
        push(this.byNode, e.node, ref);
        this.byReason.set(d.reason, ref);
      }
    }
  }

  /** Seq one past the last recorded event. */
  get end(): number {
    return this.base + this.log.length;
  }

  event(seq: number): SimEvent | undefined {
    return this.log[seq - this.base];
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
