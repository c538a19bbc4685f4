import { changesRole, type Reason, type ReasonOf } from '../../raft/reasons';
import type { EventHistory } from '../eventStore';
import type { Decision } from '../../sim/events';
import { IdTable } from './idTable';
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
 * A recorded event log indexed for causal questions: decisions in order and per server, deliveries
 * by message id and per receiver, proposals by index and term. The log only grows, so `sync()`
 * indexes what was added since: the page calls it after every step, so a question never waits for
 * the whole log to be read (and an event log that keeps only a window of events in memory is
 * never read back). Deliveries and lives are kept as seqs, read through `events` when asked.
 */
export class History {
  decisions: DecisionRef[] = [];
  private readonly base: number;
  /** Seq one past the last event indexed. */
  private indexed: number;
  private byNode = new Map<string, DecisionRef[]>();
  /** Only the reasons an event carries itself (role changes, installed snapshots). */
  private byReason = new Map<Reason, DecisionRef>();
  private proposals = new Map<string, DecisionRef>();
  /** Each server's election wins, oldest first: few, and asked for by every commit and no-op. */
  private wins = new Map<string, DecisionRef[]>();
  /** Message id → seq of its delivery or drop. */
  private delivered = new IdTable();
  private toNode = new Map<string, number[]>();
  private lives = new Map<string, number[]>();
  /**
   * Each server's latest event at the last sync, and how many of its decisions were indexed then: a
   * server's decisions are kept on its latest event, which can gain more in a later step.
   */
  private open = new Map<SimEvent, number>();

  /** With `index` false, nothing is read yet (`resumedAt` fills the index itself). */
  constructor(
    readonly events: EventHistory,
    index = true,
  ) {
    this.base = events.start;
    this.indexed = this.base;
    if (index) this.sync();
  }

  /** Bytes the index keeps in typed arrays (outside what the JS heap's own count sees). */
  bufferBytes(): number {
    return this.delivered.bytes;
  }

  /** Index the events logged since the last call, and the decisions added since to the events still open. */
  sync(): void {
    const events = this.events;
    for (const [e, n] of this.open) {
      const list = e.decisions ?? [];
      for (let i = n; i < list.length; i++) this.addDecision(e, list[i], true);
    }
    const end = events.end;
    for (let seq = this.indexed; seq < end; seq++) this.addEvent(events.get(seq)!);
    this.indexed = end;
    this.open = new Map();
    for (const e of events.latest()) if (e.seq >= this.base && e.seq < end) this.open.set(e, e.decisions?.length ?? 0);
  }

  /**
   * This index cut back to a run resumed from a checkpoint of the run it indexed: only the events
   * before `events.end` (the checkpoint's seq) are kept, and the decisions of the events the
   * resumed run was still deciding on are those its own copies carry. What the resumed run logs
   * from there is indexed by `sync` as usual, without reading its past back.
   *
   * The new index takes this one's lists, cut in place, and this one is left empty: copying them
   * (some two million items at minute 30 of a 9-node run, and again when the first push outgrew
   * the copy) cost a fork more than the rest of it. The page drops the index of the run it leaves.
   */
  resumedAt(events: EventHistory): History {
    const cut = events.end;
    const h = new History(events, false);
    const reopened = new Map<number, SimEvent>();
    for (const e of events.latest()) if (e.seq >= this.base && e.seq < cut) reopened.set(e.seq, e);
    const kept = (d: DecisionRef) => d.seq < cut && !reopened.has(d.seq);
    // Every list is in seq order: cut by a binary search, the items past it dropped at once.
    const refs = (list: DecisionRef[]) => cutSorted(list, (d) => d.seq, cut, reopened);
    const seqs = (list: number[]) => cutSorted(list, (q) => q, cut, null);
    refs(this.decisions);
    for (const list of this.byNode.values()) refs(list);
    for (const list of this.wins.values()) refs(list);
    for (const list of this.toNode.values()) seqs(list);
    for (const list of this.lives.values()) seqs(list);
    for (const [k, d] of this.byReason) if (!kept(d)) this.byReason.delete(k);
    for (const [k, d] of this.proposals) if (!kept(d)) this.proposals.delete(k);
    this.delivered.truncate(cut);
    [h.decisions, h.byNode, h.byReason, h.proposals, h.wins, h.delivered, h.toNode, h.lives] = [this.decisions, this.byNode, this.byReason, this.proposals, this.wins, this.delivered, this.toNode, this.lives];
    [this.decisions, this.byNode, this.byReason, this.proposals, this.wins, this.delivered, this.toNode, this.lives] = [[], new Map(), new Map(), new Map(), new Map(), new IdTable(), new Map(), new Map()];
    this.indexed = this.base;
    this.open = new Map();
    // The copies' decisions, at their place in seq order (as a fresh index of the log would have them).
    for (const e of [...reopened.values()].sort((x, y) => x.seq - y.seq)) for (const d of e.decisions ?? []) h.addDecision(e, d, true);
    h.indexed = cut;
    for (const e of reopened.values()) h.open.set(e, e.decisions?.length ?? 0);
    return h;
  }

