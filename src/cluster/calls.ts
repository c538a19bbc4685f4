import type { Answer } from './types';

/** One client request in flight: answered exactly once, by its result or by its deadline. */
export class ClientCall {
  answered = false;
  sawLeader = false;
  answer: Answer | null = null;

  constructor(
    readonly id: number,
    readonly node: string,
    readonly deadline: number,
    private readonly done: (a: Answer) => void,
  ) {}

  resolve(a: Answer): void {
    if (this.answered) return;
    this.answered = true;
    this.answer = a;
    this.done(a);
  }
}
