/**
 * The linearizability checker's parts one by one: input validation, the budget shared between
 * partitions, the failure report, the entry list, the visited cache and the parsers' errors.
 */
import { describe, expect, it } from 'vitest';
import { hashString, VisitedCache, zobrist } from '../../src/check/linearizability/cache';
import { buildEntryList, lift, unlift } from '../../src/check/linearizability/entries';
import {
  casRegister,
  checkOperations,
  DEFAULT_BUDGET,
  describeFailure,
  kvStore,
  parseJepsenEtcdLog,
  parseKvEdn,
  registerKv,
} from '../../src/check/linearizability';
import { hardKey, kr, kw, r, w } from './registerHistories';

describe('checkOperations: input and result', () => {
  it('refuses a call time that is not finite, or a return before the call, naming the operation', () => {
    expect(() => checkOperations(casRegister, [w(0, 0, 1, 1), w(0, Infinity, Infinity, 2)])).toThrow('operation 1: call time Infinity is not finite');
    expect(() => checkOperations(casRegister, [w(0, NaN, 1, 1)])).toThrow('operation 0: call time NaN is not finite');
    expect(() => checkOperations(casRegister, [w(0, 5, NaN, 1)])).toThrow('operation 0: returns (NaN) before its call (5)');
    expect(() => checkOperations(casRegister, [w(0, 5, 4, 1)])).toThrow('operation 0: returns (4) before its call (5)');
    expect(checkOperations(casRegister, [w(0, 5, 5, 1), r(1, 6, 6, 1)]).result).toBe('ok');
  });

  it('counts the steps it took and the partitions it checked', () => {
    const out = checkOperations(casRegister, [w(0, 0, 1, 1), r(1, 2, 3, 1)]);
    expect(out).toMatchObject({ result: 'ok', partitions: 1, steps: 2 }); // one step per call entry: each is linearized at once
    expect(out.info.partition).toBe(-1);
    expect(out.info.partitions[0]).toMatchObject({ result: 'ok', steps: 2, stuck: [] });
    expect(out.info.partitions[0].longestPrefix.map((o) => o.call)).toEqual([0, 2]);
  });

  it('the default budget is ten million steps', () => {
    expect(DEFAULT_BUDGET).toBe(10_000_000);
  });

  it('one illegal partition decides the history and the partitions never started are reported unchecked', () => {
    const history = [...hardKey('a', 14), kw('b', 0, 1, 1), kr('b', 2, 3, 2), kw('c', 0, 1, 1)];
    const out = checkOperations(registerKv, history, { budget: 1_000_000 });
    expect(out.result).toBe('illegal');
    expect(out.partitions).toBe(3);
    expect(out.info.partition).toBe(1);
    expect(out.info.partitions.map((p) => p.result)).toEqual(['unknown', 'illegal', 'ok']);
    expect(out.steps).toBeLessThan(1_000_000);
  });

  it('without stopOnIllegal every partition is searched until the budget runs out', () => {
    const history = [...hardKey('a', 14), kw('b', 0, 1, 1), kr('b', 2, 3, 2)];
    const out = checkOperations(registerKv, history, { budget: 20_000, stopOnIllegal: false });
    expect(out.result).toBe('illegal');
    expect(out.steps).toBe(20_000);
    expect(out.info.partitions[0]).toMatchObject({ result: 'unknown', steps: 20_000 - out.info.partitions[1].steps });
  });

  it('with stopOnIllegal the search stops after the round that found the illegal partition', () => {
    const history = [...hardKey('a', 14), kw('b', 0, 1, 1), kr('b', 2, 3, 2)];
    const out = checkOperations(registerKv, history, { budget: 1_000_000 });
    // First round: 1000 steps on 'a', then 'b' is found illegal; no second round.
    expect(out.info.partitions[0].steps).toBe(1000);
    expect(out.steps).toBe(1000 + out.info.partitions[1].steps);
  });

  it('a partition that needs no step is unchecked only when another was illegal', () => {
    const illegalFirst = [kw('a', 0, 1, 1), kr('a', 2, 3, 2), kw('b', 0, 1, 1), ...hardKey('c', 14)];
    const out = checkOperations(registerKv, illegalFirst, { budget: 1_000_000 });
    expect(out.info.partition).toBe(0);
    expect(out.info.partitions.map((p) => p.result)).toEqual(['illegal', 'ok', 'unknown']);
    const two = [kw('a', 0, 1, 1), kr('a', 2, 3, 2), kw('b', 0, 1, 1), kr('b', 2, 3, 3)];
    expect(checkOperations(registerKv, two).info.partition).toBe(0);
    expect(checkOperations(registerKv, two, { stopOnIllegal: false }).info.partition).toBe(0);
  });

  it('a budget that runs out in the middle of a round stops the round there', () => {
    const history = [...hardKey('a', 14), ...hardKey('b', 14)];
    const out = checkOperations(registerKv, history, { budget: 1500 });
    expect(out.result).toBe('unknown');
    expect(out.steps).toBe(1500);
    expect(out.info.partitions.map((p) => p.steps)).toEqual([1000, 500]);
  });
});