  private addEvent(e: SimEvent): void {
    if (e.kind === 'deliver' || e.kind === 'drop') this.delivered.set(e.msgId, e.seq);
    if (e.kind === 'deliver') push(this.toNode, e.node, e.seq);
    if (e.kind === 'crash' || e.kind === 'restart') push(this.lives, e.node, e.seq);
    for (const d of e.decisions ?? []) this.addDecision(e, d, false);
  }

  /**
   * Index one decision kept on `e`. A `late` one (added after `e` was indexed) goes in seq order
   * among the others; per server it is the last anyway (`e` was that server's latest event).
   */
  private addDecision(e: SimEvent, d: Decision, late: boolean): void {
    if (e.node === undefined) return;
    const r = d.reason;
    const ref: DecisionRef = { seq: e.seq, node: e.node, time: d.time, reason: r, msgId: d.msgId };
    if (!late) this.decisions.push(ref);
    else {
      let at = this.decisions.length;
      while (at > 0 && this.decisions[at - 1].seq > e.seq) at--;
      this.decisions.splice(at, 0, ref);
    }
    push(this.byNode, e.node, ref);
    if (changesRole(r) || r.code === 'snapshot-installed') this.byReason.set(r, ref);
    if (r.code === 'election-won') push(this.wins, e.node, ref);
    else if (r.code === 'proposed') {
      const key = `${r.index}:${r.term}`;
      if (!this.proposals.has(key)) this.proposals.set(key, ref);
    }
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
    const seq = this.delivered.get(msgId);
    return seq === undefined ? undefined : this.event(seq);
  }

  /** Seqs of the messages delivered to a node, oldest first (`event` reads each). */
  deliveriesTo(node: string): readonly number[] {
    return this.toNode.get(node) ?? [];
  }

  /** Position in deliveriesTo(node) of the first delivery with seq ≥ `seq`. */
  firstDeliveryAt(node: string, seq: number): number {
    const list = this.deliveriesTo(node);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A server's last crash or restart before `before`. */
  lastLife(node: string, before: number): SimEvent | undefined {
    const list = this.lives.get(node) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i] < before) return this.event(list[i]);
    return undefined;
  }

  decisionsOf(node: string): readonly DecisionRef[] {
    return this.byNode.get(node) ?? [];
  }

  /**
   * Where the reason a role or snapshot event `e` carries was decided. Indexed by the very value;
   * an event read back from dropped history (rebuilt by replay) carries an equal copy instead, found
   * among its server's decisions up to it.
   */
  decisionOf(reason: Reason, e: SimEvent): DecisionRef | undefined {
    const same = this.byReason.get(reason);
    if (same || e.node === undefined) return same;
    const text = JSON.stringify(reason);
    const list = this.decisionsOf(e.node);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].seq <= e.seq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const d = list[i];
      if (d.reason.code === reason.code && this.byReason.get(d.reason) === d && JSON.stringify(d.reason) === text) return d;
    }
    return undefined;
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

/**
 * Cut `list` (in seq order) in place to the items with seq below `cut`, without those whose seq is
 * in `drop` (they are at its end: the latest events of each server).
 */
function cutSorted<V>(list: V[], seqOf: (v: V) => number, cut: number, drop: ReadonlyMap<number, unknown> | null): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqOf(list[mid]) < cut) lo = mid + 1;
    else hi = mid;
  }
  list.length = lo;
  if (drop && drop.size > 0) {
    const lowest = Math.min(...drop.keys());
    for (let i = list.length - 1; i >= 0 && seqOf(list[i]) >= lowest; i--) if (drop.has(seqOf(list[i]))) list.splice(i, 1);
  }
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
