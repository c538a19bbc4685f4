import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  casRegister,
  checkOperations,
  registerKv,
  registerStep,
  type KeyedRegisterInput,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  type Value,
} from '../../src/check/linearizability';

interface Planned {
  key: string;
  input: RegisterInput;
  /** How far the call starts before, and the return ends after, the instant it takes effect. */
  before: number;
  after: number;
  /** The client never hears back; the operation took effect only if `applied`. */
  lost: boolean;
  applied: boolean;
}

const value = fc.constantFrom<Value>(null, 0, 1, 2, 'x');
const input: fc.Arbitrary<RegisterInput> = fc.oneof(
  fc.constant({ f: 'read' as const }),
  value.map((v) => ({ f: 'write' as const, value: v })),
  fc.tuple(value, value).map(([from, to]) => ({ f: 'cas' as const, from, to })),
);
// A spread under 5 keeps the operations, 10 apart, from overlapping.
const planned = (spread: number, keys: string[], canLose = true): fc.Arbitrary<Planned> =>
  fc.record({
    key: fc.constantFrom(...keys),
    input,
    before: fc.nat(spread),
    after: fc.nat(spread),
    lost: fc.boolean().map((b) => b && canLose),
    applied: fc.boolean(),
  });

/**
 * Run the plan against real sequential registers, one operation every 10 time units, and record
 * what each client would have seen: the history of an actually linearizable system, with the
 * intervals around each effect widened by up to `spread` on either side.
 */
function runPlan(plan: Planned[]): Operation<KeyedRegisterInput, RegisterOutput>[] {
  const registers = new Map<string, Value>();
  return plan.map((p, k) => {
    const at = 10 * (k + 1);
    const before = registers.get(p.key) ?? null;
    let output: RegisterOutput;
    if (p.input.f === 'read') output = { status: 'ok', value: before };
    else if (p.input.f === 'cas') output = { status: before === p.input.from ? 'ok' : 'fail' };
    else output = { status: 'ok' };
    if (p.lost && p.applied) output = { status: 'unknown' };
    if (!p.lost || p.applied) registers.set(p.key, registerStep(before, p.input, output)[1]);
    if (p.lost && !p.applied) output = { status: 'unknown' };
    return {
      clientId: k,
      input: { ...p.input, key: p.key },
      call: at - p.before,
      output,
      return: p.lost ? Infinity : at + p.after,
    };
  });
}

describe('histories of a real sequential register are linearizable', () => {
  it('with non-overlapping operations', () => {
    fc.assert(
      fc.property(fc.array(planned(4, ['k'], false), { maxLength: 60 }), (plan) => {
        expect(checkOperations(casRegister, runPlan(plan)).result).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('with overlapping operations and lost replies', () => {
    fc.assert(
      fc.property(fc.array(planned(35, ['k']), { maxLength: 40 }), (plan) => {
        expect(checkOperations(casRegister, runPlan(plan), { budget: 5_000_000 }).result).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('per key, with several keys', () => {
    fc.assert(
      fc.property(fc.array(planned(35, ['a', 'b', 'c']), { maxLength: 60 }), (plan) => {
        expect(checkOperations(registerKv, runPlan(plan), { budget: 5_000_000 }).result).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });
});

describe('wrong answers are caught', () => {
  it('one wrong read in a sequential history is illegal', () => {
    const plans = fc.array(planned(4, ['k'], false), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(plans, value, fc.nat(), (plan, seen, pick) => {
        const ops = runPlan(plan);
        const reads = ops.filter((o) => o.input.f === 'read');
        fc.pre(reads.length > 0);
        const victim = reads[pick % reads.length];
        const output = victim.output;
        fc.pre(output.status === 'ok' && output.value !== seen);
        const corrupted = ops.map((o) => (o === victim ? { ...o, output: { status: 'ok' as const, value: seen } } : o));
        expect(checkOperations(casRegister, corrupted).result).toBe('illegal');
      }),
      { numRuns: 200 },
    );
  });
});

/** Linearizability by definition: some order that respects real time and that the model accepts. */
function bruteForce(ops: Operation<RegisterInput, RegisterOutput>[]): boolean {
  const search = (left: typeof ops, state: Value): boolean =>
    left.length === 0 ||
    left.some((o, i) => {
      if (left.some((r) => r.return < o.call)) return false;
      const [legal, next] = casRegister.step(state, o.input, o.output);
      return legal && search([...left.slice(0, i), ...left.slice(i + 1)], next);
    });
  return search(ops, casRegister.init());
}

const anyOutput: fc.Arbitrary<RegisterOutput> = fc.oneof(
  value.map((v) => ({ status: 'ok' as const, value: v })),
  fc.constant({ status: 'ok' as const }),
  fc.constant({ status: 'fail' as const }),
);
const anyOp = fc
  .record({ input, output: anyOutput, call: fc.nat(30), length: fc.nat(15), lost: fc.boolean() })
  .map(({ input, output, call, length, lost }) => ({
    clientId: 0,
    input,
    call,
    output: lost ? { status: 'unknown' as const } : output,
    return: lost ? Infinity : call + length,
  }));

describe('agrees with brute force', () => {
  it('on small random histories, linearizable or not', () => {
    let illegal = 0;
    fc.assert(
      fc.property(fc.array(anyOp, { maxLength: 7 }), (ops) => {
        const want = bruteForce(ops);
        if (!want) illegal++;
        expect(checkOperations(casRegister, ops).result).toBe(want ? 'ok' : 'illegal');
      }),
      { numRuns: 1500 },
    );
    expect(illegal).toBeGreaterThan(100);
  });
});
