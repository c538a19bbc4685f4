import { stepBlocks } from './blockColumn';
import type { Frame } from './frames';

/**
 * A run's frames as every reader sees them: a length, one frame by index, and each frame's time
 * and seqEnd on their own (what searches need). Readers go through this, not an array, so the run
 * is free to keep only some frames in memory and rebuild the others when asked.
 */
export interface FrameHistory {
  readonly length: number;
  get(i: number): Frame;
  /** Frame `i`, or undefined past either end. */
  at(i: number): Frame | undefined;
  /** The time of frame `i`, without needing the frame itself. */
  time(i: number): number;
  /** world.eventCount after frame `i`'s step: events with seq below it had happened. */
  seqEnd(i: number): number;
  /** Every frame, in order: for whole-run checks, not for drawing a moment. */
  all(): Frame[];
}

/**
 * Frame `i` made again by replaying the run (simulation.ts), with the frames around it that the
 * same replay makes anyway: `frames[k]` is frame `from + k`, and frame `i` is among them.
 */
export type FrameRebuilder = (i: number) => { from: number; frames: Frame[] };

export interface FrameWindow {
  /** Frames per chunk: what is dropped and rebuilt together. */
  readonly chunk: number;
  /** The latest this many frames are always kept: playing and stepping near the head never rebuild. */
  readonly head: number;
  /** Older chunks read lately, kept until this many newer reads push them out. */
  readonly recent: number;
}

/**
 * 512-frame chunks (about a simulated second of a busy 9-node run, as long as a checkpoint
 * interval): about 7 simulated seconds kept at the head, and 8 chunks around the view.
 */
export const DEFAULT_FRAME_WINDOW: FrameWindow = { chunk: 512, head: 8 * 512, recent: 8 };

/**
 * The frames of one run, in order: appended by the run, cut back by a fork. Each frame's time and
 * seqEnd are always kept (about 4 bytes a frame); the frames themselves only near the head, in the
 * chunks read lately and where a checkpoint was taken (`pin`). Past that, a chunk is dropped, and
 * rebuilt by `rebuild` when read again. With no `rebuild`, every frame is kept.
 */
export class FrameStore implements FrameHistory {
  private n = 0;
  // In blocks a fork shares with the run it left (blockColumn.ts), not copied: about 4 bytes a frame.
  private times = stepBlocks();
  private seqEnds = stepBlocks();
  /** Chunk c holds frames c·CHUNK… (sparse: a shadow run starts with one frame, far into its run). */
  private chunks: (Frame[] | undefined)[] = [];
  /** Frames kept whatever happens to their chunk: those a rebuild starts from. */
  private readonly pinned = new Map<number, Frame>();
  /** Chunks behind the head window kept because they were read, least recently read first. */
  private recentlyRead: number[] = [];
  rebuild: FrameRebuilder | null = null;

  constructor(readonly window: FrameWindow = DEFAULT_FRAME_WINDOW) {}

  /** A store that knows frames `0…index` exist but holds only frame `index` (a shadow run's start). */
  static from(window: FrameWindow, index: number, frame: Frame, times: FrameStore): FrameStore {
    const s = new FrameStore(window);
    s.n = index + 1;
    s.times = times.times.prefix(s.n);
    s.seqEnds = times.seqEnds.prefix(s.n);
    const chunk: Frame[] = [];
    chunk[index % window.chunk] = frame;
    s.chunks[Math.floor(index / window.chunk)] = chunk;
    s.pinned.set(index, frame);
    return s;
  }

  get length(): number {
    return this.n;
  }

  get last(): Frame {
    return this.get(this.n - 1);
  }

  get(i: number): Frame {
    const f = this.at(i);
    if (f === undefined) throw new RangeError(`no frame ${i} (the run has ${this.n})`);
    return f;
  }

  at(i: number): Frame | undefined {
    if (!(i >= 0 && i < this.n)) return undefined;
    const c = Math.floor(i / this.window.chunk);
    const held = this.chunks[c]?.[i - c * this.window.chunk];
    if (held !== undefined) {
      if (this.cold(c)) this.touch(c);
      return held;
    }
    return this.pinned.get(i) ?? this.load(i);
  }

  /** Frame `i` if it is in memory now, else undefined: nothing is rebuilt, and nothing counts as read. */
  peek(i: number): Frame | undefined {
    if (!(i >= 0 && i < this.n)) return undefined;
    const c = Math.floor(i / this.window.chunk);
    return this.chunks[c]?.[i - c * this.window.chunk] ?? this.pinned.get(i);
  }

