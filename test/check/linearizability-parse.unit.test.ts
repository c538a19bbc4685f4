/**
 * The Jepsen history parsers on the edges of their formats: spacing, multi-character numbers,
 * completions out of invocation order, and lines that look almost right (which must be refused
 * with the line named, not read as something else).
 */
import { describe, expect, it } from 'vitest';
import { parseJepsenEtcdLog, parseKvEdn } from '../../src/check/linearizability';

describe('etcd logs', () => {
  it('reads any run of spaces and tabs between fields, multi-digit processes and values', () => {
    const text = [
      'INFO jepsen.util -  12 \t:invoke  :cas \t[10   -3]  ',
      'INFO  jepsen.util  -\t12\t:ok\t:cas \t[10 -3]',
      'INFO  jepsen.util - 7\t:invoke\t:write\t-25',
      'INFO  jepsen.util - 7\t:ok\t:write\t-25',
    ].join('\n');
    expect(parseJepsenEtcdLog(text)).toEqual([
      { clientId: 12, input: { f: 'cas', from: 10, to: -3 }, call: 1, output: { status: 'ok' }, return: 2 },
      { clientId: 7, input: { f: 'write', value: -25 }, call: 3, output: { status: 'ok' }, return: 4 },
    ]);
  });

  it('gives operations in invocation order, whatever order they complete in', () => {
    const text = [
      'INFO  jepsen.util - 0\t:invoke\t:write\t1',
      'INFO  jepsen.util - 1\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 1\t:ok\t:read\t1',
      'INFO  jepsen.util - 0\t:ok\t:write\t1',
    ].join('\n');
    expect(parseJepsenEtcdLog(text).map((o) => [o.clientId, o.call, o.return])).toEqual([
      [0, 1, 4],
      [1, 2, 3],
    ]);
  });

  it('refuses a line that only contains the format, or a value or cas argument with more in it', () => {
    expect(() => parseJepsenEtcdLog('12:00 INFO  jepsen.util - 0\t:invoke\t:read\tnil')).toThrow('line 1: cannot parse');
    expect(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:write\t')).toThrow('line 1: bad value ""');
    expect(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:write\t4 x')).toThrow('line 1: bad value "4 x"');
    expect(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:cas\tx[1 2]')).toThrow('line 1: bad cas argument "x[1 2]"');
    expect(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2]x')).toThrow('line 1: bad cas argument "[1 2]x"');
    expect(() => parseJepsenEtcdLog('INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2 3]')).toThrow('line 1: bad cas argument "[1 2 3]"');
  });
});

describe('kv EDN', () => {
  it('reads spaced-out maps, blank lines of spaces, negative and decimal numbers', () => {
    const text = [
      '   {:process   -1,  :type :invoke, :f :put, :key 2.5, :value "a b"}  ',
      '   ',
      '{:process -1, :type :ok, :f :put, :key 2.5, :value "a b"}',
      '{:process 10, :type :invoke, :f :append, :key "k", :value 7}',
      '{:process 10, :type :ok, :f :append, :key "k", :value 7}',
    ].join('\n');
    expect(parseKvEdn(text)).toEqual([
      { clientId: -1, input: { f: 'put', key: '2.5', value: 'a b' }, call: 1, output: { status: 'ok' }, return: 3 },
      { clientId: 10, input: { f: 'append', key: 'k', value: '7' }, call: 4, output: { status: 'ok' }, return: 5 },
    ]);
  });

  it('reads keys and keywords with dashes, and skips keys it does not know', () => {
    const text = [
      '{:process 0, :type :invoke, :f :get, :key :my-key, :time-ns 12}',
      '{:process 0, :type :ok, :f :get, :key :my-key, :value "v"}',
    ].join('\n');
    expect(parseKvEdn(text)).toEqual([
      { clientId: 0, input: { f: 'get', key: 'my-key' }, call: 1, output: { status: 'ok', value: 'v' }, return: 2 },
    ]);
  });

  it('gives operations in invocation order, whatever order they complete in', () => {
    const text = [
      '{:process 0, :type :invoke, :f :put, :key "k", :value "x"}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 1, :type :ok, :f :get, :key "k", :value "x"}',
      '{:process 0, :type :ok, :f :put, :key "k", :value "x"}',
    ].join('\n');
    expect(parseKvEdn(text).map((o) => [o.clientId, o.call, o.return])).toEqual([
      [0, 1, 4],
      [1, 2, 3],
    ]);
  });

  it('refuses a line that is not one map, or one without :process, :type, :f or :key', () => {
    expect(() => parseKvEdn('{:process 0, :type :invoke, :f :get, :key "k"]')).toThrow('line 1: not an EDN map');
    expect(() => parseKvEdn('x{:process 0, :type :invoke, :f :get, :key "k"}')).toThrow('line 1: not an EDN map');
    expect(() => parseKvEdn('{:process 0, :f :get, :key "k"}')).toThrow('line 1: needs :process, :type, :f and :key');
    expect(() => parseKvEdn('{:process 0, :type :invoke, :key "k"}')).toThrow('line 1: needs :process, :type, :f and :key');
  });

  it('a put without a value puts ""; a number key keeps all its digits', () => {
    const text = ['{:process 0, :type :invoke, :f :put, :key 2.75}', '{:process 0, :type :ok, :f :put, :key 2.75}'].join('\n');
    expect(parseKvEdn(text)).toEqual([{ clientId: 0, input: { f: 'put', key: '2.75', value: '' }, call: 1, output: { status: 'ok' }, return: 2 }]);
  });
});
