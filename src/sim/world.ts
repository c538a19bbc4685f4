import type { Reason } from '../raft/reasons';
import type { Addressed, Decision, DropReason, EventBody, InFlight, LoggedEvent, QueueItem, TimerKind } from './events';
import { Network, type NetworkCheckpoint } from './network';
import { Prng } from './prng';
import { EventQueue } from './queue';

export interface WorldHandler<M extends Addressed> {
  isAlive(id: string): boolean;
  deliver(msg: M): void;
  /** Returns true when the timer really fired (a stale or moved timer is not an event). */
  timer(node: string, timer: TimerKind, incarnation: number): boolean;
  /**
   * A message reached a node that is down. Like a refused connection, the sender can learn of it;
   * Raft ignores it (its messages are retried by timers), a forwarded client request does not.
   */
  undeliverable?(msg: M): void;
}

/** Runs the host work a world holds as data (World.schedule). */
export interface TaskRunner<T> {
  run(task: T): void;
  /** Whether the task has become a no-op (its call was answered): a checkpoint keeps only its place. */
  inert(task: T): boolean;
}

const noop = (): void => {};
const always = (): boolean => true;

/**
 * What `World.checkpoint` keeps: everything a step reads, apart from the handler's own state. `F`:
 * the host tasks as the checkpoint's `freeze` made them.
 */
export interface WorldCheckpoint<M extends Addressed, F = never> {
  readonly now: number;
  readonly prng: readonly number[];
  readonly net: NetworkCheckpoint;
  readonly eventCount: number;
  readonly steps: number;
  readonly seq: number;
  /**
   * Each node's latest event, and how many decisions it carried then. Its seq alone where the run
   * restored from it only remakes later history (a shadow): a send reads the seq, nothing reads the rest.
   */
  readonly lastOf: readonly (readonly [string, LoggedEvent<M> | number, number])[];
  /** The queued deliveries and timers (host work is in `calls` and `tasks`). */
  readonly queue: readonly QueueItem<M>[];
  /**
   * The queued host work that has become inert, as time and seq pairs: a busy run holds one per
   * request waiting out its timeout after it was answered (some 50 at 10 writes/s): 2 numbers each
   * here where an item copied took about 70 bytes.
   */
  readonly calls: readonly number[];
  /** The queued host tasks still to do, frozen. */
  readonly tasks: readonly { readonly time: number; readonly seq: number; readonly task: F }[];
}

/**
 * A server's latest event known by its seq alone (WorldCheckpoint.lastOf); with `decided`, one
 * that can be read back (`readBack`) with the decisions it had then, when a decision comes for it.
 */
interface SeqOnly {
  readonly seq: number;
  readonly decided?: number;
}

function isEvent<M extends Addressed>(e: LoggedEvent<M> | SeqOnly): e is LoggedEvent<M> {
  return 'kind' in e;
}

export function withDecisions<M extends Addressed>(e: LoggedEvent<M>, n: number): LoggedEvent<M> {
  const { decisions, ...rest } = e as LoggedEvent<M> & { decisions?: readonly Decision[] };
  if (decisions === undefined) return { ...e };
  return (n > 0 ? { ...rest, decisions: decisions.slice(0, n) } : rest) as LoggedEvent<M>;
}

/** The deterministic world: virtual clock, seeded PRNG, event queue, network and event log. */
export class World<M extends Addressed, T = never> {
  now = 0;
  readonly prng: Prng;
  readonly net: Network;
  /** Replaced only by `restore`; readers take it afresh from the world, not a copy of the reference. */
  log: LoggedEvent<M>[] = [];
  eventCount = 0;
  /** Queue items processed so far, logged or not: a position that replay can return to exactly. */
  steps = 0;
  /** Older events are discarded past this many, so long headless runs stay bounded in memory. */
  logLimit = Infinity;
  handler!: WorldHandler<M>;
  listener: ((e: LoggedEvent<M>) => void) | null = null;
  /**
   * Reads a logged event back by its seq, as this run keeps it: a server's latest event at the
   * checkpoint a run resumed from is only read when a decision comes for it, which is seldom (a
   * server's next event takes the decisions of its handling); read at the restore, it rebuilt a
   * dropped stretch of the log, most of a fork's cost. Null: such an event is its seq alone.
   */
  readBack: ((seq: number) => LoggedEvent<M>) | null = null;
  /** Runs after every queue item: the invariant monitor hangs here. */
  afterEach: (() => void) | null = null;
  /** Runs host tasks (`schedule`): set by the host that schedules them. */
  tasks: TaskRunner<T> | null = null;
  private queue = new EventQueue<QueueItem<M, T>>();
  private seq = 0;
  /** Each server's latest event that it acted on (not a drop addressed to it): decisions and sends follow it. */
  private lastOf = new Map<string, LoggedEvent<M> | SeqOnly>();
  /** The delivery being handled, so decisions it triggers name its message. */
  private delivering: LoggedEvent<M> | null = null;

