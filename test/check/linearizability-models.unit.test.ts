/**
 * The sequential specifications the checker searches with, one row per case: what each operation
 * may return from a state and what state it leaves, and how the keyed models split a history.
 */
import { describe, expect, it } from 'vitest';
import {
  casRegister,
  checkOperations,
  kvStore,
  registerKv,
  type KeyedRegisterInput,
  type KvInput,
  type KvOutput,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
  type Value,
} from '../../src/check/linearizability';

describe('casRegister', () => {
  const rows: [string, Value, RegisterInput, RegisterOutput, [boolean, Value]][] = [
    ['a read of the value', 1, { f: 'read' }, { status: 'ok', value: 1 }, [true, 1]],
    ['a read of another value', 1, { f: 'read' }, { status: 'ok', value: 2 }, [false, 1]],
    ['a read of nil from nil', null, { f: 'read' }, { status: 'ok', value: null }, [true, null]],
    ['a read of nil from a value', 0, { f: 'read' }, { status: 'ok', value: null }, [false, 0]],
    ['a failed read', 1, { f: 'read' }, { status: 'fail' }, [true, 1]],
    ['an unknown read', 1, { f: 'read' }, { status: 'unknown' }, [true, 1]],
    ['a write', 1, { f: 'write', value: 2 }, { status: 'ok' }, [true, 2]],
    ['a failed write', 1, { f: 'write', value: 2 }, { status: 'fail' }, [true, 1]],
    ['an unknown write (it took effect)', 1, { f: 'write', value: 2 }, { status: 'unknown' }, [true, 2]],
    ['a cas that matched', 1, { f: 'cas', from: 1, to: 2 }, { status: 'ok' }, [true, 2]],
    ['a cas ok that could not match', 3, { f: 'cas', from: 1, to: 2 }, { status: 'ok' }, [false, 3]],
    ['a failed cas that did not match', 3, { f: 'cas', from: 1, to: 2 }, { status: 'fail' }, [true, 3]],
    ['a failed cas that should have matched', 1, { f: 'cas', from: 1, to: 2 }, { status: 'fail' }, [false, 1]],
    ['an unknown cas that matched', 1, { f: 'cas', from: 1, to: 2 }, { status: 'unknown' }, [true, 2]],
    ['an unknown cas that did not match', 3, { f: 'cas', from: 1, to: 2 }, { status: 'unknown' }, [true, 3]],
    ['a cas from nil', null, { f: 'cas', from: null, to: 'x' }, { status: 'ok' }, [true, 'x']],
  ];
  it.each(rows)('%s', (_, state, input, output, want) => {
    expect(casRegister.step(state, input, output)).toEqual(want);
  });

  it('starts at nil and compares values exactly', () => {
    expect(casRegister.init()).toBeNull();
    expect(casRegister.equal(1, 1)).toBe(true);
    expect(casRegister.equal(1, '1')).toBe(false);
    expect(casRegister.equal(null, 0)).toBe(false);
  });
});

describe('kvStore', () => {
  const rows: [string, string, KvInput, KvOutput, [boolean, string]][] = [
    ['a get of the value', 'ab', { f: 'get', key: 'k' }, { status: 'ok', value: 'ab' }, [true, 'ab']],
    ['a get of another value', 'ab', { f: 'get', key: 'k' }, { status: 'ok', value: 'a' }, [false, 'ab']],
    ['a get without a value reads ""', '', { f: 'get', key: 'k' }, { status: 'ok' }, [true, '']],
    ['a get without a value of a set key', 'a', { f: 'get', key: 'k' }, { status: 'ok' }, [false, 'a']],
    ['an unknown get', 'a', { f: 'get', key: 'k' }, { status: 'unknown' }, [true, 'a']],
    ['a put', 'a', { f: 'put', key: 'k', value: 'b' }, { status: 'ok' }, [true, 'b']],
    ['an unknown put (it took effect)', 'a', { f: 'put', key: 'k', value: 'b' }, { status: 'unknown' }, [true, 'b']],
    ['a failed put', 'a', { f: 'put', key: 'k', value: 'b' }, { status: 'fail' }, [true, 'a']],
    ['an append', 'a', { f: 'append', key: 'k', value: 'b' }, { status: 'ok' }, [true, 'ab']],
    ['a failed append', 'a', { f: 'append', key: 'k', value: 'b' }, { status: 'fail' }, [true, 'a']],
  ];
  it.each(rows)('%s', (_, state, input, output, want) => {
    expect(kvStore.step(state, input, output)).toEqual(want);
  });

  it('starts empty, compares and hashes by the string', () => {
    expect(kvStore.init()).toBe('');
    expect(kvStore.equal('ab', 'ab')).toBe(true);
    expect(kvStore.equal('ab', 'ba')).toBe(false);
    expect(kvStore.hash!('ab')).toBe('ab');
  });

  it('splits a history by key, keys in sorted order, each in its original order', () => {
    const op = (key: string, call: number): Operation<KvInput, KvOutput> => ({
      clientId: 0, input: { f: 'put', key, value: String(call) }, call, output: { status: 'ok' }, return: call + 1,
    });
    const h = [op('b', 0), op('a', 2), op('b', 4), op('c', 6), op('a', 8)];
    expect(kvStore.partition!(h)).toEqual([[h[1], h[4]], [h[0], h[2]], [h[3]]]);
  });
});

describe('registerKv', () => {
  type KOp = Operation<KeyedRegisterInput, RegisterOutput>;
  const kw = (key: string, call: number, value: Value): KOp => ({ clientId: 0, input: { key, f: 'write', value }, call, output: { status: 'ok' }, return: call + 1 });
  const kr = (key: string, call: number, value: Value): KOp => ({ clientId: 1, input: { key, f: 'read' }, call, output: { status: 'ok', value }, return: call + 1 });

  it('is one register per key, starting at nil', () => {
    expect(registerKv.init()).toBeNull();
    expect(registerKv.step(1, { key: 'k', f: 'cas', from: 1, to: 2 }, { status: 'ok' })).toEqual([true, 2]);
    expect(registerKv.equal(2, 2)).toBe(true);
    expect(registerKv.equal(2, 3)).toBe(false);
    expect(registerKv.hash).toBeUndefined();
    const h = [kw('b', 0, 1), kw('a', 2, 1), kr('b', 4, 1), kr('a', 6, 1)];
    expect(registerKv.partition!(h)).toEqual([[h[1], h[3]], [h[0], h[2]]]);
    // A write to one key is invisible to another.
    expect(checkOperations(registerKv, [kw('a', 0, 1), kr('b', 2, null)]).result).toBe('ok');
    expect(checkOperations(registerKv, [kw('a', 0, 1), kr('b', 2, 1)]).result).toBe('illegal');
  });

  it('names the key when it describes an operation', () => {
    expect(registerKv.describeOperation!({ key: 'k1', f: 'write', value: 3 }, { status: 'ok' })).toBe('[k1] write(3)');
    expect(registerKv.describeOperation!({ key: 'k1', f: 'read' }, { status: 'ok', value: null })).toBe('[k1] read() -> nil');
  });
});
