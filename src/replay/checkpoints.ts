import type { ClusterCheckpoint } from '../cluster/cluster';
import type { ServerCheckpoint } from '../cluster/server';
import type { Settle } from '../cluster/operate';
import type { FileBytes } from '../db/fileBytes';
import { EntryTable } from './entryTable';
import { liveServer } from './pagedSnapshot';
import { ServerPacker, type PackedServers } from './packedServers';
import { newKeeper, shareImages } from './shareImages';
import type { SafetyMark } from './safetyRecord';
import type { SimEvent } from './runTypes';

/**
 * A moment of a recorded run that a fork (or a second look at the past) can resume from instead of
 * replaying the run from its start. The cluster's state is copied; the run's records (frames, the
 * event log, markers, answers) are kept as their lengths, because a later state of the same run
 * begins with the same records: the fork takes them from the run it leaves.
 */
export interface SimCheckpoint {
  /** The last frame when it was taken (always right after a step). */
  readonly frame: number;
  readonly time: number;
  /**
   * The cluster's state, each server's latest event read back by `eventAt` (the run's event log,
   * where it is kept), or known by its seq alone with null (a shadow, which only remakes later history).
   */
  clusterWith(eventAt: EventAt | null): ClusterCheckpoint;
  /** Events logged before it (world.eventCount): where the run's event chunks are sealed. */
  readonly events: number;
  readonly inputs: number;
  readonly markers: number;
  readonly answers: number;
  readonly maxLatency: number;
  readonly settledAt: readonly (readonly [number, number])[];
  /** Transfers, joins and removals still waiting to settle: input index, and what for. */
  readonly unsettled: readonly { readonly input: number; readonly settle: Settle }[];
  readonly safety: SafetyMark;
  /**
   * The distinct database files its images hold (equal images of nodes are one file; a node's
   * export is held again, unchanged or with writes pending, by the checkpoints after it), each
   * kept as pages shared with the other checkpoints' files (pagedFiles.ts).
   */
  readonly images: readonly FileBytes[];
  /**
   * Bytes of every node's image, shared or not: about what one interval's exports cost (made ahead,
   * exportAhead.ts, or at the checkpoint), which spaces the checkpoints of large databases.
   */
  readonly exported: number;
}

/** Reads a logged event of the run back by its seq. */
export type EventAt = (seq: number) => SimEvent;

/** A checkpoint as taken, before the run keeps it (`Checkpoints.pack`). */
export type TakenCheckpoint = Omit<SimCheckpoint, 'clusterWith'> & { readonly cluster: ClusterCheckpoint };

/** Simulated time between checkpoints at first; doubled each time the list is thinned. */
export const CHECKPOINT_EVERY_MS = 1_000;
/**
 * Exporting is the cost of a checkpoint while the page plays: past this many bytes exported per
 * simulated second (large tables on many nodes), checkpoints are spaced further apart.
 */
export const EXPORT_BYTES_PER_SECOND = 2 * 1024 * 1024;
/** A checkpoint that could not be taken (a call without a tag in flight) is tried again this much later. */
const RETRY_MS = 5;
/** Bounds on what the checkpoints of one run hold: past either, every other one is dropped. */
export const MAX_CHECKPOINTS = 1024;
export const MAX_CHECKPOINT_BYTES = 96 * 1024 * 1024;

export interface CheckpointLimits {
  readonly every: number;
  readonly count: number;
  readonly bytes: number;
}

const defaultLimits: CheckpointLimits = { every: CHECKPOINT_EVERY_MS, count: MAX_CHECKPOINTS, bytes: MAX_CHECKPOINT_BYTES };

/**
 * The limits for replaying a run `duration` simulated ms long from its start (a reload): checkpoints
 * spaced from the start as the count bound leaves them by its end. Spaced a second apart at first, a
 * replay of a 30-minute run took 1,412 checkpoints (each exports every node's database that changed)
 * to keep 899 of them.
 */
export function limitsFor(duration: number): CheckpointLimits {
  let every = defaultLimits.every;
  while (duration / every > defaultLimits.count) every *= 2;
  return { ...defaultLimits, every };
}

