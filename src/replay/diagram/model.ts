import type { NetMessage } from '../../cluster/types';
import type { InFlight } from '../../sim/events';
import type { Frame } from '../frames';
import type { EventHistory } from '../eventStore';
import type { FrameHistory } from '../frameStore';
import type { AnswerRecord, SimEvent, Simulation } from '../simulation';
import { ArrowMaker } from './arrows';
import { LaneTracker } from './lanes';
import { markOfEvent, marksOfChange } from './marks';
import { PartitionTracker, type PartitionSpan, type Server } from './partitions';
import { lowerBound } from './query';
import type { Arrow, Lane, Mark } from './types';

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

/** A client request as the diagram knows it: its `client` mark and, once answered, its answer mark. */
export interface ClientCallInfo {
  readonly call: number;
  readonly request: Mark;
  answer: Mark | null;
}

/**
 * The space-time diagram of a run, built incrementally: `update()` reads the frames (and the events
 * and answers that belong to them) added since the last call, in frame order, so every list stays
 * sorted by frame and time and the view finds what is visible by binary search. Heartbeats, their
 * acks and heartbeat timers are kept in lists of their own: hidden (the default), they cost nothing.
 */
export class DiagramModel {
  /** Non-routine arrows in the order their fate was logged (by end time). */
  readonly arrows: Arrow[] = [];
  readonly routineArrows: Arrow[] = [];
  /** Messages still queued at the head of the run, as last read. */
  pending: readonly Arrow[] = [];
  /** Non-routine marks in frame order (and so in time order). */
  readonly marks: Mark[] = [];
  readonly routineMarks: Mark[] = [];
  /**
   * The same arrows by pair of lanes (`from>to`), each list in end order: a zoomed-out view draws
   * one arrow per pair every few pixels and skips the rest without reading them (query.ts).
   */
  readonly byPair = new Map<string, { arrows: Arrow[]; routine: Arrow[] }>();
  /** The longest any arrow took from send to end: how far before a window an arrow into it can start. */
  maxSpan = 0;
  /** Frames read so far; bumped with every update that read any. */
  framesRead = 0;
  readonly calls = new Map<number, ClientCallInfo>();
  private readonly lanesT = new LaneTracker();
  private readonly partitionsT = new PartitionTracker();
  private readonly maker = new ArrowMaker();
  private readonly byMsgId = new Map<number, Arrow>();
  private readonly callOfSeq = new Map<number, ClientCallInfo>();
  private answersRead = 0;
  /** Servers that installed or reloaded a snapshot in the frame being read. */
  private readonly loaded = new Set<string>();

  constructor(private src: DiagramSource) {
    this.update();
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
    return this.byMsgId.get(msgId) ?? this.pending.find((a) => a.msgId === msgId);
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
      for (let seq = Math.max(prev ? prev.seqEnd : 0, base); seq < frame.seqEnd; seq++) {
        const e = events.get(seq);
        if (e) this.addEvent(e, f);
      }
      this.addAnswers(f);
      this.addFrame(frame, prev, f);
    }
    this.framesRead = frames.length;
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
    this.src = src;
    if (keep + 1 >= this.framesRead) return;
    const cut = old.frames.seqEnd(keep);
    // Arrows newest first across both lists, so the reply pairing is undone in order.
    const { arrows, routineArrows: routine } = this;
    for (;;) {
      const a = arrows[arrows.length - 1];
      const r = routine[routine.length - 1];
      const last = a && a.seq >= cut && (!r || r.seq < a.seq) ? arrows.pop()! : r && r.seq >= cut ? routine.pop()! : null;
      if (!last) break;
      this.byMsgId.delete(last.msgId);
      const pair = this.byPair.get(`${last.from}>${last.to}`)!;
      (last.routine ? pair.routine : pair.arrows).pop();
      this.maker.forget(last);
    }
    for (const list of [this.marks, this.routineMarks]) {
      while (list.length > 0 && list[list.length - 1].frame > keep) {
        const d = list.pop()!.detail;
        if (d.kind === 'client') {
          const info = this.calls.get(d.call);
          this.calls.delete(d.call);
          if (info && info.request.seq !== null) this.callOfSeq.delete(info.request.seq);
        } else if (d.kind === 'answer') {
          const info = this.calls.get(d.call);
          if (info) info.answer = null;
        }
      }
    }
    this.lanesT.truncate(keep);
    this.partitionsT.truncate(keep);
    this.answersRead = lowerBound(old.answers, (r) => r.frame, keep + 1);
    this.framesRead = keep + 1;
    this.pending = [];
  }

  private addEvent(e: SimEvent, frame: number): void {
    if (e.kind === 'deliver' || e.kind === 'drop') {
      const a = this.maker.fromEvent(e);
      (a.routine ? this.routineArrows : this.arrows).push(a);
      const key = `${a.from}>${a.to}`;
      let pair = this.byPair.get(key);
      if (!pair) this.byPair.set(key, (pair = { arrows: [], routine: [] }));
      (a.routine ? pair.routine : pair.arrows).push(a);
      this.byMsgId.set(a.msgId, a);
      if (a.endAt - a.sentAt > this.maxSpan) this.maxSpan = a.endAt - a.sentAt;
      return;
    }
    if (e.kind === 'snapshot' && e.action !== 'compact') this.loaded.add(e.node);
    if (e.kind === 'partition' || e.kind === 'heal') this.partitionsT.observe(e, frame, this.servers());
    const m = markOfEvent(e, frame);
    if (!m) return;
    (m.routine ? this.routineMarks : this.marks).push(m);
    if (m.detail.kind === 'client') {
      const info: ClientCallInfo = { call: m.detail.call, request: m, answer: null };
      this.calls.set(info.call, info);
      this.callOfSeq.set(e.seq, info);
    }
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
      const info = this.callOfSeq.get(r.clientSeq);
      if (!info) continue;
      const a = r.answer;
      const index = a.ok && a.index !== undefined ? a.index : null;
      const m: Mark = {
        id: `answer@${frame}:${info.call}`,
        seq: null,
        frame,
        time: r.time,
        lane: info.request.lane,
        detail: { kind: 'answer', call: info.call, ok: a.ok, index, clientSeq: r.clientSeq },
        routine: false,
      };
      info.answer = m;
      this.marks.push(m);
    }
  }

  private addFrame(frame: Frame, prev: Frame | undefined, f: number): void {
    if (prev && prev.nodes === frame.nodes) return;
    frame.nodes.forEach((v, i) => {
      const before = prev?.nodes[i];
      this.lanesT.observe(v, f, frame.time);
      if (before && before !== v && before.id === v.id) this.marks.push(...marksOfChange(before, v, f, frame.time, this.loaded.has(v.id)));
    });
  }
}
