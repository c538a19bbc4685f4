import type { NetMessage } from '../../cluster/types';
import type { InFlight } from '../../sim/events';
import type { Frame } from '../frames';
import type { EventHistory } from '../eventStore';
import type { FrameHistory } from '../frameStore';
import type { AnswerRecord, SimEvent, Simulation } from '../simulation';
import { ArrowMaker } from './arrows';
import { ArrowStore } from './arrowStore';
import { ArrowSubList } from './arrowViews';
import { CallIndex } from './calls';
import { Interner } from './columns';
import { LaneTracker } from './lanes';
import { MarkStore } from './markStore';
import { markOfEvent, marksOfChange } from './marks';
import { PartitionTracker, type PartitionSpan, type Server } from './partitions';
import { lowerBound } from './query';
import type { Arrow, Lane } from './types';

/** What the diagram is built from: a recorded run. A Simulation is one (see `sourceOf`). */
export interface DiagramSource {
  readonly events: EventHistory;
  readonly frames: FrameHistory;
  readonly answers: readonly AnswerRecord[];
  /** Messages sent and not yet delivered or dropped at the head of the run. */
  inFlight(): readonly InFlight<NetMessage>[];
}

export function sourceOf(sim: Simulation): DiagramSource {
  return {
    events: sim.events,
    // The store itself, not a getter: a fork taking the run over moves this very store to the fork,
    // and `rebase` reads the frames it kept through the old source.
    frames: sim.frames,
    answers: sim.answers,
    inFlight: () => sim.cluster.world.inFlight(),
  };
}

export type { ClientCallInfo } from './calls';

/**
 * The space-time diagram of a run, built incrementally: `update()` reads the frames (and the events
 * and answers that belong to them) added since the last call, in frame order, so every list stays
 * sorted by frame and time and the view finds what is visible by binary search. Heartbeats, their
 * acks and heartbeat timers are kept in lists of their own: hidden (the default), they cost nothing.
 */
export class DiagramModel {
  /** Server ids as small numbers, shared by the stores. */
  private readonly names = new Interner<string>(255);
  /** Non-routine arrows in the order their fate was logged (by end time). */
  readonly arrows = new ArrowStore(false, this.names, (seq) => this.messageAt(seq));
  readonly routineArrows = new ArrowStore(true, this.names, (seq) => this.messageAt(seq));
  /** Messages still queued at the head of the run, as last read. */
  pending: readonly Arrow[] = [];
  /** Non-routine marks in frame order (and so in time order). */
  readonly marks = new MarkStore(false, this.names);
  readonly routineMarks = new MarkStore(true, this.names);
  /**
   * The same arrows by pair of lanes (`from>to`), each list in end order: a zoomed-out view draws
   * one arrow per pair every few pixels and skips the rest without reading them (query.ts).
   */
  readonly byPair = new Map<string, { arrows: ArrowSubList; routine: ArrowSubList }>();
  /** The longest any arrow took from send to end: how far before a window an arrow into it can start. */
  maxSpan = 0;
  /** Frames read so far; bumped with every update that read any. */
  framesRead = 0;
  readonly calls = new CallIndex(this.marks);
  private readonly lanesT = new LaneTracker();
  private readonly partitionsT = new PartitionTracker();
  private readonly maker = new ArrowMaker([this.arrows, this.routineArrows]);
  /** The highest latency the network had in any frame read: how long a message can take. */
  private maxLatency = 0;
  private answersRead = 0;
  /** Servers that installed or reloaded a snapshot in the frame being read. */
  private readonly loaded = new Set<string>();

  constructor(private src: DiagramSource) {
    this.update();
  }

  /**
   * Bytes of typed arrays the model holds (room not yet used included): their contents live
   * outside V8's heap, so Node's `heapUsed` counts an ArrayBuffer's object and not its bytes, and
   * a figure of the heap adds these.
   */
  bufferBytes(): number {
    let n = this.arrows.bytes + this.routineArrows.bytes + this.marks.bytes + this.routineMarks.bytes + this.calls.bytes;
    for (const p of this.byPair.values()) n += p.arrows.bytes + p.routine.bytes;
    return n;
  }

  get lanes(): readonly Lane[] {
    return this.lanesT.lanes;
  }

  /** The network's splits, in time order: the last one may still last. */
  get partitions(): readonly PartitionSpan[] {
    return this.partitionsT.spans;
  }

  lane(id: string): Lane | undefined {
    return this.lanesT.get(id);
  }

  arrow(msgId: number): Arrow | undefined {
    for (const list of [this.arrows, this.routineArrows]) {
      const pos = list.find(msgId);
      if (pos >= 0) return list.at(pos);
    }
    return this.pending.find((a) => a.msgId === msgId);
  }

  /**
   * The same arrow as `arrow`, its message read only if asked for (`msg`): for drawing a few
   * arrows by id (the hovered one, a causal past) without reading the event log.
   */
  arrowInPlace(msgId: number): Arrow | undefined {
    for (const list of [this.arrows, this.routineArrows]) {
      const pos = list.find(msgId);
      if (pos >= 0) return list.cursor().moveTo(pos);
    }
    return this.pending.find((a) => a.msgId === msgId);
  }

  /** The message a logged arrow carried, read back from the run's event log. */
  private messageAt(seq: number): NetMessage {
    const e = this.src.events.get(seq);
    if (!e || (e.kind !== 'deliver' && e.kind !== 'drop')) throw new RangeError(`event ${seq} is not a logged delivery or drop (the log no longer holds it?)`);
    return e.msg;
  }

  /** Read every frame added since the last call, and the messages in flight now; false when there was no frame. */
  update(): boolean {
    const read = this.readFrames();
    this.pending = this.src.inFlight().map((q) => this.maker.fromQueue(q));
    return read;
  }

