import type { SqlJsStatic } from 'sql.js';
import type { Cluster } from '../cluster/cluster';
import { isSettled, operate, type Operated, type Settle } from '../cluster/operate';
import type { Answer } from '../cluster/types';
import { anyLiveNode } from '../drive/host';
import { buildCluster } from '../drive/scenario/options';
import { scenarioOptionsOf, type SimOptions } from './options';

export { defaultSimOptions, type SimOptions, type SimTuning } from './options';
import { captureFrame, type Frame } from './frames';
import { DEFAULT_FRAME_WINDOW, FrameStore } from './frameStore';
import { EventWindow } from './eventWindow';
import { eventsAround, framesAround, type Replayer } from './rebuild';
import { NotableSeqs } from './notable';
import { markerOf, violationText, type MarkerKind } from './describe';
import { SafetyRecord } from './safetyRecord';
import { Checkpoints, type CheckpointLimits, type SimCheckpoint } from './checkpoints';
import { ExportsAhead } from './exportAhead';

export type { MarkerKind };

export type { AnswerRecord, AnswerSink, ApplyRecord, Input, InputAction, Marker, RunKind, SimEvent } from './runTypes';
import type { AnswerRecord, AnswerSink, Input, InputAction, Marker, RunKind, SimEvent } from './runTypes';
import { ApplyLog } from './applyLog';
import { recordsAt, type ResumeMode } from './resumeRecords';

/** Event `seq` of `events`, which must have been logged. */
function loggedEvent(events: EventWindow, seq: number): SimEvent {
  const e = events.get(seq);
  if (!e) throw new RangeError(`event ${seq} is not in the run's log (${events.start} to ${events.end})`);
  return e;
}

/** Steps between two questions of a sliced replay's `enough()`: its clock is read that seldom. */
const SLICE_CHECK = 64;

/**
 * Inputs whose refusal changes nothing in the cluster: a refused one is not recorded, so an
 * exported run or scenario never holds a join that "failed" here but would succeed headless.
 */
const UNRECORDED_WHEN_REFUSED: ReadonlySet<InputAction['kind']> = new Set(['snapshot', 'join', 'remove', 'drop']);

/**
 * One deterministic run: the cluster, one Frame per simulation step, and the inputs that made it.
 * The world is only ever advanced through `step` so the frame list and the step count agree, which
 * is what lets `replay` rebuild any earlier frame exactly.
 */
export class Simulation {
  readonly cluster: Cluster;
  frames: FrameStore;
  /** The event log, read through here (never the world's array) by everything above the run. */
  events: EventWindow;
  inputs: Input[] = [];
  markers: Marker[] = [];
  /** Seqs of the events that are not heartbeats or their acks: what the event list shows. */
  notable = new NotableSeqs();
  /** Log index → which node applied the entry there, and when (all nodes apply the same entry). */
  applies = new ApplyLog();
  /** Every client answer, in the order they came (the event log records the request, not its answer). */
  answers: AnswerRecord[] = [];
  /** Moments this run can be resumed from (checkpoints.ts): what makes a fork cost one interval. */
  readonly checkpoints: Checkpoints;
  /** Longest latency ever configured: how far behind the simulation the view must stay. */
  maxLatency: number;
  /** Null in a shadow run (it only remakes frames; `safety` is read from the run it serves). */
  private readonly safetyRecord: SafetyRecord | null;
  /**
   * Input index → when a transfer, join or removal settled, by the test the headless runner waits on
   * for that step; an exported scenario resumes its clock from there so its timings do not drift.
   */
  settledAt = new Map<number, number>();
  /** Transfers, joins and removals not settled yet: input index, and what it waits for. */
  private unsettled: readonly { readonly input: number; readonly settle: Settle }[] = [];
  /** The databases' exports, made a node at a time before each checkpoint (exportAhead.ts). */
  private readonly exportsAhead = new ExportsAhead();
  /** A shadow run that counts its frames instead of capturing them (RunKind.eventsOnly). */
  private readonly eventsOnly: boolean;
  /**
   * While a fork replays up to its frame: the frames of the run it left, the same frames up to
   * there (a resumed run is that run, checkpoint-resume.test.ts). The ones still in memory are
   * taken instead of captured again: capturing was most of replaying the interval.
   */
  private recorded: FrameStore | null = null;
  /** Told after every frame added: indexes of the run (the space-time diagram's) keep up as it is recorded. */
  private readonly frameListeners = new Set<() => void>();

