/**
 * The search's report on small hand-made histories: what it says when nothing could be
 * linearized, when it had to backtrack, when there is nothing to do, and that a decided search
 * stays decided. The labelled histories are in linearizability-search.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { zobrist } from '../../src/check/linearizability/cache';
import { buildEntryList } from '../../src/check/linearizability/entries';
import { PartitionSearch } from '../../src/check/linearizability/search';
import { casRegister, checkOperations, type Model, type Operation } from '../../src/check/linearizability';
import { r, w } from './registerHistories';

describe('the search report', () => {
  it('an empty history is linearized by the empty order, with nothing stuck', () => {
    const search = new PartitionSearch(casRegister, []);
    expect(search.result).toBe('ok');
    expect(search.longest).toEqual([]);
    expect(search.stuck).toEqual([]);
    const out = checkOperations(casRegister, []);
    expect(out.info.partitions[0]).toMatchObject({ result: 'ok', longestPrefix: [], stuck: [], steps: 0 });
  });

  it('a history whose first operation is impossible reports an empty prefix and that operation stuck', () => {
    const ops = [r(0, 0, 10, 1), w(1, 20, 30, 1)];
    const out = checkOperations(casRegister, ops);
    expect(out.result).toBe('illegal');
    expect(out.info.partitions[0].longestPrefix).toEqual([]);
    expect(out.info.partitions[0].stuck).toEqual([ops[0]]);
  });

  it('after backtracking, a linearizable history reports its whole order and nothing stuck', () => {
    // Tried first: write 1, write 2, then the read of 1 fails; the order that works is 2, 1, read.
    const ops = [w(0, 0, 10, 1), w(1, 0, 10, 2), r(2, 20, 30, 1)];
    const search = new PartitionSearch(casRegister, ops);
    expect(search.run(100)).toBe('ok');
    expect(search.longest).toEqual([1, 0, 2]);
    expect(search.stuck).toEqual([]);
  });

  it('the longest prefix is the deepest the search got, with the operations that could not follow it', () => {
    const ops = [w(0, 0, 10, 1), w(1, 0, 10, 2), r(2, 0, 10, 3)];
    const out = checkOperations(casRegister, ops);
    expect(out.result).toBe('illegal');
    expect(out.info.partitions[0].longestPrefix).toHaveLength(2);
    expect(out.info.partitions[0].stuck).toEqual([ops[2]]);
    const first = checkOperations(casRegister, [r(2, 0, 10, 3), w(0, 0, 10, 1)]);
    expect(first.info.partitions[0].longestPrefix).toEqual([first.info.partitions[0].history[1]]);
    expect(first.info.partitions[0].stuck).toEqual([first.info.partitions[0].history[0]]);
  });

  it('a decided search stays decided and takes no more steps', () => {
    const illegal = new PartitionSearch(casRegister, [w(0, 0, 10, 1), r(1, 20, 30, 2)]);
    expect(illegal.run(100)).toBe('illegal');
    const { steps, longest, stuck } = illegal;
    expect(illegal.run(100)).toBe('illegal');
    expect(illegal).toMatchObject({ steps, longest, stuck });
    const ok = new PartitionSearch(casRegister, [w(0, 0, 10, 1), r(1, 20, 30, 1)]);
    expect(ok.run(100)).toBe('ok');
    const okSteps = ok.steps;
    expect(ok.run(100)).toBe('ok');
    expect(ok.steps).toBe(okSteps);
  });

  it('a paused search resumes where it stopped: slices add up to one run', () => {
    const ops = [w(0, 0, 10, 1), w(1, 0, 10, 2), w(2, 0, 10, 3), r(3, 20, 30, 1), r(4, 40, 50, 1)];
    const whole = new PartitionSearch(casRegister, ops);
    expect(whole.run(1_000)).toBe('ok');
    const sliced = new PartitionSearch(casRegister, ops);
    let runs = 0;
    while (sliced.run(1) === 'unknown') runs++;
    expect(sliced.result).toBe('ok');
    expect(sliced.steps).toBe(whole.steps);
    expect(runs).toBe(whole.steps - 1);
    expect(sliced.longest).toEqual(whole.longest);
  });
});

describe('the visited cache tells apart sets whose hashes collide', () => {
  // zobrist(74) ^ zobrist(140) === zobrist(12) ^ zobrist(298): the linearized sets {…, 74, 140}
  // and {…, 12, 298} get one hash, and only the bitsets the cache compares tell them apart.
  const A = [74, 140];
  const B = [12, 298];
  type Kind = 'pad' | 'a' | 'b';
  /** The state counts a's and b's; a b may only come among the first two of them. */
  const counter: Model<number, Kind, null> = {
    init: () => 0,
    step: (s, kind) => (kind === 'pad' ? [true, s] : [kind === 'a' || s < 2, s + 1]),
    equal: (x, y) => x === y,
  };
  function history(): Operation<Kind, null>[] {
    const ops: Operation<Kind, null>[] = [];
    for (let i = 0; i <= 298; i++) {
      const kind: Kind = A.includes(i) ? 'a' : B.includes(i) ? 'b' : 'pad';
      // Padding one after another first; then the a's and b's all overlapping, the a's called first
      // so that the search tries them first and caches {…, 74, 140} with the count 2, a dead end.
      const call = kind === 'pad' ? 2 * i : kind === 'a' ? 1000 : 1001;
      ops.push({ clientId: i, input: kind, call, output: null, return: kind === 'pad' ? 2 * i + 1 : 1010 });
    }
    return ops;
  }

  it('the two sets collide', () => {
    expect(zobrist(A[0]) ^ zobrist(A[1])).toBe(zobrist(B[0]) ^ zobrist(B[1]));
  });

  it("the only way through (both b's first) is found, with or without a state hash", () => {
    for (const model of [counter, { ...counter, hash: (s: number) => String(s) }]) {
      const out = checkOperations(model, history());
      expect(out.result).toBe('ok');
      const order = out.info.partitions[0].longestPrefix.map((o) => o.input).filter((k) => k !== 'pad');
      expect(order.slice(0, 2)).toEqual(['b', 'b']);
    }
  });
});

