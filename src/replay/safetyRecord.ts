import { INVARIANTS, SafetyMonitor, type Invariant, type MonitorMark, type Violation } from '../check/safety';
import type { Cluster } from '../cluster/cluster';
import { stepBlocks } from './blockColumn';

/** Reports kept in all, as the headless runner keeps: a broken property is reported again at every step it stays broken. */
export const MAX_REPORTS = 20;

/** What the Safety panel shows for one invariant at the moment on screen. */
export interface InvariantStatus {
  readonly invariant: Invariant;
  /** The first violation of this invariant at or before the moment on screen, if any. */
  readonly first: Violation | null;
  /** Reports of this invariant up to the moment on screen (the monitor stops after MAX_REPORTS in all). */
  readonly count: number;
  /** The first violation found later in the recorded history (the simulation runs ahead of the view). */
  readonly later: Violation | null;
}

export interface SafetyMark {
  readonly monitor: MonitorMark;
  readonly reported: number;
}

/**
 * The page's safety monitor: the same SafetyMonitor the headless runner attaches, plus how many
 * states it had checked by each frame, so the panel can show the monitor as it stood at any moment
 * of the history. It is built with the Simulation, so a replay (fork, load, share link) rebuilds it
 * by checking the same states again rather than by restoring a copy.
 */
export class SafetyRecord {
  readonly monitor: SafetyMonitor;
  /**
   * checkedBy[f] = states checked when frame f was captured; 0 for frames a step did not make. In
   * blocks a fork shares with the record it resumes from (blockColumn.ts), not copied.
   */
  private checkedBy = stepBlocks();
  /** Violations already handed to `onViolation`. */
  private reported = 0;

  constructor(
    cluster: Cluster,
    /** The index the next frame will get: a check runs inside a step, before its frame is pushed. */
    private readonly nextFrame: () => number,
    onViolation: (v: Violation) => void,
  ) {
    this.monitor = new SafetyMonitor(cluster, 1, MAX_REPORTS);
    // Registered after the monitor, so this runs right after its check of the same state.
    cluster.observe({
      onEvent: () => {
        this.checkedBy.set(this.nextFrame(), this.monitor.statesChecked);
        const found = this.monitor.found;
        while (this.reported < found.length) onViolation(found[this.reported++]);
      },
    });
  }

  mark(): SafetyMark {
    return { monitor: this.monitor.mark(), reported: this.reported };
  }

  /**
   * Continue from a mark taken when frame `frame` was the last: `source` is a record of the same
   * run (or of one that agreed with it up to there), whose per-frame counts are copied up to it.
   */
  resume(source: SafetyRecord, m: SafetyMark, frame: number): void {
    this.monitor.resume(source.monitor, m.monitor);
    this.reported = m.reported;
    this.checkedBy = source.checkedBy.prefix(frame + 1);
  }

  /** Bytes of typed arrays held: the states checked by each frame. */
  get bytes(): number {
    return this.checkedBy.bytes;
  }

  get violations(): readonly Violation[] {
    return this.monitor.found;
  }

  /** States checked by frame `f` (frames made by an input rather than a step carry the count before them). */
  checkedAt(f: number): number {
    for (let i = Math.min(f, this.checkedBy.length - 1); i > 0; i--) if (this.checkedBy.get(i) !== 0) return this.checkedBy.get(i);
    return 0;
  }

  /** Each invariant's status once every event before `seqEnd` has happened. */
  statusAt(seqEnd: number): InvariantStatus[] {
    return INVARIANTS.map((invariant) => {
      let first: Violation | null = null;
      let later: Violation | null = null;
      let count = 0;
      for (const v of this.monitor.found) {
        if (v.invariant !== invariant) continue;
        if (v.event < seqEnd) {
          first ??= v;
          count++;
        } else later ??= v;
      }
      return { invariant, first, count, later };
    });
  }

  /** The earliest violation of any invariant in the whole recorded history. */
  firstViolation(): Violation | null {
    let best: Violation | null = null;
    for (const v of this.monitor.found) if (!best || v.event < best.event) best = v;
    return best;
  }
}