  constructor(
    private readonly SQL: SqlJsStatic,
    readonly options: SimOptions,
    private readonly onAnswer: AnswerSink,
    limits?: CheckpointLimits,
    kind: RunKind = {},
  ) {
    const { start = true, window = DEFAULT_FRAME_WINDOW, shadow = false, eventWindow = null, eventsOnly = false } = kind;
    this.eventsOnly = shadow && eventsOnly;
    this.frames = this.framesFor(new FrameStore(window ?? DEFAULT_FRAME_WINDOW), window !== null);
    this.checkpoints = new Checkpoints(limits);
    this.cluster = buildCluster(SQL, options.nodes, options.seed, scenarioOptionsOf(options), start);
    this.events = this.eventsFor(new EventWindow(this.cluster.world, eventWindow ?? undefined), eventWindow !== null && window !== null && !shadow);
    this.maxLatency = options.latency[1];
    const world = this.cluster.world;
    // The constructor already started the servers; their role events are in the log.
    for (const e of world.log) this.mark(e);
    world.listener = (e) => this.mark(e as SimEvent);
    this.cluster.observe({
      onApply: (s, entry) => {
        this.applies.add(entry.index, s.id, world.now, this.frames.length);
      },
    });
    this.safetyRecord = shadow
      ? null
      : new SafetyRecord(this.cluster, () => this.frames.length, (v) =>
          this.markers.push({ seq: v.event, time: v.at, kind: 'violation', text: violationText(v.invariant, v.detail) }),
        );
    this.frames.push(captureFrame(this.cluster, undefined));
  }

  /** `store` as this run's frames: with `evict`, a dropped chunk is rebuilt from this run's checkpoints. */
  private framesFor(store: FrameStore, evict: boolean): FrameStore {
    store.rebuild = evict ? (i) => framesAround(this.replayer, i) : null;
    return store;
  }

  /** `store` as this run's events: with `evict`, a dropped chunk is rebuilt from this run's checkpoints. */
  private eventsFor(store: EventWindow, evict: boolean): EventWindow {
    store.rebuild = evict ? (start, end) => eventsAround(this.replayer, start, end) : null;
    return store;
  }

  /** What rebuild.ts needs of this run: its history, and a throwaway run resumed from a checkpoint. */
  private get replayer(): Replayer {
    return {
      checkpoints: this.checkpoints,
      frames: this.frames,
      shadow: (cp, to, read, eventsOnly) => {
        const shadow = new Simulation(this.SQL, this.options, () => undefined, this.checkpoints.limits, { start: cp === null, window: null, shadow: true, eventsOnly });
        try {
          if (cp) shadow.resume(this, cp, 'shadow');
          shadow.replayTo(this.inputs, cp ? cp.inputs : 0, to);
          const made = { frames: shadow.frames, events: shadow.cluster.world.log };
          // The shadow made this interval's events too: a view of that moment will want them.
          this.events.offer(cp ? cp.events : 0, made.events);
          return read(made);
        } finally {
          shadow.cluster.dispose();
        }
      },
    };
  }

  /**
   * Bytes the run's own records keep in typed arrays, outside what the JS heap's own count sees:
   * each frame's time, seqEnd and states checked, the event list's index, the applies.
   */
  bufferBytes(): number {
    return this.frames.bytes + (this.safetyRecord?.bytes ?? 0) + this.notable.bytes + this.applies.bytes;
  }

  /** Raft's safety properties, checked after every step exactly as the headless runner checks them. */
  get safety(): SafetyRecord {
    if (!this.safetyRecord) throw new Error('a shadow run checks no safety property');
    return this.safetyRecord;
  }

  get now(): number {
    return this.cluster.world.now;
  }

  get lastFrame(): Frame {
    return this.frames.last;
  }

