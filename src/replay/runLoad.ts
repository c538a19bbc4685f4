import type { SqlJsStatic } from 'sql.js';
import { limitsFor } from './checkpoints';
import { Simulation, type AnswerSink, type RunKind } from './simulation';
import type { RunRecord } from './types';

/** Steps run between two questions of `enough()` once the inputs are in and the run goes on to its head. */
const HEAD_SLICE = 256;

/**
 * A recorded run being rebuilt, a slice at a time: exactly what `Simulation.replay` up to the run's
 * moment followed by `runTo(head)` would make, but the caller decides when to stop and give the
 * page back (a 30-minute session took 31 s to replay, all of it one frozen task).
 */
export class RunLoad {
  readonly sim: Simulation;
  /** The frame replay must reach: the moment on screen, or the last input if that came later. */
  readonly target: number;
  private next = 0;
  private phase: 'inputs' | 'head' | 'done' = 'inputs';
  /** No frame of a recorded run comes later than its head or its last input: past this, its frames lie. */
  private readonly latest: number;

  constructor(
    SQL: SqlJsStatic,
    readonly run: RunRecord,
    onAnswer: AnswerSink,
    prepare?: (sim: Simulation) => void,
    kind?: RunKind,
  ) {
    this.sim = new Simulation(SQL, run.options, onAnswer, limitsFor(run.head), kind);
    prepare?.(this.sim);
    const lastInput = run.inputs.length > 0 ? run.inputs[run.inputs.length - 1].frame : 0;
    this.target = Math.max(run.frame, lastInput);
    this.latest = Math.max(run.head, run.inputs.at(-1)?.time ?? 0);
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  /** Simulated time replayed so far, and how far the run went: what a progress bar shows. */
  get progress(): { at: number; of: number } {
    const lastTime = this.run.inputs.length > 0 ? this.run.inputs[this.run.inputs.length - 1].time : 0;
    const of = Math.max(this.run.head, lastTime);
    return { at: Math.min(this.sim.now, of), of };
  }

  /** Replay on until finished or `enough()`; true once the run stands where it was recorded. */
  advance(enough: () => boolean): boolean {
    if (this.phase === 'inputs') {
      // A file whose frames are not reached by their times would replay on and on (the frame bound
      // is generous: runBounds.ts); it is refused once the simulation passes every time it names.
      const r = this.sim.replaySlice(this.run.inputs, this.next, this.target, () => this.sim.now > this.latest || enough());
      this.next = r.next;
      if (this.sim.now > this.latest && this.sim.frames.length <= this.target) {
        const at = this.run.inputs[this.next]?.frame ?? this.target;
        throw new Error(`its frame ${at} is not reached by ${this.latest} ms, the latest time it names`);
      }
      if (!r.done) return false;
      this.phase = 'head';
    }
    if (this.phase === 'head') {
      const world = this.sim.cluster.world;
      while (world.nextTime() <= this.run.head) {
        this.sim.runTo(this.run.head, HEAD_SLICE);
        if (world.nextTime() <= this.run.head && enough()) return false;
      }
      this.sim.runTo(this.run.head);
      this.phase = 'done';
    }
    return true;
  }
}
