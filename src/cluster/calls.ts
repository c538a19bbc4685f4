import type { Answer } from './types';

/**
 * What a host names a call by, so a checkpoint can copy a call still waiting for its answer and a
 * run resumed from it can give the answer to the same listener (Cluster.restore's `revive`). Plain
 * numbers: a checkpoint keeps it as it is.
 */
export type CallTag = Readonly<Record<string, number>>;

/** One client request in flight: answered exactly once, by its result or by its deadline. */
export class ClientCall {
  answered = false;
  sawLeader = false;
  answer: Answer | null = null;

  /** `done` null: nobody listens for the answer (a flushed batch of queued writes). */
  constructor(
    readonly id: number,
    readonly node: string,
    readonly deadline: number,
    private readonly done: ((a: Answer) => void) | null,
    readonly tag: CallTag | null = null,
  ) {}

  /** Whether a checkpoint can copy this call: its answer is given, unheard, or goes to a listener the host can name again. */
  get copyable(): boolean {
    return this.answered || this.done === null || this.tag !== null;
  }

  resolve(a: Answer): void {
    if (this.answered) return;
    this.answered = true;
    this.answer = a;
    this.done?.(a);
  }
}