  /** Call `listener` after every frame added from now on; returns how to stop. */
  onFrame(listener: () => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  private pushFrame(): void {
    if (this.eventsOnly) this.frames.count(this.now, this.cluster.world.eventCount);
    else this.frames.push(this.recorded?.peek(this.frames.length) ?? captureFrame(this.cluster, this.lastFrame));
    for (const l of this.frameListeners) l();
  }

  step(): boolean {
    if (!this.cluster.world.stepOne()) return false;
    this.pushFrame();
    if (this.unsettled.length > 0) this.checkSettled();
    // A shadow run is thrown away after its interval: checkpoints of its own would be wasted work.
    if (!this.safetyRecord) return true;
    if (this.now >= this.checkpoints.nextAt) this.takeCheckpoint();
    else {
      const made = this.exportsAhead.step(this.now, this.checkpoints.nextAt, this.cluster.servers);
      if (made) this.checkpoints.keepAhead(made.bytes);
    }
    return true;
  }

  /** Keep this moment as a checkpoint, unless something in flight cannot be copied yet. */
  private takeCheckpoint(): void {
    const taken = this.cluster.checkpoint();
    if (!taken) return this.checkpoints.missed(this.now);
    this.exportsAhead.checkpointed();
    const { cluster, images, exported } = this.checkpoints.share(taken);
    const before = this.checkpoints.all.length;
    this.checkpoints.add(this.checkpoints.pack({
      frame: this.frames.length - 1,
      time: this.now,
      cluster,
      events: this.cluster.world.eventCount,
      inputs: this.inputs.length,
      markers: this.markers.length,
      answers: this.answers.length,
      maxLatency: this.maxLatency,
      settledAt: [...this.settledAt],
      unsettled: this.unsettled,
      safety: this.safety.mark(),
      images,
      exported,
    }));
    // A rebuild starts from a checkpoint's own frame: keep those (and only those) whatever else goes.
    // When adding this one thinned the list, it may still be in it (the newest of an even count):
    // pinned too, or a rebuild from it would need its own frame rebuilt first, without end.
    const all = this.checkpoints.all;
    if (all.length <= before) this.frames.pinOnly(all.map((c) => c.frame));
    if (all[all.length - 1].frame === this.frames.length - 1) this.frames.pin(this.frames.length - 1);
    // The interval's events become a chunk: a fork from here, or a rebuild, starts at this seq.
    const world = this.cluster.world;
    this.events.seal(world.latestEvents());
    world.log = [];
  }

  /**
   * Become `from` as it stood at `cp`: the cluster restored, the records taken up to there
   * (resumeRecords.ts: moved with `take`, copied with `copy`, only what stepping on needs for a
   * `shadow`, a run that rebuilds dropped frames).
   */
  private resume(from: Simulation, cp: SimCheckpoint, mode: ResumeMode): void {
    // Each server's latest event by its seq: read back from this run's log only if a decision
    // comes for it (world.readBack). A shadow makes no use of them but their seqs, and must not
    // read the log: its chunk may be the dropped one a shadow is rebuilding, from a checkpoint
    // whose own would need rebuilding first.
    const cluster = cp.clusterWith(null);
    const evict = from.frames.rebuild !== null;
    const evictEvents = from.events.rebuild !== null;
    const world = this.cluster.world;
    const records = recordsAt(from, from.cluster.world, cp, mode, world);
    this.events = records.events;
    if (mode === 'shadow') this.frames = records.frames;
    else {
      this.frames = this.framesFor(records.frames, evict);
      this.eventsFor(this.events, evictEvents);
      this.applies = records.applies;
    }
    // Each database is opened when first used: a shadow, thrown away after an interval, opens only
    // those its nodes run SQL on; a fork opens a follower's when its writes are applied, when it
    // is read or when a checkpoint takes its image, not while the learner waits for the fork.
    world.readBack = mode === 'shadow' ? null : (seq) => loggedEvent(this.events, seq);
    this.cluster.restore(cluster, [], true, (tag) => this.answerTo(tag.clientSeq, tag.id));
    // The events servers were still deciding on are copies with the decisions they had at `cp`,
    // made when first read.
    if (mode !== 'shadow') for (const [, seq, decided] of cluster.world.lastOf) if (typeof seq === 'number') this.events.keepUnread(seq, decided);
    ({ inputs: this.inputs, markers: this.markers, answers: this.answers } = records);
    // A shadow remakes events, never reads the list's index.
    if (mode !== 'shadow') this.notable = records.notable;
    this.maxLatency = cp.maxLatency;
    this.settledAt = new Map(cp.settledAt);
    this.unsettled = cp.unsettled;
    this.safetyRecord?.resume(from.safety, cp.safety, cp.frame);
    // A shadow takes no checkpoint and rebuilds nothing of its own: holding every file of the run's
    // checkpoints again (their pages, pagedFiles.ts) was a tenth of a seek into dropped history.
    if (mode !== 'shadow') this.checkpoints.inherit(from.checkpoints, cp);
  }

  /** Apply `inputs` from the `i`-th at their frames and step in between, until frame `target` exists. */
  private replayTo(inputs: readonly Input[], i: number, target: number): void {
    this.replaySlice(inputs, i, target, () => false);
  }

  /**
   * `replayTo`, stopping early when `enough()` says so (asked every SLICE_CHECK steps): the page
   * restores a long session in slices between frames instead of freezing for the whole replay.
   * Returns the index of the next input to apply, and whether frame `target` exists (or the world
   * ran dry before it).
   */
  replaySlice(inputs: readonly Input[], i: number, target: number, enough: () => boolean): { next: number; done: boolean } {
    let n = 0;
    while (this.frames.length <= target) {
      if (++n % SLICE_CHECK === 0 && enough()) return { next: i, done: false };
      const next = inputs[i];
      if (next && next.frame === this.frames.length) {
        this.cluster.world.now = next.time;
        this.apply(next.action);
        i++;
        continue;
      }
      if (!this.step()) break;
    }
    return { next: i, done: true };
  }

  private checkSettled(): void {
    this.unsettled = this.unsettled.filter((u) => {
      if (!isSettled(this.cluster, u.settle)) return true;
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

  /** Apply a user input now; says why when the cluster refused it. */
  apply(action: InputAction): Operated {
    const input: Input = { frame: this.frames.length, time: this.now, action };
    const res = this.perform(action);
    if (res.problem !== null && UNRECORDED_WHEN_REFUSED.has(action.kind)) return res;
    if (res.problem === null && res.settle) this.unsettled = [...this.unsettled, { input: this.inputs.length, settle: res.settle }];
    this.inputs.push(input);
    this.pushFrame();
    return res;
  }

  private perform(a: InputAction): Operated {
    const c = this.cluster;
    if (a.kind === 'request') {
      const id = a.id;
      // "any" is resolved here, not by the caller, so a replay draws from the seeded PRNG at the
      // same point as the first run (and as the headless host does).
      const node = a.node === 'any' ? anyLiveNode(c) : a.node;
      if (node === null) return { problem: { code: 'no-live-node' } };
      // The cluster records the request as its next event: that seq links the answer to it.
      const clientSeq = c.world.eventCount;
      c.request(node, a.body, this.answerTo(clientSeq, id), { clientSeq, id });
      return { problem: null };
    }
    const r = operate(c, a);
    if (r.problem === null && a.kind === 'network' && a.latency) this.maxLatency = Math.max(this.maxLatency, a.latency[1]);
    return r;
  }

  /** Where the answer to request `id` goes: the run's answers, and the host. Also a call's listener revived from a checkpoint. */
  private answerTo(clientSeq: number, id: number): (answer: Answer) => void {
    return (answer) => {
      this.answers.push({ clientSeq, time: this.cluster.now, frame: this.frames.length, answer });
      this.onAnswer(id, answer, this.cluster.now);
    };
  }

  private mark(e: SimEvent): void {
    this.notable.note(e);
    const m = markerOf(e);
    if (m) this.markers.push({ seq: e.seq, time: e.time, ...m });
  }

  /**
   * Rebuild a run from its options and inputs up to (and including) frame `target`. Inputs that
   * came after it are the forgotten future of a fork. `prepare` sees the new run before its first
   * step (to follow it frame by frame).
   */
  static replay(SQL: SqlJsStatic, options: SimOptions, inputs: readonly Input[], target: number, onAnswer: AnswerSink, prepare?: (sim: Simulation) => void, kind?: RunKind): Simulation {
    const sim = new Simulation(SQL, options, onAnswer, undefined, kind);
    prepare?.(sim);
    sim.replayTo(inputs, 0, target);
    return sim;
  }

  /**
   * The run `from` up to (and including) frame `target`, as `replay` would rebuild it, but resumed
   * from `from`'s latest checkpoint at or before `target`: it replays at most one checkpoint
   * interval, however long the history. `from` is only read, unless `takeOver` (the caller drops
   * `from` right after, as the page does): then its records move to the fork and it is left empty.
   * `prepare` sees the new run once it is resumed, before the interval is replayed.
   */
  static fork(SQL: SqlJsStatic, from: Simulation, target: number, onAnswer: AnswerSink, takeOver = false, prepare?: (sim: Simulation) => void): Simulation {
    const cp = from.checkpoints.atOrBefore(target);
    if (!cp) return Simulation.replay(SQL, from.options, from.inputs, target, onAnswer, prepare);
    const sim = new Simulation(SQL, from.options, onAnswer, from.checkpoints.limits, { start: false, window: from.frames.rebuild ? from.frames.window : null });
    sim.resume(from, cp, takeOver ? 'take' : 'copy');
    prepare?.(sim);
    // Taken over, the frames past the checkpoint are gone with the run left.
    if (!takeOver) sim.recorded = from.frames;
    try {
      sim.replayTo(from.inputs, cp.inputs, target);
    } finally {
      sim.recorded = null;
    }
    return sim;
  }
}