describe('describeFailure', () => {
  it('says linearizable or undecided when nothing broke', () => {
    expect(describeFailure(casRegister, checkOperations(casRegister, [w(0, 0, 1, 1)]))).toBe('history is linearizable');
    const undecided = checkOperations(registerKv, hardKey('a', 14), { budget: 100 });
    expect(describeFailure(registerKv, undecided)).toBe('history is undecided');
  });

  it('lists the last five linearized operations and those that could not come next', () => {
    const ops = [w(0, 0, 1, 1), w(0, 2, 3, 2), w(0, 4, 5, 3), w(0, 6, 7, 4), w(0, 8, 9, 5), w(0, 10, 11, 6), r(1, 12, 13, 1)];
    const out = checkOperations(casRegister, ops);
    expect(describeFailure(casRegister, out)).toBe(
      [
        'partition 0 of 1 is not linearizable',
        'linearized 6 of 7 operations:',
        '  client 0 [2, 3] write(2)',
        '  client 0 [4, 5] write(3)',
        '  client 0 [6, 7] write(4)',
        '  client 0 [8, 9] write(5)',
        '  client 0 [10, 11] write(6)',
        'then none of these could come next:',
        '  client 1 [12, 13] read() -> 1',
      ].join('\n'),
    );
  });

  it('falls back to JSON for a model without describeOperation', () => {
    const plain = { init: casRegister.init, step: casRegister.step, equal: casRegister.equal };
    const out = checkOperations(plain, [r(3, 0, 1, 9)]);
    expect(describeFailure(plain, out)).toContain('client 3 [0, 1] [{"f":"read"},{"status":"ok","value":9}]');
  });
});

describe('models describe their operations', () => {
  it('casRegister', () => {
    const d = casRegister.describeOperation!;
    expect(d({ f: 'read' }, { status: 'ok', value: null })).toBe('read() -> nil');
    expect(d({ f: 'read' }, { status: 'ok' })).toBe('read() -> nil');
    expect(d({ f: 'read' }, { status: 'unknown' })).toBe('read() (unknown)');
    expect(d({ f: 'write', value: 'x' }, { status: 'ok' })).toBe('write("x")');
    expect(d({ f: 'write', value: 1 }, { status: 'fail' })).toBe('write(1) (fail)');
    expect(d({ f: 'cas', from: null, to: 2 }, { status: 'ok' })).toBe('cas(nil, 2) -> ok');
    expect(d({ f: 'cas', from: 1, to: 2 }, { status: 'fail' })).toBe('cas(1, 2) -> fail');
  });

  it('kvStore', () => {
    const d = kvStore.describeOperation!;
    expect(d({ f: 'get', key: 'k' }, { status: 'ok', value: 'v' })).toBe('get("k") -> "v"');
    expect(d({ f: 'get', key: 'k' }, { status: 'ok' })).toBe('get("k") -> ""');
    expect(d({ f: 'get', key: 'k' }, { status: 'unknown' })).toBe('get("k") (unknown)');
    expect(d({ f: 'put', key: 'k', value: 'v' }, { status: 'ok' })).toBe('put("k", "v")');
    expect(d({ f: 'append', key: 'k', value: 'v' }, { status: 'fail' })).toBe('append("k", "v") (fail)');
  });

  it('the register steps: a failed write changes nothing, an unknown cas may have happened', () => {
    expect(casRegister.step(1, { f: 'write', value: 2 }, { status: 'fail' })).toEqual([true, 1]);
    expect(casRegister.step(1, { f: 'cas', from: 1, to: 2 }, { status: 'unknown' })).toEqual([true, 2]);
    expect(casRegister.step(1, { f: 'cas', from: 3, to: 2 }, { status: 'unknown' })).toEqual([true, 1]);
    expect(casRegister.step(1, { f: 'read' }, { status: 'unknown' })).toEqual([true, 1]);
    expect(kvStore.step('a', { f: 'put', key: 'k', value: 'b' }, { status: 'fail' })).toEqual([true, 'a']);
    expect(kvStore.step('a', { f: 'get', key: 'k' }, { status: 'fail' })).toEqual([true, 'a']);
    expect(kvStore.step('', { f: 'get', key: 'k' }, { status: 'ok' })).toEqual([true, '']);
  });
});