  constructor(seed: number) {
    this.prng = new Prng(seed);
    this.net = new Network(this.prng);
  }

  record(body: EventBody<M>): LoggedEvent<M> {
    const e: LoggedEvent<M> = { seq: this.eventCount++, time: this.now, ...body };
    if (e.node !== undefined && e.kind !== 'drop' && e.kind !== 'partition') this.lastOf.set(e.node, e);
    if (this.logLimit > 0) {
      this.log.push(e);
      if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit / 2);
    }
    if (this.listener) this.listener(e);
    return e;
  }

  /**
   * Keep a server's decisions on its latest event (normally the one whose handling took them). The
   * event was already logged; its decisions list is filled during the same step, so it is whole
   * before anything reads the log again.
   */
  decide(node: string, reasons: readonly Reason[]): void {
    let e = this.lastOf.get(node);
    if (e && !isEvent(e) && e.decided !== undefined && this.readBack && reasons.length > 0) {
      e = this.readBack(e.seq);
      this.lastOf.set(node, e);
    }
    if (!e || !isEvent(e) || reasons.length === 0) return;
    const msgId = this.deliveringTo(node);
    const target = e as { decisions?: Decision[] };
    const list = (target.decisions ??= []);
    for (const reason of reasons) list.push(msgId === undefined ? { reason, time: this.now } : { reason, time: this.now, msgId });
  }

  /** Each server's latest event: the only events a later step can still add decisions to. */
  latestEvents(): LoggedEvent<M>[] {
    const out: LoggedEvent<M>[] = [];
    for (const e of this.lastOf.values()) if (isEvent(e)) out.push(e);
    return out;
  }

  /** The id of the message being delivered to `node` right now, if that is what it is handling. */
  deliveringTo(node: string): number | undefined {
    const d = this.delivering;
    return d && d.kind === 'deliver' && d.node === node ? d.msgId : undefined;
  }

  send(msg: M): void {
    const sentAfter = this.lastOf.get(msg.from)?.seq ?? -1;
    const copies = this.net.duplicate() ? 2 : 1;
    const sendId = this.seq;
    for (let i = 0; i < copies; i++) {
      const lost = this.net.lose();
      const cut = !this.net.connected(msg.from, msg.to);
      const time = this.now + this.net.latency();
      const dropReason: DropReason | undefined = cut ? 'partitioned' : undefined;
      this.queue.push({ time, seq: this.seq++, kind: 'deliver', msg, sentAt: this.now, sentAfter, sendId, copies, lost: lost || cut, dropReason });
    }
  }

  scheduleTimer(node: string, timer: TimerKind, time: number, incarnation: number): void {
    this.queue.push({ time: Math.max(time, this.now), seq: this.seq++, kind: 'timer', node, timer, incarnation });
  }

  /** Host-level work at a simulated time (request timeouts, queue flushes); not an event by itself. */
  at(time: number, fn: () => void, inert?: () => boolean): void {
    this.queue.push({ time: Math.max(time, this.now), seq: this.seq++, kind: 'call', fn, ...(inert ? { inert } : {}) });
  }

  /** Host work as data, run at a simulated time by `tasks`; not an event by itself. */
  schedule(time: number, task: T): void {
    this.queue.push({ time: Math.max(time, this.now), seq: this.seq++, kind: 'task', task });
  }

  private inert(it: QueueItem<M, T>): boolean {
    return it.kind === 'call' ? (it.inert?.() ?? false) : it.kind === 'task' && this.tasks!.inert(it.task);
  }

  /**
   * The world's state between two steps, for a later `restore`; null while some queued host work is
   * still live and cannot be copied (a closure, or a task `freeze` refuses). The log is not part of
   * it: a checkpoint records how long it was, and the events themselves are shared with the run it
   * came from.
   */
  checkpoint<F = never>(freeze?: (task: T) => F | null): WorldCheckpoint<M, F> | null {
    const items = this.queue.items();
    const tasks: { time: number; seq: number; task: F }[] = [];
    for (const it of items) {
      if (it.kind === 'deliver' || it.kind === 'timer' || this.inert(it)) continue;
      const task = it.kind === 'task' && freeze ? freeze(it.task) : null;
      if (task === null) return null;
      tasks.push({ time: it.time, seq: it.seq, task });
    }
    const lastOf: [string, LoggedEvent<M> | number, number][] = [];
    for (const [node, e] of this.lastOf) {
      if (!isEvent(e)) {
        lastOf.push([node, e.seq, e.decided ?? 0]);
        continue;
      }
      // These events stay pinned in the run's log, some for good: their lists of decisions, grown by
      // push with room for more, are cut to their length (about 110 bytes each).
      const target = e as { decisions?: Decision[] };
      if (target.decisions) target.decisions = target.decisions.slice();
      lastOf.push([node, e, e.decisions?.length ?? 0]);
    }
    return {
      now: this.now,
      prng: this.prng.getState(),
      net: this.net.checkpoint(),
      eventCount: this.eventCount,
      steps: this.steps,
      seq: this.seq,
      lastOf,
      // Items are copied (a user's drop marks one lost); messages are immutable and shared.
      queue: items.flatMap((it) => (it.kind === 'deliver' || it.kind === 'timer' ? [{ ...it }] : [])),
      calls: items.flatMap((it) => ((it.kind === 'call' || it.kind === 'task') && this.inert(it) ? [it.time, it.seq] : [])),
      tasks,
    };
  }

  /**
   * Put this world in the state `cp` recorded, with `log` as its event log (taken over, not copied:
   * the caller hands a fresh array). An event that a node
   * was still attaching decisions to is copied with the decisions it had then, so the run it came
   * from keeps its own; one given by its seq is read back (`readBack`) when a decision comes for it,
   * the log's keeper making that copy. `thaw` makes the checkpoint's host tasks live again.
   */
  restore<F = never>(cp: WorldCheckpoint<M, F>, log: LoggedEvent<M>[], thaw?: (task: F) => T): void {
    this.now = cp.now;
    this.prng.setState(cp.prng);
    this.net.restore(cp.net);
    this.eventCount = cp.eventCount;
    this.steps = cp.steps;
    this.seq = cp.seq;
    this.log = log;
    const base = this.log.length > 0 ? this.log[0].seq : 0;
    this.lastOf.clear();
    for (const [node, e, decided] of cp.lastOf) {
      if (typeof e === 'number') {
        this.lastOf.set(node, this.readBack ? { seq: e, decided } : { seq: e });
        continue;
      }
      const copy = withDecisions(e, decided);
      const at = e.seq - base;
      if (this.log[at] === e) this.log[at] = copy;
      this.lastOf.set(node, copy);
    }
    this.delivering = null;
    this.queue.clear();
    for (const it of cp.queue) this.queue.push({ ...it });
    // Every host call left was inert (checked when taken), so it stays one: a run resumed from here
    // can take its own checkpoints at once, not only after the last of these calls came due. The
    // queue orders items by time and seq alone, so where they are pushed among the others is no matter.
    for (let i = 0; i < cp.calls.length; i += 2) this.queue.push({ time: cp.calls[i], seq: cp.calls[i + 1], kind: 'call', fn: noop, inert: always });
    for (const { time, seq, task } of cp.tasks) this.queue.push({ time, seq, kind: 'task', task: thaw!(task) });
  }

  /** Messages sent and not yet delivered or dropped. */
  inFlight(): InFlight<M>[] {
    const out: InFlight<M>[] = [];
    for (const it of this.queue.items()) {
      if (it.kind === 'deliver') out.push({ id: it.seq, msg: it.msg, sentAt: it.sentAt, deliverAt: it.time, sendId: it.sendId, copies: it.copies });
    }
    return out.sort((a, b) => a.deliverAt - b.deliverAt || a.id - b.id);
  }

  /** Make a message in flight get lost (a user clicked it away); false if it is already gone. */
  dropInFlight(id: number, reason: DropReason = 'dropped by the user'): boolean {
    for (const it of this.queue.items()) {
      if (it.kind === 'deliver' && it.seq === id) {
        it.lost = true;
        it.dropReason = reason;
        return true;
      }
    }
    return false;
  }

  nextTime(): number {
    return this.queue.peek()?.time ?? Infinity;
  }

  /** Process one queue item; returns false when the queue is empty. */
  stepOne(): boolean {
    const item = this.queue.pop();
    if (!item) return false;
    this.now = item.time;
    this.steps++;
    switch (item.kind) {
      case 'deliver': {
        const { msg, sentAt, sentAfter, sendId, copies } = item;
        let reason: DropReason | null = null;
        if (item.lost) reason = item.dropReason ?? 'lost';
        else if (!this.net.connected(msg.from, msg.to)) reason = 'partitioned';
        else if (!this.handler.isAlive(msg.to)) reason = 'receiver down';
        if (reason !== null) {
          this.record({ kind: 'drop', node: msg.to, msg, sentAt, sentAfter, msgId: item.seq, sendId, copies, reason });
          if (reason === 'receiver down') this.handler.undeliverable?.(msg);
        } else {
          this.delivering = this.record({ kind: 'deliver', node: msg.to, msg, sentAt, sentAfter, msgId: item.seq, sendId, copies });
          this.handler.deliver(msg);
          this.delivering = null;
        }
        break;
      }
      case 'timer':
        this.handler.timer(item.node, item.timer, item.incarnation);
        break;
      case 'call':
        item.fn();
        break;
      case 'task':
        this.tasks!.run(item.task);
        break;
    }
    if (this.afterEach) this.afterEach();
    return true;
  }

  /** Run until `done()` holds (checked after every item) or simulated time would pass `until`. */
  runUntil(done: () => boolean, until: number): boolean {
    if (done()) return true;
    while (this.nextTime() <= until) {
      this.stepOne();
      if (done()) return true;
    }
    this.now = Math.max(this.now, until);
    return false;
  }

  advance(ms: number): void {
    this.runUntil(() => false, this.now + ms);
  }
}
