import { changesRole, type Reason, type ReasonOf } from '../../raft/reasons';
import type { EventHistory } from '../eventStore';
import type { Decision } from '../../sim/events';
import { DecisionTable, type DecisionRef } from './decisionTable';
import { IdTable } from './idTable';
import { countBelow, keptRows, mapLists, push, type SeqList } from './lists';
import { equalOf, firstOf, isCode, lastOf } from './rowSearch';
import { StepList } from './stepList';
import type { SimEvent } from '../simulation';

export type { DecisionRef };

/** The codes of the decisions that change a server's role (raft/reasons.ts changesRole). */
export const ROLE_CODES = ['election-timeout', 'timeout-now', 'prevote-won', 'election-won', 'became-follower'] as const;

/**
 * A recorded event log indexed for causal questions: decisions in order and per server, deliveries
 * by message id and per receiver, proposals by index and term. The log only grows, so `sync()`
 * indexes what was added since: the page calls it after every step, so a question never waits for
 * the whole log to be read (and an event log that keeps only a window of events in memory is
 * never read back). Deliveries and lives are kept as seqs, read through `events` when asked.
 */
export class History {
  /** Every decision, as rows in the order they were indexed (each server's in seq order). */
  private table = new DecisionTable();
  private readonly base: number;
  /** Seq one past the last event indexed. */
  private indexed: number;
  /** Each server's decisions, as rows of `table`, in seq order. */
  private byNode = new Map<string, StepList>();
  /** Only the reasons an event carries itself (role changes, installed snapshots): kept as objects by the table. */
  private byReason = new Map<Reason, number>();
  private proposals = new Map<string, number>();
  /** Each server's election wins (rows), oldest first: few, and asked for by every commit and no-op. */
  private wins = new Map<string, number[]>();
  /** Message id → seq of its delivery or drop. */
  private delivered = new IdTable();
  /** Each server's deliveries, as seqs in order (about 2 bytes each). */
  private toNode = new Map<string, StepList>();
  private lives = new Map<string, number[]>();
  /**
   * Each server's latest event at the last sync, and how many of its decisions were indexed then: a
   * server's decisions are kept on its latest event, which can gain more in a later step. Two
   * arrays refilled in place, not a Map made anew: `sync` runs after every step, and its Map (and
   * the entries its loop read) were a quarter of all a recorded run allocated (a 9-node run at
   * 10 writes/s, the heap's sampling profile).
   */
  private openEvents: SimEvent[] = [];
  private openCounts: number[] = [];
  /**
   * The latest events of the checkpoint a resumed run has not read back (EventHistory.unreadLatest),
   * and how many of each one's decisions are indexed: one read back later, when a decision came for
   * it, is opened with those, and the decisions it gained since are indexed then.
   */
  private unread = new Map<number, number>();

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
    let n = this.delivered.bytes + this.table.bytes;
    for (const list of this.byNode.values()) n += list.bytes;
    for (const list of this.toNode.values()) n += list.bytes;
    return n;
  }

  /**
   * Every decision in seq order (those of one event in the order taken), made as objects: O(all
   * of them), for a question about the whole run (a safety violation's chain) and for tests.
   */
  allDecisions(): DecisionRef[] {
    const out: DecisionRef[] = [];
    for (let row = 0; row < this.table.length; row++) out.push(this.table.ref(row));
    // Rows are in the order indexed: a decision added to an event after later events were indexed goes back to its seq.
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Empty this index: what it held was given to the index of a run resumed from a checkpoint. */
  private forget(): void {
    this.table = new DecisionTable();
    this.byNode = new Map();
    this.byReason = new Map();
    this.proposals = new Map();
    this.wins = new Map();
    this.delivered = new IdTable();
    this.toNode = new Map();
    this.lives = new Map();
    this.indexed = this.base;
    this.openEvents = [];
    this.openCounts = [];
    this.unread = new Map();
  }

  /** Index the events logged since the last call, and the decisions added since to the events still open. */
  sync(): void {
    const events = this.events;
    const open = this.openEvents;
    for (let k = 0; k < open.length; k++) {
      const list = open[k].decisions;
      if (list) for (let i = this.openCounts[k]; i < list.length; i++) this.addDecision(open[k], list[i]);
    }
    const end = events.end;
    for (let seq = this.indexed; seq < end; seq++) this.addEvent(events.get(seq)!);
    this.indexed = end;
    let n = 0;
    for (const e of events.latest()) if (e.seq >= this.base && e.seq < end && !this.isOpen(e, n)) this.open(e, n++);
    this.openEvents.length = n;
    this.openCounts.length = n;
  }

  /** Whether `e` is among the first `n` open events (a few: one per server). */
  private isOpen(e: SimEvent, n: number): boolean {
    for (let k = 0; k < n; k++) if (this.openEvents[k] === e) return true;
    return false;
  }

  /** Keep `e` open as the `k`th, with the decisions it has now indexed. */
  private open(e: SimEvent, k: number): void {
    const indexed = this.unread.get(e.seq);
    if (indexed !== undefined) {
      this.unread.delete(e.seq);
      const list = e.decisions ?? [];
      for (let i = indexed; i < list.length; i++) this.addDecision(e, list[i]);
    }
    this.openEvents[k] = e;
    this.openCounts[k] = e.decisions?.length ?? 0;
  }

  /**
   * This index cut back to a run resumed from a checkpoint of the run it indexed: only the events
   * before `events.end` (the checkpoint's seq) are kept, and the decisions of the events the
   * resumed run was still deciding on are those its own copies carry. What the resumed run logs
   * from there is indexed by `sync` as usual, without reading its past back.
   *
   * The new index shares the full blocks of this one's decision table and takes its delivery
   * table, cut in place; this one is left empty (the page drops the index of the run it leaves).
   */
  resumedAt(events: EventHistory): History {
    const cut = events.end;
    const h = new History(events, false);
    const reopened = new Map<number, SimEvent>();
    for (const e of events.latest()) if (e.seq >= this.base && e.seq < cut) reopened.set(e.seq, e);
    // Rows with seqs below the cut, but for the reopened events' (indexed again from their copies)
    // and past the decisions an unread one had at the checkpoint: nearly all a prefix of the rows,
    // whose full blocks the cut index shares instead of copying (a fork at minute 30 holds some
    // two million decisions).
    const keep = new Map<number, number>();
    for (const seq of reopened.keys()) keep.set(seq, 0);
    for (const [seq, decided] of events.unreadLatest()) {
      if (seq < this.base || seq >= cut || reopened.has(seq)) continue;
      keep.set(seq, decided);
      h.unread.set(seq, decided);
    }
    const { table, prefix, last, moved } = this.table.filter(cut, keep);
    // A server's rows grow: those before `prefix` stay as they are, those after `last` all go
    // (the run left went on past the fork: reading its future row by row was most of this cut).
    const rows = (list: StepList) => list.cut(countBelow(list, prefix), moved, countBelow(list, last + 1));
    h.table = table;
    h.byNode = mapLists(this.byNode, rows);
    h.byReason = keptRows(this.byReason, moved);
    h.proposals = keptRows(this.proposals, moved);
    h.wins = mapLists(this.wins, (list) => list.map(moved).filter((row) => row >= 0));
    // The delivery table is cut in place and handed over (copied, it cost a fork 25–50 ms at
    // minute 20 of a 9-node run); this index is left empty, as the page drops the run it indexed.
    this.delivered.truncate(cut);
    h.delivered = this.delivered;
    h.toNode = mapLists(this.toNode, (list) => {
      const keep = countBelow(list, cut);
      return list.cut(keep, () => -1, keep);
    });
    h.lives = mapLists(this.lives, (list) => list.slice(0, countBelow(list, cut)));
    this.forget();
    // The copies' decisions, at their place in seq order (as a fresh index of the log would have them).
    for (const e of [...reopened.values()].sort((x, y) => x.seq - y.seq)) for (const d of e.decisions ?? []) h.addDecision(e, d);
    h.indexed = cut;
    for (const e of reopened.values()) h.open(e, h.openEvents.length);
    return h;
  }

  private addEvent(e: SimEvent): void {
    if (e.kind === 'deliver' || e.kind === 'drop') this.delivered.set(e.msgId, e.seq);
    if (e.kind === 'deliver') {
      let list = this.toNode.get(e.node);
      if (!list) this.toNode.set(e.node, (list = new StepList()));
      list.push(e.seq);
    }
    if (e.kind === 'crash' || e.kind === 'restart') push(this.lives, e.node, e.seq);
    for (const d of e.decisions ?? []) this.addDecision(e, d);
  }

  /**
   * Index one decision kept on `e`. One added after `e` was indexed comes after later events'
   * rows; per server it is the last anyway (`e` was that server's latest event).
   */
  private addDecision(e: SimEvent, d: Decision): void {
    if (e.node === undefined) return;
    const r = d.reason;
    const row = this.table.push(e.seq, e.node, d.time, r, d.msgId);
    let list = this.byNode.get(e.node);
    if (!list) this.byNode.set(e.node, (list = new StepList()));
    list.push(row);
    if (byValue(r)) this.byReason.set(r, row);
    if (r.code === 'election-won') push(this.wins, e.node, row);
    else if (r.code === 'proposed') {
      const key = `${r.index}:${r.term}`;
      if (!this.proposals.has(key)) this.proposals.set(key, row);
    }
  }

  /** `node`'s last election win before `before` (in `term`, if given): its leadership then. */
  lastWin(node: string, before: number, term?: number): (DecisionRef & { reason: ReasonOf<'election-won'> }) | undefined {
    const list = this.wins.get(node) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const d = this.table.ref(list[i]);
      if (d.seq < before && isCode(d, ['election-won']) && (term === undefined || d.reason.term === term)) return d;
    }
    return undefined;
  }

  /** The first proposal of the entry at `index` with `term` (one leader per term makes it unique). */
  proposal(index: number, term: number): DecisionRef | undefined {
    const row = this.proposals.get(`${index}:${term}`);
    return row === undefined ? undefined : this.table.ref(row);
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
  deliveriesTo(node: string): SeqList {
    return this.toNode.get(node) ?? NO_ROWS;
  }

  /** Position in deliveriesTo(node) of the first delivery with seq ≥ `seq`. */
  firstDeliveryAt(node: string, seq: number): number {
    return countBelow(this.deliveriesTo(node), seq);
  }

  /** A server's last crash or restart before `before`. */
  lastLife(node: string, before: number): SimEvent | undefined {
    const list = this.lives.get(node) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i] < before) return this.event(list[i]);
    return undefined;
  }

  /** All of a server's decisions in seq order, made as objects: O(its decisions), for tests. */
  decisionsOf(node: string): DecisionRef[] {
    const list = this.byNode.get(node);
    const out: DecisionRef[] = [];
    for (let i = 0; i < (list?.length ?? 0); i++) out.push(this.table.ref(list!.at(i)));
    return out;
  }

  /**
   * Where the reason a role or snapshot event `e` carries was decided. Indexed by the very value;
   * an event read back from dropped history (rebuilt by replay) carries an equal copy instead, found
   * among its server's decisions up to it.
   */
  decisionOf(reason: Reason, e: SimEvent): DecisionRef | undefined {
    const same = this.byReason.get(reason);
    if (same !== undefined) return this.table.ref(same);
    // Only these are indexed by value: any other reason has no place to be found.
    if (!byValue(reason)) return undefined;
    const list = e.node === undefined ? undefined : this.byNode.get(e.node);
    return list && equalOf(this.table, list, e.seq, reason, (r, row) => this.byReason.get(r) === row);
  }

  /** The latest decision of `node` kept on an event before `before` that `match` accepts. */
  lastDecision<C extends Reason['code']>(
    node: string,
    before: number,
    codes: readonly C[],
    match: (r: ReasonOf<C>) => boolean = () => true,
  ): (DecisionRef & { reason: ReasonOf<C> }) | undefined {
    const list = this.byNode.get(node);
    return list && lastOf(this.table, list, before, codes, match);
  }

  /** The earliest decision of `node` at or after seq `from` and before `before` that `match` accepts. */
  firstDecision<C extends Reason['code']>(
    node: string,
    from: number,
    before: number,
    codes: readonly C[],
    match: (r: ReasonOf<C>) => boolean = () => true,
  ): (DecisionRef & { reason: ReasonOf<C> }) | undefined {
    const list = this.byNode.get(node);
    return list && firstOf(this.table, list, from, before, codes, match);
  }
}

/** The reasons an event carries itself (role changes, installed snapshots), indexed by the very value. */
function byValue(r: Reason): boolean {
  return changesRole(r) || r.code === 'snapshot-installed';
}

const NO_ROWS: SeqList = new StepList();