/**
 * A checkpoint as a run keeps it: its servers packed (packedServers.ts), made again whenever the
 * cluster is read. A class with the fields written out, not a spread with a getter: the closure and
 * the object a spread builds held 0.1 MB a simulated minute more (the bench's heap row, 4.2 → 4.3 MB).
 *
 * Each server's latest event is kept by its seq (and how many decisions it had), not as the event:
 * the run's event log pins every such event at the checkpoint's seal (eventWindow.ts) and gives it
 * back, rebuilt if need be, while nine events and their decisions kept here held 7 KB a checkpoint,
 * 0.4 MB a simulated minute at one checkpoint a second.
 */
class PackedCheckpoint implements SimCheckpoint {
  readonly frame: number;
  readonly time: number;
  readonly events: number;
  readonly inputs: number;
  readonly markers: number;
  readonly answers: number;
  readonly maxLatency: number;
  readonly settledAt: readonly (readonly [number, number])[];
  /** Transfers, joins and removals still waiting to settle: input index, and what for. */
  readonly unsettled: readonly { readonly input: number; readonly settle: Settle }[];
  readonly safety: SafetyMark;
  readonly images: readonly FileBytes[];
  readonly exported: number;
  private readonly shell: Omit<ClusterCheckpoint, 'servers' | 'world'>;
  private readonly world: Omit<ClusterCheckpoint['world'], 'lastOf'>;
  /** Each server's latest event: server, seq, and how many decisions it had then. */
  private readonly latest: readonly (readonly [string, number, number])[];

  constructor(
    cp: TakenCheckpoint,
    private readonly servers: PackedServers,
  ) {
    ({ frame: this.frame, time: this.time, events: this.events, inputs: this.inputs, markers: this.markers, answers: this.answers } = cp);
    ({ maxLatency: this.maxLatency, settledAt: this.settledAt, unsettled: this.unsettled, safety: this.safety, images: this.images, exported: this.exported } = cp);
    const { world, router, queue, calls, held, recordedConfig, recordedConfigIndex } = cp.cluster;
    this.shell = { router, queue, calls, held, recordedConfig, recordedConfigIndex };
    const { lastOf, ...rest } = world;
    this.world = rest;
    this.latest = lastOf.map(([node, e, decided]) => [node, typeof e === 'number' ? e : e.seq, decided]);
  }

  clusterWith(eventAt: EventAt | null): ClusterCheckpoint {
    const lastOf = this.latest.map(([node, seq, decided]): [string, SimEvent | number, number] => [node, eventAt ? eventAt(seq) : seq, decided]);
    // A process restored from a kept snapshot reads its bytes from a copy of its own (pagedSnapshot.ts).
    const servers = this.servers.unpack().map(([id, s]): [string, ServerCheckpoint] => [id, liveServer(s)]);
    return { ...this.shell, world: { ...this.world, lastOf }, servers };
  }
}

/**
 * The checkpoints of one run, oldest first, bounded in number and bytes: when a bound is passed,
 * every other checkpoint is dropped and the spacing doubles, so a fork never replays more than
 * one (current) spacing of simulated time, plus the rare wait for a moment when everything in flight
 * can be copied (a client call made without a tag; see Cluster.checkpoint).
 */
export class Checkpoints {
  private list: SimCheckpoint[] = [];
  private every: number;
  /** How many checkpoints hold each distinct file, and the distinct pages of those files. */
  private held = new Map<FileBytes, number>();
  /** The pages of those files, and what was kept for each node's own files and snapshots (shareImages). */
  private keeper = newKeeper();
  /** The log entries these checkpoints hold, one table for all (a fork starts its own). */
  readonly entries = new EntryTable();
  private packer = new ServerPacker();
  /** Simulated time at which the next checkpoint is due. */
  nextAt: number;

  constructor(readonly limits: CheckpointLimits = defaultLimits) {
    this.every = limits.every;
    this.nextAt = limits.every;
  }

  get all(): readonly SimCheckpoint[] {
    return this.list;
  }

  get spacing(): number {
    return this.every;
  }

  /** Bytes of the distinct pages of the files the checkpoints hold. */
  get totalBytes(): number {
    return this.keeper.pages.bytes;
  }

  /** How many distinct database files the checkpoints hold. */
  get files(): number {
    return this.held.size;
  }