describe('the entry list and the visited cache', () => {
  it('orders entries by time, calls before returns at one instant', () => {
    const l = buildEntryList([w(0, 5, 10, 1), w(1, 0, 5, 2)]);
    const order: string[] = [];
    for (let e = l.next[0]; e !== -1; e = l.next[e]) order.push(`${l.match[e] === -1 ? 'ret' : 'call'}${l.op[e]}`);
    expect(order).toEqual(['call1', 'call0', 'ret1', 'ret0']);
    expect(l.n).toBe(2);
    expect(l.prev[l.next[0]]).toBe(0);
  });

  it('refuses an operation that returns before it is called', () => {
    expect(() => buildEntryList([w(0, 5, 4, 1)])).toThrow('operation 0 returns before it is called');
  });

  it('lift takes an operation out and unlift puts it back', () => {
    const l = buildEntryList([w(0, 0, 10, 1), w(1, 1, 2, 2), w(2, 3, 4, 3)]);
    const walk = () => {
      const out: number[] = [];
      for (let e = l.next[0]; e !== -1; e = l.next[e]) out.push(e);
      const back: number[] = [];
      for (let e = out[out.length - 1]; e !== 0; e = l.prev[e]) back.unshift(e);
      expect(back).toEqual(out);
      return out;
    };
    const all = walk();
    const call0 = all[0];
    lift(l, call0);
    expect(walk()).toEqual(all.filter((e) => l.op[e] !== 0));
    unlift(l, call0);
    expect(walk()).toEqual(all);
    const lastCall = all.find((e) => l.op[e] === 2 && l.match[e] !== -1)!;
    lift(l, lastCall); // its return is the last entry
    expect(walk()).toEqual(all.filter((e) => l.op[e] !== 2));
    unlift(l, lastCall);
    expect(walk()).toEqual(all);
  });

  it('the cache remembers (set, state) pairs, compares sets word by word, and grows', () => {
    const c = new VisitedCache<number>(40, (a, b) => a === b);
    expect(c.words).toBe(2);
    const bits = new Uint32Array(2);
    expect(c.add(bits, 7, 1)).toBe(true);
    expect(c.add(bits, 7, 1)).toBe(false);
    expect(c.add(bits, 7, 2)).toBe(true);
    bits[1] = 1;
    expect(c.add(bits, 7, 1)).toBe(true);
    bits[0] = 1;
    bits[1] = 0;
    expect(c.add(bits, 7, 1)).toBe(true);
    expect(c.size).toBe(4);
    for (let i = 0; i < 200; i++) {
      bits[0] = i + 2;
      expect(c.add(bits, i % 3, 0)).toBe(true);
    }
    for (let i = 0; i < 200; i++) {
      bits[0] = i + 2;
      expect(c.add(bits, i % 3, 0)).toBe(false);
    }
    expect(c.size).toBe(204);
    expect(new VisitedCache<number>(0, () => true).words).toBe(1);
    expect(new VisitedCache<number>(32, () => true).words).toBe(1);
    expect(new VisitedCache<number>(33, () => true).words).toBe(2);
  });

  it('hashString is 32-bit FNV-1a; zobrist values are mixed and distinct', () => {
    expect(hashString('')).toBe(0x811c9dc5 | 0);
    expect(hashString('a')).toBe(0xe40c292c | 0);
    expect(hashString('foobar')).toBe(0xbf9cf968 | 0);
    const z = Array.from({ length: 1000 }, (_, i) => zobrist(i));
    expect(new Set(z).size).toBe(1000);
    expect(z.every((v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)).toBe(true);
    expect(zobrist(0)).not.toBe(0);
  });
});

describe('parsers report what they cannot read', () => {
  const etcd = (lines: string[]) => parseJepsenEtcdLog(lines.map((l) => `INFO  jepsen.util - ${l}`).join('\n'));

  it('etcd logs: operations, values, nil, cas, failures and unknown outcomes', () => {
    const ops = etcd(['0\t:invoke\t:write\t3', '1\t:invoke\t:read\tnil', '0\t:ok\t:write\t3', '1\t:ok\t:read\tnil', '2\t:invoke\t:cas\t[3 4]', '2\t:fail\t:cas\t[3 4]', '3\t:invoke\t:read\tnil', '3\t:fail\t:read\tnil', '4\t:invoke\t:write\t5', '4\t:info\t:write\t5', '5\t:invoke\t:read\tnil']);
    expect(ops).toEqual([
      { clientId: 0, input: { f: 'write', value: 3 }, call: 1, output: { status: 'ok' }, return: 3 },
      { clientId: 1, input: { f: 'read' }, call: 2, output: { status: 'ok', value: null }, return: 4 },
      { clientId: 2, input: { f: 'cas', from: 3, to: 4 }, call: 5, output: { status: 'fail' }, return: 6 },
      { clientId: 4, input: { f: 'write', value: 5 }, call: 9, output: { status: 'unknown' }, return: Infinity },
      { clientId: 5, input: { f: 'read' }, call: 11, output: { status: 'unknown' }, return: Infinity },
    ]);
    expect(parseJepsenEtcdLog('some other line\n')).toEqual([]);
  });

  it('etcd logs: a process that invokes again leaves its earlier operation unknown', () => {
    const ops = etcd(['0\t:invoke\t:write\t1', '0\t:invoke\t:write\t2', '0\t:ok\t:write\t2']);
    expect(ops.map((o) => [o.call, o.return, o.output.status])).toEqual([[1, Infinity, 'unknown'], [2, 3, 'ok']]);
  });

  it('etcd logs: errors name the line', () => {
    expect(() => parseJepsenEtcdLog('x\nINFO jepsen.util - garbage')).toThrow('line 2: cannot parse "INFO jepsen.util - garbage"');
    expect(() => etcd(['0\t:ok\t:write\t1'])).toThrow('line 1: :ok for process 0 with nothing invoked');
    expect(() => etcd(['0\t:invoke\t:write\t1', '0\t:weird\t:write\t1'])).toThrow('line 2: unknown completion type :weird');
    expect(() => etcd(['0\t:invoke\t:delete\t1'])).toThrow('line 1: unknown operation :delete');
    expect(() => etcd(['0\t:invoke\t:write\tabc'])).toThrow('line 1: bad value "abc"');
    expect(() => etcd(['0\t:invoke\t:cas\t3'])).toThrow('line 1: bad cas argument "3"');
    expect(() => etcd(['0\t:invoke\t:write\t1', '0\t:ok\t:read\t1'])).toThrow('line 2: :read completes a :write');
  });

  it('kv EDN: get, put, append, fail and info', () => {
    const text = [
      '{:process 0, :type :invoke, :f :put, :key "k", :value "x"}',
      '{:process 0, :type :ok, :f :put, :key "k", :value "x"}',
      '',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 1, :type :ok, :f :get, :key "k", :value nil}',
      '{:process 2, :type :invoke, :f :append, :key 7, :value "y"}',
      '{:process 2, :type :fail, :f :append, :key 7, :value "y"}',
      '{:process 3, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 3, :type :fail, :f :get, :key "k", :value nil}',
      '{:process 4, :type :invoke, :f :append, :key "k", :value "z\\"q"}',
      '{:process 4, :type :info, :f :append, :key "k", :value "z\\"q"}',
      '{:process 5, :type :invoke, :f :put, :key "k", :value nil}',
      '{:process 5, :type :ok, :f :put, :key "k", :value nil}',
    ].join('\n');
    expect(parseKvEdn(text)).toEqual([
      { clientId: 0, input: { f: 'put', key: 'k', value: 'x' }, call: 1, output: { status: 'ok' }, return: 2 },
      { clientId: 1, input: { f: 'get', key: 'k' }, call: 4, output: { status: 'ok', value: '' }, return: 5 },
      { clientId: 2, input: { f: 'append', key: '7', value: 'y' }, call: 6, output: { status: 'fail' }, return: 7 },
      { clientId: 4, input: { f: 'append', key: 'k', value: 'z"q' }, call: 10, output: { status: 'unknown' }, return: Infinity },
      { clientId: 5, input: { f: 'put', key: 'k', value: '' }, call: 12, output: { status: 'ok' }, return: 13 },
    ]);
  });

  it('kv EDN: errors name the line', () => {
    expect(() => parseKvEdn('\n[:process 0]')).toThrow('line 2: not an EDN map');
    expect(() => parseKvEdn('{:process 0, :type :invoke, :f :get}')).toThrow('line 1: needs :process, :type, :f and :key');
    expect(() => parseKvEdn('{:process 0, :type :invoke, :f :get, :key nil}')).toThrow('line 1: needs :process, :type, :f and :key');
    expect(() => parseKvEdn('{:process "p", :type :invoke, :f :get, :key "k"}')).toThrow('needs :process');
    expect(() => parseKvEdn('{:process 0, :type :invoke, :f :cas, :key "k"}')).toThrow('line 1: unknown operation :cas');
    expect(() => parseKvEdn('{:process 0, :type :invoke, :f :get, :key "k"}\n{:process 0, :type :ok, :f :put, :key "k"}')).toThrow(
      'line 2: :put completes a :get',
    );
  });
});
