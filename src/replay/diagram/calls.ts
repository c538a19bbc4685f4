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
  /**
   * The requests and the answers in the order they were added (so by mark position), as columns:
   * a fork cuts what came after it off their ends, without reading the marks it cuts. A request's
   * `prev`: the position of the request the call id named before this one, -1 for none (put back
   * when this one is cut). Its `answer`: its answer mark's position, -1 for none.
   *
   * Requests are added in event order, so both their seqs and their positions increase along the
   * log: a request is found by either by bisecting it, where two maps by seq and by position cost
   * about 100 bytes of heap a call (0.06 MB a simulated minute at 10 writes/s).
   */
  private readonly requestLog = { n: 0, call: float64(), seq: float64(), pos: int32(), prev: int32(), answer: int32() };
  private readonly answerLog = { n: 0, request: int32(), pos: int32() };

  constructor(private readonly marks: MarkStore) {}

  get size(): number {
    return this.requests.size;
  }

  /** Bytes of the logs' typed arrays (room not yet used included). */
  get bytes(): number {
    const { requestLog: r, answerLog: a } = this;
    return [r.call, r.seq, r.pos, r.prev, r.answer, a.request, a.pos].reduce((n, c) => n + c.bytes, 0);
  }

  get(call: number): ClientCallInfo | undefined {
    const request = this.requests.get(call);
    return request === undefined ? undefined : this.info(call, request);
  }

  *values(): IterableIterator<ClientCallInfo> {
    for (const [call, request] of this.requests) yield this.info(call, request);
  }

  private info(call: number, request: number): ClientCallInfo {
    const answer = this.requestLog.answer.data[this.rowOf(this.requestLog.pos.data, request)];
    return { call, request: this.marks.at(request), answer: answer < 0 ? null : this.marks.at(answer) };
  }

  addRequest(call: number, seq: number, pos: number): void {
    const log = this.requestLog;
    const i = log.n;
    if (i > 0 && !(seq > log.seq.data[i - 1] && pos > log.pos.data[i - 1])) throw new RangeError(`a client request (seq ${seq}, mark ${pos}) added before the last one`);
    log.n++;
    for (const c of [log.call, log.seq, log.pos, log.prev, log.answer]) c.ensure(i);
    log.call.data[i] = call;
    log.seq.data[i] = seq;
    log.pos.data[i] = pos;
    log.prev.data[i] = this.requests.get(call) ?? -1;
    log.answer.data[i] = -1;
    this.requests.set(call, pos);
  }

  /** The row of the request log whose `column` (seqs or positions, increasing) holds `v`, or -1. */
  private rowOf(column: Float64Array | Int32Array, v: number): number {
    let lo = 0;
    let hi = this.requestLog.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (column[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.requestLog.n && column[lo] === v ? lo : -1;
  }

  /** The position of the request mark logged as event `seq`. */
  requestOfSeq(seq: number): number | undefined {
    const row = this.rowOf(this.requestLog.seq.data, seq);
    return row < 0 ? undefined : this.requestLog.pos.data[row];
  }

  /** The call id of the request mark at `pos`. */
  callAt(pos: number): number {
    const d = this.marks.detail(pos);
    if (d.kind !== 'client') throw new RangeError(`mark ${pos} is not a client request`);
    return d.call;
  }

  /** Answer the request mark at `request` (a position `requestOfSeq` gave) with the answer mark at `pos`. */
  addAnswer(request: number, pos: number): void {
    const row = this.rowOf(this.requestLog.pos.data, request);
    if (row < 0) throw new RangeError(`no client request at mark ${request}`);
    const log = this.answerLog;
    const i = log.n++;
    log.request.ensure(i);
    log.pos.ensure(i);
    log.request.data[i] = request;
    log.pos.data[i] = pos;
    this.requestLog.answer.data[row] = pos;
  }

  /** Forget the requests and answers whose marks are at positions `n` and over (a fork cut them off). */
  truncate(n: number): void {
    const { requestLog: r, answerLog: a } = this;
    while (a.n > 0 && a.pos.data[a.n - 1] >= n) {
      const i = --a.n;
      const row = this.rowOf(r.pos.data, a.request.data[i]);
      if (r.answer.data[row] === a.pos.data[i]) r.answer.data[row] = -1;
    }
    while (r.n > 0 && r.pos.data[r.n - 1] >= n) {
      const i = --r.n;
      const call = r.call.data[i];
      const prev = r.prev.data[i];
      if (this.requests.get(call) !== r.pos.data[i]) continue;
      if (prev < 0) this.requests.delete(call);
      else this.requests.set(call, prev);
    }
  }
}