  /** A cluster's checkpoint with its images and logs shared as these checkpoints keep them (shareImages.ts). */
  share(cp: ClusterCheckpoint): ReturnType<typeof shareImages> {
    return shareImages(cp, this.entries, this.keeper);
  }

  /**
   * Keep a node's export now, as pages, for the checkpoint due next (exportAhead.ts): its pages are
   * hashed in the frame that exported it. Keeping the export of a 100,000-row table (2.2 MB) takes
   * about 2.6 ms (headless): kept at the checkpoint, nine nodes' made that one frame some 24 ms longer.
   */
  keepAhead(bytes: FileBytes): void {
    if (bytes instanceof Uint8Array && !this.keeper.twins.has(bytes)) this.keeper.twins.set(bytes, this.keeper.pages.keep(bytes));
  }

  /** `cp` as the run keeps it, its servers packed (packedServers.ts): what `add` is then given. */
  pack(cp: TakenCheckpoint): SimCheckpoint {
    return new PackedCheckpoint(cp, this.packer.pack(cp.cluster.servers));
  }

  add(cp: SimCheckpoint): void {
    this.list.push(cp);
    this.hold(cp, 1);
    this.keeper.pages.settle();
    while (this.list.length > 1 && (this.list.length > this.limits.count || this.totalBytes > this.limits.bytes)) this.thin();
    this.nextAt = this.after(cp);
  }

  /** Forget every checkpoint, freeing what they hold: a fork then replays from the start. */
  drop(): void {
    this.list = [];
    this.held.clear();
    this.keeper = newKeeper();
    this.entries.reset();
    this.packer = new ServerPacker();
  }

  /** The moment was not quiet enough: try again a little later. */
  missed(now: number): void {
    this.nextAt = now + RETRY_MS;
  }

  private thin(): void {
    this.list.forEach((c, i) => i % 2 === 0 && this.hold(c, -1));
    this.list = this.list.filter((_, i) => i % 2 === 1);
    this.every *= 2;
  }

  /** Count `cp`'s files as held once more (or, with -1, once less). */
  private hold(cp: SimCheckpoint, by: 1 | -1): void {
    for (const file of cp.images) {
      const n = (this.held.get(file) ?? 0) + by;
      if (n > 0) this.held.set(file, n);
      else this.held.delete(file);
      // The first checkpoint to hold a file holds its pages, the last to let it go lets them go.
      if (n === (by > 0 ? 1 : 0)) this.keeper.pages.hold(file, by);
    }
  }

  /** The latest checkpoint taken when at most `seq` events had been logged, or null. */
  atOrBeforeSeq(seq: number): SimCheckpoint | null {
    const k = this.countBy((c) => c.events <= seq);
    return k > 0 ? this.list[k - 1] : null;
  }

  /** The earliest checkpoint taken after event `seq` was logged, if any. */
  firstAfterSeq(seq: number): SimCheckpoint | null {
    return this.list[this.countBy((c) => c.events <= seq)] ?? null;
  }

  /** How many checkpoints, from the oldest, satisfy `before` (true for a prefix of the list). */
  private countBy(before: (c: SimCheckpoint) => boolean): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.list[mid])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The earliest checkpoint taken after frame `frame`, if any. */
  firstAfter(frame: number): SimCheckpoint | null {
    return this.list[this.countUpTo(frame)] ?? null;
  }

  /** The latest checkpoint at or before `frame`, or null. */
  atOrBefore(frame: number): SimCheckpoint | null {
    const k = this.countUpTo(frame);
    return k > 0 ? this.list[k - 1] : null;
  }

  /** How many checkpoints were taken at or before frame `frame` (the list is in frame order). */
  private countUpTo(frame: number): number {
    return this.countBy((c) => c.frame <= frame);
  }

  /** Take over `other`'s checkpoints up to `last` (a fork shares its past with the run it left). */
  inherit(other: Checkpoints, last: SimCheckpoint): void {
    this.list = other.list.filter((c) => c.frame <= last.frame);
    this.held.clear();
    this.keeper = newKeeper();
    for (const c of this.list) this.hold(c, 1);
    this.every = other.every;
    this.nextAt = this.after(last);
  }

  private after(cp: SimCheckpoint): number {
    return cp.time + Math.max(this.every, (cp.exported / EXPORT_BYTES_PER_SECOND) * 1000);
  }
}
