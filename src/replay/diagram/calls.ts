import type { MarkStore } from './markStore';
import type { Mark } from './types';

/** A client request as the diagram knows it: its `client` mark and, once answered, its answer mark. */
export interface ClientCallInfo {
  readonly call: number;
  readonly request: Mark;
  readonly answer: Mark | null;
}

/**
 * The client requests of a run, by call id, as positions of their marks in the (non-routine)
 * mark store: a `ClientCallInfo` is made when one is asked for.
 */
export class CallIndex {
  /** Call id → its request mark's position (the latest request under that id). */
  private readonly requests = new Map<number, number>();
  /** A request mark's event seq → its position: how an answer record finds its request. */
  private readonly bySeq = new Map<number, number>();
  /** A request mark's position → its answer mark's position. */
  private readonly answers = new Map<number, number>();

  constructor(private readonly marks: MarkStore) {}

  get size(): number {
    return this.requests.size;
  }

  get(call: number): ClientCallInfo | undefined {
    const request = this.requests.get(call);
    return request === undefined ? undefined : this.info(call, request);
  }

  *values(): IterableIterator<ClientCallInfo> {
    for (const [call, request] of this.requests) yield this.info(call, request);
  }

  private info(call: number, request: number): ClientCallInfo {
    const answer = this.answers.get(request);
    return { call, request: this.marks.at(request), answer: answer === undefined ? null : this.marks.at(answer) };
  }

  addRequest(call: number, seq: number, pos: number): void {
    this.requests.set(call, pos);
    this.bySeq.set(seq, pos);
  }

  /** The position of the request mark logged as event `seq`. */
  requestOfSeq(seq: number): number | undefined {
    return this.bySeq.get(seq);
  }

  /** The call id of the request mark at `pos`. */
  callAt(pos: number): number {
    const d = this.marks.detail(pos);
    if (d.kind !== 'client') throw new RangeError(`mark ${pos} is not a client request`);
    return d.call;
  }

  addAnswer(request: number, pos: number): void {
    this.answers.set(request, pos);
  }

  /** Undo `addRequest` of the request mark at `pos` (a fork cut it off). */
  forgetRequest(call: number, pos: number): void {
    const request = this.requests.get(call);
    this.requests.delete(call);
    if (request === undefined) return;
    const seq = this.marks.seq(request);
    if (seq !== null) this.bySeq.delete(seq);
    this.answers.delete(pos);
  }

  /** Undo the answer of `call` (a fork cut it off). */
  forgetAnswer(call: number): void {
    const request = this.requests.get(call);
    if (request !== undefined) this.answers.delete(request);
  }
}
