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
  /**
   * The requests and the answers in the order they were added (so by mark position): a fork cuts
   * what came after it off their ends, without reading the marks it cuts. `prev`: the position
   * of the request the call id named before this one, if any (put back when this one is cut).
   */
  private readonly requestLog: { readonly call: number; readonly seq: number; readonly pos: number; readonly prev: number | undefined }[] = [];
  private readonly answerLog: { readonly request: number; readonly pos: number }[] = [];

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
    this.requestLog.push({ call, seq, pos, prev: this.requests.get(call) });
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
    this.answerLog.push({ request, pos });
    this.answers.set(request, pos);
  }

  /** Forget the requests and answers whose marks are at positions `n` and over (a fork cut them off). */
  truncate(n: number): void {
    const { requestLog, answerLog } = this;
    while (answerLog.length > 0 && answerLog[answerLog.length - 1].pos >= n) {
      const a = answerLog.pop()!;
      if (this.answers.get(a.request) === a.pos) this.answers.delete(a.request);
    }
    while (requestLog.length > 0 && requestLog[requestLog.length - 1].pos >= n) {
      const r = requestLog.pop()!;
      this.bySeq.delete(r.seq);
      if (this.requests.get(r.call) !== r.pos) continue;
      if (r.prev === undefined) this.requests.delete(r.call);
      else this.requests.set(r.call, r.prev);
    }
  }
}
