import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  casRegister,
  checkOperations,
  describeFailure,
  kvStore,
  parseJepsenEtcdLog,
  parseKvEdn,
  registerKv,
  type Model,
  type RegisterInput,
  type RegisterOperation,
  type RegisterOutput,
  type Value,
} from '../../src/check/linearizability';

// Porcupine's labelled histories, copied into the repo with their licence (see the README there).
const DATA = path.resolve(__dirname, '../fixtures/porcupine');
const labels = JSON.parse(readFileSync(path.join(DATA, 'labels.json'), 'utf8')) as Record<string, Record<string, boolean>>;
// etcd_002 needs about 1.4 million steps, the most of any file.
const BUDGET = 50_000_000;

describe('labelled histories (Porcupine test data)', () => {
  it('lists 102 etcd logs and 6 kv logs', () => {
    expect(Object.keys(labels['etcd-jepsen'])).toHaveLength(102);
    expect(Object.keys(labels['kv'])).toHaveLength(6);
  });

  it.each(Object.entries(labels['etcd-jepsen']))('etcd-jepsen/%s is linearizable: %s', (file, linearizable) => {
    const ops = parseJepsenEtcdLog(readFileSync(path.join(DATA, 'etcd-jepsen', file), 'utf8'));
    const out = checkOperations(casRegister, ops, { budget: BUDGET });
    expect(out.result).toBe(linearizable ? 'ok' : 'illegal');
    expect(out.partitions).toBe(1);
  });

  it.each(Object.entries(labels['kv']))('kv/%s is linearizable: %s', (file, linearizable) => {
    const ops = parseKvEdn(readFileSync(path.join(DATA, 'kv', file), 'utf8'));
    const out = checkOperations(kvStore, ops, { budget: BUDGET });
    expect(out.result).toBe(linearizable ? 'ok' : 'illegal');
    expect(out.partitions).toBeGreaterThan(1);
  });

  it('says unknown, not a guess, when the budget runs out', () => {
    const ops = parseJepsenEtcdLog(readFileSync(path.join(DATA, 'etcd-jepsen', 'etcd_002.log'), 'utf8'));
    const out = checkOperations(casRegister, ops, { budget: 1000 });
    expect(out.result).toBe('unknown');
    expect(out.steps).toBe(1000);
  });

  it('gives the same answers when the model hashes its states', () => {
    const hashed: Model<Value, RegisterInput, RegisterOutput> = { ...casRegister, hash: (s) => String(s) };
    for (const file of ['etcd_000.log', 'etcd_002.log', 'etcd_007.log', 'etcd_099.log', 'etcd_102.log']) {
      const ops = parseJepsenEtcdLog(readFileSync(path.join(DATA, 'etcd-jepsen', file), 'utf8'));
      const want = labels['etcd-jepsen'][file] ? 'ok' : 'illegal';
      expect(checkOperations(hashed, ops, { budget: BUDGET }).result, file).toBe(want);
    }
  });
});

const read = (client: number, call: number, ret: number, value: Value): RegisterOperation => ({
  clientId: client,
  input: { f: 'read' },
  call,
  output: { status: 'ok', value },
  return: ret,
});
const write = (client: number, call: number, ret: number, value: Value, unknown = false): RegisterOperation => ({
  clientId: client,
  input: { f: 'write', value },
  call,
  output: { status: unknown ? 'unknown' : 'ok' },
  return: unknown ? Infinity : ret,
});
const cas = (client: number, call: number, ret: number, from: Value, to: Value, ok: boolean): RegisterOperation => ({
  clientId: client,
  input: { f: 'cas', from, to },
  call,
  output: { status: ok ? 'ok' : 'fail' },
  return: ret,
});
const check = (ops: RegisterOperation[]): string => checkOperations(casRegister, ops).result;

