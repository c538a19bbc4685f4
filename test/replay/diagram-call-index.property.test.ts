import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallIndex } from '../../src/replay/diagram/calls';
import { Interner } from '../../src/replay/diagram/columns';
import { MarkStore } from '../../src/replay/diagram/markStore';

/**
 * The index as it was: three maps (call id → latest request position, request seq → position,
 * request position → answer position), cut back as CallIndex.truncate cut them.
 */
class MapIndex {
  requests = new Map<number, number>();
  bySeq = new Map<number, number>();
  answers = new Map<number, number>();
  private requestLog: { call: number; seq: number; pos: number; prev: number }[] = [];
  private answerLog: { request: number; pos: number }[] = [];

  addRequest(call: number, seq: number, pos: number): void {
    this.requestLog.push({ call, seq, pos, prev: this.requests.get(call) ?? -1 });
    this.requests.set(call, pos);
    this.bySeq.set(seq, pos);
  }

  addAnswer(request: number, pos: number): void {
    this.answerLog.push({ request, pos });
    this.answers.set(request, pos);
  }

  truncate(n: number): void {
    while (this.answerLog.length > 0 && this.answerLog[this.answerLog.length - 1].pos >= n) {
      const a = this.answerLog.pop()!;
      if (this.answers.get(a.request) === a.pos) this.answers.delete(a.request);
    }
    while (this.requestLog.length > 0 && this.requestLog[this.requestLog.length - 1].pos >= n) {
      const r = this.requestLog.pop()!;
      this.bySeq.delete(r.seq);
      if (this.requests.get(r.call) !== r.pos) continue;
      if (r.prev < 0) this.requests.delete(r.call);
      else this.requests.set(r.call, r.prev);
    }
  }
}

// A request (under one of a few call ids, so some are asked again), an answer to the request
// `which` of those made so far, a mark of another kind, or a fork keeping the first `keep` marks.
const op = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), call: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('answer' as const), which: fc.nat(), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('other' as const) }),
  fc.record({ kind: fc.constant('fork' as const), keep: fc.nat() }),
);

describe('the diagram\'s index of client calls', () => {
  it('answers as the maps it replaced, through requests asked again, answers and forks', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const marks = new MarkStore(false, new Interner<string>(8));
        const calls = new CallIndex(marks);
        const ref = new MapIndex();
        let seq = 0;
        let frame = 0;
        for (const o of ops) {
          frame++;
          seq += 1 + (frame % 3);
          if (o.kind === 'request') {
            const pos = marks.push({ id: seq, seq, frame, time: frame, lane: 'n1', detail: { kind: 'client', call: o.call, op: 'execute', sql: ['x'] }, routine: false });
            calls.addRequest(o.call, seq, pos);
            ref.addRequest(o.call, seq, pos);
          } else if (o.kind === 'answer') {
            const seqs = [...ref.bySeq.keys()];
            if (seqs.length === 0) continue;
            const asked = seqs[o.which % seqs.length];
            const request = calls.requestOfSeq(asked);
            expect(request).toBe(ref.bySeq.get(asked));
            const call = calls.callAt(request!);
            const pos = marks.push({ id: `answer@${frame}:${call}`, seq: null, frame, time: frame, lane: 'n1', detail: { kind: 'answer', call, ok: o.ok, index: null, clientSeq: asked }, routine: false });
            calls.addAnswer(request!, pos);
            ref.addAnswer(request!, pos);
          } else if (o.kind === 'other') {
            marks.push({ id: seq, seq, frame, time: frame, lane: 'n1', detail: { kind: 'commit', from: 1, to: 2 }, routine: false });
          } else {
            const keep = o.keep % (marks.length + 1);
            calls.truncate(keep);
            ref.truncate(keep);
            marks.truncate(keep);
          }
          expect(calls.size).toBe(ref.requests.size);
          const expected = [...ref.requests].map(([call, request]) => {
            const answer = ref.answers.get(request);
            return { call, request: marks.at(request), answer: answer === undefined ? null : marks.at(answer) };
          });
          expect([...calls.values()]).toEqual(expected);
          for (const { call } of expected) expect(calls.get(call)).toEqual(expected.find((x) => x.call === call));
          for (let s = 0; s <= seq; s++) expect(calls.requestOfSeq(s)).toBe(ref.bySeq.get(s));
        }
      }),
      { numRuns: 300 },
    );
  });
});