describe('zobrist', () => {
  /** murmur3's fmix32 of i + 0x9e3779b9, computed independently with BigInt. */
  function fmix32(i: number): number {
    const m = (x: bigint) => x & 0xffffffffn;
    let h = m(BigInt(i) + 0x9e3779b9n);
    h ^= h >> 16n;
    h = m(h * 0x85ebca6bn);
    h ^= h >> 13n;
    h = m(h * 0xc2b2ae35n);
    h ^= h >> 16n;
    return Number(BigInt.asIntN(32, h));
  }

  it("is murmur3's finaliser of the index plus the golden ratio, as a signed 32-bit value", () => {
    for (const i of [0, 1, 2, 31, 32, 1000, 123_456]) expect(zobrist(i), `zobrist(${i})`).toBe(fmix32(i));
  });
});

describe('the entry list', () => {
  it('at one instant, calls come in history order, then returns in history order', () => {
    const ops = [w(0, 0, 10, 1), w(1, 0, 10, 2), w(2, 0, 10, 3), w(3, 0, 10, 4)];
    const l = buildEntryList(ops);
    const order: string[] = [];
    for (let e = l.next[0]; e !== -1; e = l.next[e])
      order.push(`${l.match[e] === -1 ? 'ret' : 'call'}${l.op[e]}`);
    expect(order).toEqual(['call0', 'call1', 'call2', 'call3', 'ret0', 'ret1', 'ret2', 'ret3']);
    // So a report lists the candidates that broke at one instant in history order.
    const reads = [r(0, 0, 10, 3), r(1, 0, 10, 1), r(2, 0, 10, 2)];
    expect(checkOperations(casRegister, reads).info.partitions[0].stuck).toEqual(reads);
  });
});

describe('which dead end is reported', () => {
  it('when every order fails as deep, the report shows the first one tried, in call order', () => {
    const ops = [w(0, 0, 10, 1), w(1, 0, 10, 2), r(2, 20, 30, 3)];
    const out = checkOperations(casRegister, ops);
    expect(out.result).toBe('illegal');
    expect(out.info.partitions[0].longestPrefix).toEqual([ops[0], ops[1]]);
    expect(out.info.partitions[0].stuck).toEqual([ops[2]]);
  });
});
