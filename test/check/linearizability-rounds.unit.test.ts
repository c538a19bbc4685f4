/**
 * How checkOperations shares its step budget between partitions: rounds in which every open
 * partition gets a slice, slices doubling from 1000, and what each partition is reported as when
 * the check stops (decided, 'unknown' when the budget ran out, 'unchecked' when an illegal
 * partition stopped the check first).
 */
import { describe, expect, it } from 'vitest';
import {
  casRegister,
  checkOperations,
  registerKv,
  type Model,
  type RegisterInput,
  type RegisterOutput,
  type Value,
} from '../../src/check/linearizability';
import { hardKey, kr, kw, type KOp } from './registerHistories';

const SEVEN_STEPS = 1807; // hardKey(·, 7) is found illegal after this many steps: in the second round
const quickIllegal = (key: string): KOp[] => [kw(key, 0, 1, 1), kr(key, 2, 3, 2)];
const quickOk = (key: string): KOp[] => [kw(key, 0, 1, 1), kr(key, 2, 3, 1)];

describe('rounds and slices', () => {
  it('the slice doubles each round: 1000 steps, then 2000', () => {
    expect(checkOperations(registerKv, hardKey('b', 7)).steps).toBe(SEVEN_STEPS);
    const out = checkOperations(registerKv, [...hardKey('a', 14), ...hardKey('b', 7)]);
    expect(out.info.partition).toBe(1);
    expect(out.info.partitions.map((p) => [p.result, p.steps])).toEqual([
      ['unknown', 1000 + 2000],
      ['illegal', SEVEN_STEPS],
    ]);
    expect(out.steps).toBe(3000 + SEVEN_STEPS);
  });

  it('without stopOnIllegal the first illegal partition is the lowest index, not the first found', () => {
    const history = [...hardKey('a', 7), ...quickIllegal('b')];
    const all = checkOperations(registerKv, history, { stopOnIllegal: false });
    expect(all.result).toBe('illegal');
    expect(all.info.partition).toBe(0);
    expect(all.info.partitions.map((p) => p.result)).toEqual(['illegal', 'illegal']);
    const first = checkOperations(registerKv, history);
    expect(first.info.partition).toBe(1);
    expect(first.info.partitions.map((p) => [p.result, p.steps])).toEqual([
      ['unknown', 1000],
      ['illegal', first.info.partitions[1].steps],
    ]);
  });

  it('one undecided partition makes the history unknown, even when the others are ok', () => {
    const out = checkOperations(registerKv, [...quickOk('a'), ...hardKey('b', 14)], { budget: 2000 });
    expect(out.result).toBe('unknown');
    expect(out.info.partition).toBe(-1);
    expect(out.info.partitions.map((p) => p.result)).toEqual(['ok', 'unknown']);
  });
});

describe('unknown or unchecked', () => {
  it('partitions the budget never reached are unknown when nothing was illegal', () => {
    const out = checkOperations(registerKv, [...hardKey('a', 14), ...hardKey('b', 14), ...hardKey('c', 14)], {
      budget: 1000,
    });
    expect(out.result).toBe('unknown');
    expect(out.info.partitions.map((p) => [p.result, p.steps])).toEqual([
      ['unknown', 1000],
      ['unknown', 0],
      ['unknown', 0],
    ]);
  });

  it('they are unchecked when an illegal partition stopped the check, unknown when it did not', () => {
    const history = [...quickIllegal('a'), ...hardKey('b', 14), ...hardKey('c', 14)];
    const stopped = checkOperations(registerKv, history, { budget: 1000 });
    expect(stopped.info.partitions.map((p) => p.result)).toEqual(['illegal', 'unknown', 'unchecked']);
    const all = checkOperations(registerKv, history, { budget: 1000, stopOnIllegal: false });
    expect(all.info.partitions.map((p) => [p.result, p.steps])).toEqual([
      ['illegal', all.info.partitions[0].steps],
      ['unknown', 1000 - all.info.partitions[0].steps],
      ['unknown', 0],
    ]);
  });

  it('an empty partition is linearizable, not unchecked, beside an illegal one', () => {
    const split: Model<Value, RegisterInput, RegisterOutput> = { ...casRegister, partition: (h) => [[], h] };
    const out = checkOperations(split, [kw('k', 0, 1, 1), kr('k', 2, 3, 2)]);
    expect(out.result).toBe('illegal');
    expect(out.info.partition).toBe(1);
    expect(out.info.partitions.map((p) => [p.result, p.steps])).toEqual([
      ['ok', 0],
      ['illegal', out.info.partitions[1].steps],
    ]);
  });
});
