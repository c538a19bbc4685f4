import type { SqlJsStatic } from 'sql.js';
import { Cluster } from '../cluster/cluster';
import { operate, type OperatorAction } from '../cluster/operate';
import type { Answer, ClientOp, NetMessage } from '../cluster/types';
import { defaultRaftOptions } from '../raft/types';
import type { ScenarioOptions } from '../drive/scenario/schema';
import type { LoggedEvent } from '../sim/events';
import { captureFrame, type Frame } from './frames';
import { markerOf, violationText, type MarkerKind } from './describe';
import { SafetyRecord } from './safetyRecord';

export type { MarkerKind };

export type SimEvent = LoggedEvent<NetMessage>;

export interface SimOptions {
  nodes: number;
  seed: number;
  electionTimeout: [number, number];
  latency: [number, number];
  preVote: boolean;
  /**
   * The rest of a scenario file's options (snapshot threshold, heartbeat, unsafe switches …), so a
   * scenario or tour builds the same cluster in the page as `npm run scenario` does headless.
   */
  tuning?: SimTuning;
}

export type SimTuning = Omit<ScenarioOptions, 'electionTimeout' | 'latency' | 'preVote'>;

export const defaultSimOptions: SimOptions = {
  nodes: 5,
  seed: 1,
  electionTimeout: [150, 300],
  latency: [5, 15],
  preVote: true,
};

/** Everything a user can do to the cluster; recorded so any moment can be rebuilt by replay. */
export type InputAction =
  | OperatorAction
  | { kind: 'timeoutNow'; node: string }
  | { kind: 'request'; id: number; node: string; body: ClientOp }
  | { kind: 'snapshot'; node: string }
  /** Lose one message in flight; `id` is its World.inFlight id (a logged event's msgId). */
  | { kind: 'drop'; id: number };

/**
 * Inputs whose refusal changes nothing in the cluster: a refused one is not recorded, so an
 * exported run or scenario never holds a join that "failed" here but would succeed headless.
 */
const UNRECORDED_WHEN_REFUSED: ReadonlySet<InputAction['kind']> = new Set(['snapshot', 'join', 'remove', 'drop']);

export interface Input {
  /** Number of frames that existed when the input was applied: replay applies it at that point. */
  readonly frame: number;
  readonly time: number;
  readonly action: InputAction;
}

export interface Marker {
  readonly seq: number;
  readonly time: number;
  readonly kind: MarkerKind;
  readonly text: string;
}

export interface ApplyRecord {
  readonly node: string;
  readonly time: number;
}

export type AnswerSink = (id: number, answer: Answer, time: number) => void;

/**
 * One deterministic run: the cluster, one Frame per simulation step, and the inputs that made it.
 * The world is only ever advanced through `step` so the frame list and the step count agree, which
 * is what lets `replay` rebuild any earlier frame exactly.
 */
export class Simulation {
  readonly cluster: Cluster;
  readonly frames: Frame[] = [];
  readonly inputs: Input[] = [];
  readonly markers: Marker[] = [];
  /** Log index → which node applied the entry there, and when (all nodes apply the same entry). */
  readonly applies = new Map<number, ApplyRecord[]>();
  /** Longest latency ever configured: how far behind the simulation the view must stay. */
  maxLatency: number;
  /** Raft's safety properties, checked after every step exactly as the headless runner checks them. */
  readonly safety: SafetyRecord;
  /**
   * Input index → when a transfer, join or removal settled, by the test the headless runner waits on
   * for that step; an exported scenario resumes its clock from there so its timings do not drift.
   */
  readonly settledAt = new Map<number, number>();
  private unsettled: { input: number; done: () => boolean }[] = [];
  private settle: (() => boolean) | null = null;

  constructor(
    SQL: SqlJsStatic,
    readonly options: SimOptions,
    private readonly onAnswer: AnswerSink,
  ) {
    const [emin, emax] = options.electionTimeout;
    const t = options.tuning ?? {};
    this.cluster = new Cluster(SQL, {
      nodes: options.nodes,
      seed: options.seed,
      latency: options.latency,
      snapshotThreshold: t.snapshotThreshold ?? 1000,
      raft: {
        ...defaultRaftOptions,
        electionTimeoutMin: emin,
        electionTimeoutMax: emax,
        heartbeatInterval: t.heartbeat ?? Math.max(10, Math.round(emin / 3)),
        preVote: options.preVote,
        fastBacktrack: t.fastBacktrack ?? defaultRaftOptions.fastBacktrack,
        checkQuorum: t.checkQuorum ?? defaultRaftOptions.checkQuorum,
        maxEntriesPerAppend: t.maxEntriesPerAppend ?? defaultRaftOptions.maxEntriesPerAppend,
        unsafeCommitOldTerms: t.unsafeCommitOldTerms ?? false,
        unsafeDoubleVote: t.unsafeDoubleVote ?? false,
      },
    });
    // Set after construction, exactly where the headless scenario runner sets them.
    if (t.drop !== undefined) this.cluster.world.net.dropRate = t.drop;
    if (t.duplicate !== undefined) this.cluster.world.net.duplicateRate = t.duplicate;
    this.maxLatency = options.latency[1];
    const world = this.cluster.world;
    // The constructor already started the servers; their role events are in the log.
    for (const e of world.log) this.mark(e);
    world.listener = (e) => this.mark(e as SimEvent);
    this.cluster.observe({
      onApply: (s, entry) => {
        let list = this.applies.get(entry.index);
        if (!list) this.applies.set(entry.index, (list = []));
        list.push({ node: s.id, time: world.now });
      },
    });
    this.safety = new SafetyRecord(this.cluster, () => this.frames.length, (v) =>
      this.markers.push({ seq: v.event, time: v.at, kind: 'violation', text: violationText(v.invariant, v.detail) }),
    );
    this.frames.push(captureFrame(this.cluster, undefined));
  }