  /**
   * Read the frames added since the last call (but not what is in flight: that is read by
   * `update`, when the view needs it). Cheap when there is one frame to read: the page calls it
   * after every step, so the model is ready whenever the diagram is opened.
   */
  readFrames(): boolean {
    const { frames, events } = this.src;
    if (this.framesRead >= frames.length) return false;
    const base = events.start;
    for (let f = this.framesRead; f < frames.length; f++) {
      const frame = frames.get(f);
      const prev = f > 0 ? frames.get(f - 1) : undefined;
      this.loaded.clear();
      if (frame.net.latencyMax > this.maxLatency) this.maxLatency = frame.net.latencyMax;
      for (let seq = Math.max(prev ? prev.seqEnd : 0, base); seq < frame.seqEnd; seq++) {
        const e = events.get(seq);
        if (e) this.addEvent(e, f);
      }
      this.addAnswers(f);
      this.addFrame(frame, prev, f);
    }
    this.framesRead = frames.length;
    const last = Math.max(this.arrows.length > 0 ? this.arrows.endAt(this.arrows.length - 1) : 0, this.routineArrows.length > 0 ? this.routineArrows.endAt(this.routineArrows.length - 1) : 0);
    this.maker.prune(last, this.maxLatency);
    return true;
  }

  /**
   * Go on from `src`, a run whose frames up to `keep` are those of the run read so far (a fork
   * replays them identically), forgetting what was read after `keep`: a fork's diagram costs what
   * was cut off, not the whole run again. `maxSpan` stays as it was: an upper bound is all it is.
   */
  rebase(src: DiagramSource, keep: number): void {
    // Read from the old run: the new one may not have reached `keep` yet (its replay follows).
    const old = this.src;
    if (keep + 1 >= this.framesRead) {
      this.src = src;
      return;
    }
    // Every list is in seq or frame order: what the fork cuts off is found by binary search and
    // dropped at once (taken off one row at a time, a fork at minute 20 of a 9-node run spent half
    // a second here).
    const cut = old.frames.seqEnd(keep);
    for (const list of [this.arrows, this.routineArrows]) list.truncate(list.countBelowSeq(cut));
    for (const pair of this.byPair.values()) {
      pair.arrows.cutAt(this.arrows.length);
      pair.routine.cutAt(this.routineArrows.length);
    }
    this.maker.rebuild(this.maxLatency);
    this.calls.truncate(this.marks.countUpToFrame(keep));
    for (const list of [this.marks, this.routineMarks]) list.truncate(list.countUpToFrame(keep));
    this.lanesT.truncate(keep);
    this.partitionsT.truncate(keep);
    this.answersRead = lowerBound(old.answers, (r) => r.frame, keep + 1);
    this.framesRead = keep + 1;
    this.pending = [];
    this.src = src;
  }

  private addEvent(e: SimEvent, frame: number): void {
    if (e.kind === 'deliver' || e.kind === 'drop') {
      const a = this.maker.fromEvent(e);
      const list = a.routine ? this.routineArrows : this.arrows;
      const key = `${a.from}>${a.to}`;
      let pair = this.byPair.get(key);
      if (!pair) this.byPair.set(key, (pair = { arrows: new ArrowSubList(this.arrows), routine: new ArrowSubList(this.routineArrows) }));
      (a.routine ? pair.routine : pair.arrows).push(list.length - 1);
      if (a.endAt - a.sentAt > this.maxSpan) this.maxSpan = a.endAt - a.sentAt;
      return;
    }
    if (e.kind === 'snapshot' && e.action !== 'compact') this.loaded.add(e.node);
    if (e.kind === 'partition' || e.kind === 'heal') this.partitionsT.observe(e, frame, this.servers());
    const m = markOfEvent(e, frame);
    if (!m) return;
    const pos = (m.routine ? this.routineMarks : this.marks).push(m);
    if (m.detail.kind === 'client') this.calls.addRequest(m.detail.call, e.seq, pos);
  }

  /** The servers in the run as last seen (a removed one left it), voters marked. */
  private servers(): Server[] {
    const out: Server[] = [];
    for (const l of this.lanesT.lanes) {
      const m = l.segments[l.segments.length - 1]?.membership;
      if (m !== undefined && m !== 'removed') out.push({ id: l.id, voter: m === 'voter' });
    }
    return out;
  }

  private addAnswers(frame: number): void {
    const answers = this.src.answers;
    while (this.answersRead < answers.length && answers[this.answersRead].frame <= frame) {
      const r = answers[this.answersRead++];
      const request = this.calls.requestOfSeq(r.clientSeq);
      if (request === undefined) continue;
      const call = this.calls.callAt(request);
      const a = r.answer;
      const index = a.ok && a.index !== undefined ? a.index : null;
      const pos = this.marks.push({
        id: `answer@${frame}:${call}`,
        seq: null,
        frame,
        time: r.time,
        lane: this.marks.lane(request),
        detail: { kind: 'answer', call, ok: a.ok, index, clientSeq: r.clientSeq },
        routine: false,
      });
      this.calls.addAnswer(request, pos);
    }
  }

  private addFrame(frame: Frame, prev: Frame | undefined, f: number): void {
    if (prev && prev.nodes === frame.nodes) return;
    frame.nodes.forEach((v, i) => {
      const before = prev?.nodes[i];
      this.lanesT.observe(v, f, frame.time);
      if (before && before !== v && before.id === v.id) for (const m of marksOfChange(before, v, f, frame.time, this.loaded.has(v.id))) this.marks.push(m);
    });
  }
}