  time(i: number): number {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`no frame ${i} (the run has ${this.n})`);
    return this.times.get(i);
  }

  seqEnd(i: number): number {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`no frame ${i} (the run has ${this.n})`);
    return this.seqEnds.get(i);
  }

  all(): Frame[] {
    return this.range(0, this.n);
  }

  /** Frames `from` to `to` (exclusive), in order. */
  range(from: number, to: number): Frame[] {
    const out: Frame[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.n); i++) out.push(this.get(i));
    return out;
  }

  /** Bytes of typed arrays held: every frame's time and seqEnd (outside what the JS heap's own count sees). */
  get bytes(): number {
    return this.times.bytes + this.seqEnds.bytes;
  }

  /** How many frames are held in memory now (pinned ones included). */
  get held(): number {
    let k = 0;
    for (const c of this.chunks) if (c) for (const f of c) if (f !== undefined) k++;
    for (const i of this.pinned.keys()) if (!this.chunks[Math.floor(i / this.window.chunk)]?.[i % this.window.chunk]) k++;
    return k;
  }

  push(frame: Frame): void {
    const i = this.n++;
    this.times.set(i, frame.time);
    this.seqEnds.set(i, frame.seqEnd);
    const c = Math.floor(i / this.window.chunk);
    (this.chunks[c] ??= [])[i - c * this.window.chunk] = frame;
    // The chunk that just left the head window goes, unless it was read lately.
    const left = Math.floor((this.n - this.window.head) / this.window.chunk) - 1;
    if (left >= 0 && (this.n - this.window.head) % this.window.chunk === 0 && !this.recentlyRead.includes(left)) this.drop(left);
  }

  /**
   * One more frame, known by its time and seqEnd only (a shadow run that remakes events: its
   * frames are never read). Reading it throws, as for any frame not held that cannot be rebuilt.
   */
  count(time: number, seqEnd: number): void {
    if (this.rebuild) throw new Error('a run that rebuilds its frames must keep each one it makes');
    const i = this.n++;
    this.times.set(i, time);
    this.seqEnds.set(i, seqEnd);
  }

  /** Keep frame `i` whatever happens to its chunk: a rebuild may start from it. */
  pin(i: number): void {
    this.pinned.set(i, this.get(i));
  }

  /** Stop keeping pinned frames other than `keep` (checkpoints thinned out). */
  pinOnly(keep: readonly number[]): void {
    const set = new Set(keep);
    for (const i of [...this.pinned.keys()]) if (!set.has(i)) this.pinned.delete(i);
  }

  /** A new store holding the first `n` frames (chunks and frames are shared, never copied). */
  prefix(n: number): FrameStore {
    const s = new FrameStore(this.window);
    s.n = Math.min(n, this.n);
    s.times = this.times.prefix(s.n);
    s.seqEnds = this.seqEnds.prefix(s.n);
    const last = Math.floor((s.n - 1) / this.window.chunk);
    s.chunks = this.chunks.slice(0, last + 1);
    if (s.chunks[last]) s.chunks[last] = s.chunks[last].slice(0, s.n - last * this.window.chunk);
    for (const [i, f] of this.pinned) if (i < s.n) s.pinned.set(i, f);
    s.recentlyRead = this.recentlyRead.filter((c) => c <= last);
    return s;
  }

  /** Keep only the first `n` frames, in place. */
  truncate(n: number): void {
    if (n >= this.n) return;
    this.n = n;
    const last = Math.floor((n - 1) / this.window.chunk);
    this.chunks.length = last + 1;
    const tail = this.chunks[last];
    if (tail) tail.length = Math.min(tail.length, n - last * this.window.chunk);
    for (const i of [...this.pinned.keys()]) if (i >= n) this.pinned.delete(i);
    this.recentlyRead = this.recentlyRead.filter((c) => c <= last);
  }

  /** Whether chunk `c` lies wholly before the head window (so it may be dropped). */
  private cold(c: number): boolean {
    return (c + 1) * this.window.chunk <= this.n - this.window.head;
  }

  private drop(c: number): void {
    if (this.rebuild && this.cold(c)) this.chunks[c] = undefined;
  }

  private touch(c: number): void {
    const at = this.recentlyRead.indexOf(c);
    if (at >= 0) this.recentlyRead.splice(at, 1);
    this.recentlyRead.push(c);
    while (this.recentlyRead.length > this.window.recent) this.drop(this.recentlyRead.shift()!);
  }

  /** Rebuild frame `i`, keeping every frame the replay made with it (their chunks count as read). */
  private load(i: number): Frame {
    if (!this.rebuild) throw new RangeError(`frame ${i} is not held and this run cannot rebuild it`);
    const { from, frames } = this.rebuild(i);
    const size = this.window.chunk;
    const touched: number[] = [];
    for (let k = 0; k < frames.length; k++) {
      const at = from + k;
      if (at >= this.n) break;
      const c = Math.floor(at / size);
      if (touched[touched.length - 1] !== c) touched.push(c);
      // A frame still held stays the object readers have (the replay's copy is equal).
      (this.chunks[c] ??= [])[at - c * size] ??= frames[k];
    }
    const frame = this.chunks[Math.floor(i / size)]?.[i % size] ?? frames[i - from];
    if (frame === undefined) throw new RangeError(`rebuilding frame ${i} did not make it`);
    // The chunk read is touched last, so it is the last of them to be dropped again.
    const own = Math.floor(i / size);
    for (const c of touched) if (c !== own && this.cold(c)) this.touch(c);
    if (this.cold(own)) this.touch(own);
    return frame;
  }
}