  get log(): readonly SimEvent[] {
    return this.cluster.world.log;
  }

  get now(): number {
    return this.cluster.world.now;
  }

  get lastFrame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  step(): boolean {
    if (!this.cluster.world.stepOne()) return false;
    this.frames.push(captureFrame(this.cluster, this.lastFrame));
    if (this.unsettled.length > 0) this.checkSettled();
    return true;
  }

  /** The settle test of the input just applied (a transfer, join or removal), as the headless runner waits on it. */
  settleOfLastInput(): (() => boolean) | null {
    return this.settle;
  }

  private checkSettled(): void {
    this.unsettled = this.unsettled.filter((u) => {
      if (!u.done()) return true;
      this.settledAt.set(u.input, this.now);
      return false;
    });
  }

  /** Process every queue item up to `time`, then let the clock reach it. */
  runTo(time: number, maxSteps = Infinity): void {
    const world = this.cluster.world;
    let n = 0;
    while (world.nextTime() <= time && n < maxSteps) {
      this.step();
      n++;
    }
    if (n < maxSteps && world.now < time) world.now = time;
  }

  /** Step until at least one new event is logged (a step may only move a timer). */
  stepEvent(): boolean {
    const before = this.cluster.world.eventCount;
    for (let i = 0; i < 10_000; i++) {
      if (!this.step()) return false;
      if (this.cluster.world.eventCount > before) return true;
    }
    return false;
  }

  /** Apply a user input now; returns a sentence when the cluster refused it. */
  apply(action: InputAction): string | null {
    const input: Input = { frame: this.frames.length, time: this.now, action };
    this.settle = null;
    const error = this.perform(action);
    if (error !== null && UNRECORDED_WHEN_REFUSED.has(action.kind)) return error;
    if (error === null && this.settle) this.unsettled.push({ input: this.inputs.length, done: this.settle });
    this.inputs.push(input);
    this.frames.push(captureFrame(this.cluster, this.lastFrame));
    return error;
  }

  private perform(a: InputAction): string | null {
    const c = this.cluster;
    switch (a.kind) {
      case 'timeoutNow': {
        const s = c.servers.get(a.node);
        const raft = s?.proc.raft;
        if (!s || !raft) return `${a.node} is down`;
        if (raft.role === 'leader') return `${a.node} is already the leader`;
        // Same path as a real election timer firing, so the log reads the same way.
        c.world.record({ kind: 'timeout', node: a.node, timer: 'election', forced: true });
        raft.onElectionTimeout(c.now);
        s.proc.flush();
        return null;
      }
      case 'request': {
        const id = a.id;
        // "any" is resolved here, not by the caller, so a replay draws from the seeded PRNG at the
        // same point as the first run (and as the headless scenario runner does).
        const node = a.node === 'any' ? this.anyLiveNode() : a.node;
        if (node === null) return 'no live node';
        c.request(node, a.body, (answer) => this.onAnswer(id, answer, c.now));
        return null;
      }
      case 'snapshot': {
        const s = c.servers.get(a.node);
        if (!s || !s.alive) return `${a.node} is down`;
        const before = s.proc.storage.snapshot.index;
        if (s.snapshot() === before) return `${a.node} has applied nothing since its last snapshot (index ${before})`;
        return null;
      }
      case 'drop':
        return c.world.dropInFlight(a.id) ? null : 'that message has already arrived or been lost';
      default: {
        const r = operate(c, a);
        if (r.error === null && a.kind === 'network' && a.latency) this.maxLatency = Math.max(this.maxLatency, a.latency[1]);
        this.settle = r.settled ?? null;
        return r.error;
      }
    }
  }

  private anyLiveNode(): string | null {
    const live = [...this.cluster.servers.values()].filter((s) => s.alive).map((s) => s.id);
    return live.length === 0 ? null : live[this.cluster.world.prng.int(0, live.length - 1)];
  }

  private mark(e: SimEvent): void {
    const m = markerOf(e);
    if (m) this.markers.push({ seq: e.seq, time: e.time, ...m });
  }

  /**
   * Rebuild a run from its options and inputs up to (and including) frame `target`. Inputs that
   * came after it are the forgotten future of a fork.
   */
  static replay(SQL: SqlJsStatic, options: SimOptions, inputs: readonly Input[], target: number, onAnswer: AnswerSink): Simulation {
    const sim = new Simulation(SQL, options, onAnswer);
    let i = 0;
    while (sim.frames.length <= target) {
      const next = inputs[i];
      if (next && next.frame === sim.frames.length) {
        sim.cluster.world.now = next.time;
        sim.apply(next.action);
        i++;
        continue;
      }
      if (!sim.step()) break;
    }
    return sim;
  }
}