describe('hand-written register histories', () => {
  it('a stale read after a completed write is illegal', () => {
    expect(check([write(0, 0, 10, 1), read(1, 20, 30, null)])).toBe('illegal');
    expect(check([write(0, 0, 10, 1), read(1, 20, 30, 1)])).toBe('ok');
  });

  it('reports where a history broke', () => {
    const ops = [write(0, 0, 10, 1), write(0, 11, 20, 2), read(1, 30, 40, 1)];
    const out = checkOperations(casRegister, ops);
    expect(out.info.partition).toBe(0);
    expect(out.info.partitions[0].longestPrefix).toEqual([ops[0], ops[1]]);
    expect(out.info.partitions[0].stuck).toEqual([ops[2]]);
    expect(describeFailure(casRegister, out)).toContain('read() -> 1');
  });

  it('operations that overlap may take effect in either order', () => {
    // MIT 6.824 quiz examples, as in Porcupine's tests.
    expect(check([write(0, 0, 100, 100), read(1, 25, 75, 100), read(2, 30, 60, null)])).toBe('ok');
    expect(check([write(0, 0, 100, 200), read(1, 10, 30, 200), read(2, 40, 90, null)])).toBe('illegal');
    const writes = [write(0, 0, 50, 1), write(1, 10, 60, 2)];
    expect(check([...writes, read(2, 70, 80, 1)])).toBe('ok');
    expect(check([...writes, read(2, 70, 80, 2)])).toBe('ok');
    expect(check([...writes, read(2, 70, 80, null)])).toBe('illegal');
    expect(check([...writes, read(2, 70, 80, 1), read(2, 90, 95, 2)])).toBe('illegal');
  });

  it('operations that touch at one instant count as concurrent', () => {
    expect(check([write(0, 0, 10, 1), read(1, 10, 20, null)])).toBe('ok');
    expect(check([write(0, 0, 10, 1), read(1, 11, 20, null)])).toBe('illegal');
  });

  it('a write with unknown outcome may take effect later, or never', () => {
    const lost = write(0, 0, 0, 1, true);
    expect(check([lost, read(1, 10, 20, null), read(1, 100, 110, 1)])).toBe('ok');
    expect(check([lost, read(1, 10, 20, null), read(1, 100, 110, null)])).toBe('ok');
    expect(check([lost, read(1, 10, 20, 1), read(1, 100, 110, null)])).toBe('illegal');
    expect(check([read(1, 0, 5, 1), write(0, 10, 0, 1, true)])).toBe('illegal');
  });

  it('a failed cas did not happen and saw a different value', () => {
    expect(check([write(0, 0, 10, 1), cas(1, 20, 30, 1, 2, false)])).toBe('illegal');
    expect(check([write(0, 0, 10, 1), cas(1, 20, 30, 3, 2, false), read(1, 40, 50, 1)])).toBe('ok');
    expect(check([write(0, 0, 10, 1), cas(1, 20, 30, 1, 2, true), read(1, 40, 50, 2)])).toBe('ok');
    expect(check([cas(1, 0, 10, null, 5, true), read(1, 40, 50, 5)])).toBe('ok');
  });

  it('an empty history is linearizable', () => {
    expect(checkOperations(casRegister, [])).toMatchObject({ result: 'ok', partitions: 1, steps: 0 });
  });

  it('rejects an operation that returns before it is called', () => {
    expect(() => check([read(0, 10, 5, null)])).toThrow(/before its call/);
  });
});

describe('keyed models', () => {
  it('registerKv checks each key on its own and names the broken one', () => {
    const ops = [
      { clientId: 0, input: { f: 'write', key: 'a', value: 1 }, call: 0, output: { status: 'ok' }, return: 10 },
      { clientId: 1, input: { f: 'write', key: 'b', value: 'x' }, call: 0, output: { status: 'ok' }, return: 10 },
      { clientId: 0, input: { f: 'read', key: 'a' }, call: 20, output: { status: 'ok', value: 1 }, return: 30 },
      { clientId: 1, input: { f: 'read', key: 'b' }, call: 20, output: { status: 'ok', value: null }, return: 30 },
      { clientId: 2, input: { f: 'read', key: 'c' }, call: 20, output: { status: 'ok', value: null }, return: 30 },
    ] as const;
    const out = checkOperations(registerKv, [...ops]);
    expect(out.result).toBe('illegal');
    expect(out.partitions).toBe(3);
    expect(out.info.partitions[out.info.partition].history[0].input.key).toBe('b');
    expect(describeFailure(registerKv, out)).toContain('[b] read() -> nil');
    expect(checkOperations(registerKv, [...ops.slice(0, 3), ops[4]]).result).toBe('ok');
  });

  it('kvStore appends concatenate in some order consistent with real time', () => {
    const kv = (client: number, f: 'put' | 'append', value: string, call: number, ret: number) => ({
      clientId: client,
      input: { f, key: 'k', value },
      call,
      output: { status: 'ok' as const },
      return: ret,
    });
    const get = (call: number, ret: number, value: string) => ({
      clientId: 9,
      input: { f: 'get' as const, key: 'k' },
      call,
      output: { status: 'ok' as const, value },
      return: ret,
    });
    const appends = [kv(0, 'append', 'a', 0, 10), kv(1, 'append', 'b', 5, 15)];
    expect(checkOperations(kvStore, [...appends, get(20, 30, 'ba')]).result).toBe('ok');
    expect(checkOperations(kvStore, [...appends, get(20, 30, 'ab')]).result).toBe('ok');
    expect(checkOperations(kvStore, [...appends, get(20, 30, 'a')]).result).toBe('illegal');
    expect(checkOperations(kvStore, [kv(0, 'put', 'x', 0, 1), ...appends.map((o) => ({ ...o, call: o.call + 2 })), get(20, 30, 'xab')]).result).toBe('ok');
    expect(checkOperations(kvStore, [get(0, 1, '')]).result).toBe('ok');
  });
});
