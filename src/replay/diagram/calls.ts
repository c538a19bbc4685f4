import { float64, int32 } from './columns';
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
   * The requests and the answers in the order they were added (so by mark position), as columns:
   * a fork cuts what came after it off their ends, without reading the marks it cuts. A request's
   * `prev`: the position of the request the call id named before this one, -1 for none (put back
   * when this one is cut).
   */
  private readonly requestLog = { n: 0, call: float64(), seq: float64(), pos: int32(), prev: int32() };
  private readonly answerLog = { n: 0, request: int32(), pos: int32() };

  constructor(private readonly marks: MarkStore) {}

  get size(): number {
    return this.requests.size;
  }

  /** Bytes of the logs' typed arrays (room not yet used included). */
  get bytes(): number {
    const { requestLog: r, answerLog: a } = this;
    return [r.call, r.seq, r.pos, r.prev, a.request, a.pos].reduce((n, c) => n + c.bytes, 0);
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
    const log = this.requestLog;
    const i = log.n++;
    for (const c of [log.call, log.seq, log.pos, log.prev]) c.ensure(i);
    log.call.data[i] = call;
    log.seq.data[i] = seq;
    log.pos.data[i] = pos;
    log.prev.data[i] = this.requests.get(call) ?? -1;
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
    const log = this.answerLog;
    const i = log.n++;
    log.request.ensure(i);
    log.pos.ensure(i);
    log.request.data[i] = request;
    log.pos.data[i] = pos;
    this.answers.set(request, pos);
  }

  /** Forget the requests and answers whose marks are at positions `n` and over (a fork cut them off). */
  truncate(n: number): void {
    const { requestLog: r, answerLog: a } = this;
    while (a.n > 0 && a.pos.data[a.n - 1] >= n) {
      const i = --a.n;
      const request = a.request.data[i];
      if (this.answers.get(request) === a.pos.data[i]) this.answers.delete(request);
    }
    while (r.n > 0 && r.pos.data[r.n - 1] >= n) {
      const i = --r.n;
      const call = r.call.data[i];
      const prev = r.prev.data[i];
      this.bySeq.delete(r.seq.data[i]);
      if (this.requests.get(call) !== r.pos.data[i]) continue;
      if (prev < 0) this.requests.delete(call);
      else this.requests.set(call, prev);
    }
  }
}
