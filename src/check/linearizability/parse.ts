import type { KvInput, KvOperation, KvOutput } from './models/kvStore';
import type { RegisterInput, RegisterOperation, RegisterOutput, Value } from './models/casRegister';
import type { Operation } from './types';

/**
 * Parsers for Jepsen-style histories. An operation's times are the line numbers of its
 * invocation and completion; an `:info` completion (or none at all) leaves it with unknown outcome
 * and `return = Infinity`.
 */

interface Pending<I> {
  input: I;
  call: number;
}

interface JepsenEvent {
  process: number;
  type: string;
  f: string;
}

interface EtcdEvent extends JepsenEvent {
  value: string;
}

interface KvEvent extends JepsenEvent {
  key: string;
  value: string | null;
}

/**
 * Pair each completion with its process's open invocation. `complete` returns null for an
 * operation to leave out (a failed read: it did nothing and observed nothing).
 */
function pairUp<E extends JepsenEvent, I, O>(
  events: { line: number; ev: E }[],
  toInput: (ev: E, line: number) => I,
  complete: (ev: E, pending: Pending<I>, line: number) => O | null,
  unknown: O,
): Operation<I, O>[] {
  const open = new Map<number, Pending<I>>();
  const ops: Operation<I, O>[] = [];
  const finish = (process: number, p: Pending<I>, output: O, ret: number): void => {
    ops.push({ clientId: process, input: p.input, call: p.call, output, return: ret });
  };
  for (const { line, ev } of events) {
    const pending = open.get(ev.process);
    if (ev.type === 'invoke') {
      // Jepsen gives a crashed process a new number, so a process that invokes again while an
      // earlier operation is open only happens in hand-made logs: treat the earlier one as lost.
      if (pending) finish(ev.process, pending, unknown, Infinity);
      open.set(ev.process, { input: toInput(ev, line), call: line });
      continue;
    }
    if (!pending) throw new Error(`line ${line}: :${ev.type} for process ${ev.process} with nothing invoked`);
    open.delete(ev.process);
    if (ev.type === 'info') finish(ev.process, pending, unknown, Infinity);
    else if (ev.type === 'ok' || ev.type === 'fail') {
      const output = complete(ev, pending, line);
      if (output !== null) finish(ev.process, pending, output, line);
    } else throw new Error(`line ${line}: unknown completion type :${ev.type}`);
  }
  for (const [process, p] of open) finish(process, p, unknown, Infinity);
  return ops.sort((a, b) => a.call - b.call);
}

const ETCD_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(\w+)\s+:(\w+)\s+(.*?)\s*$/;

function etcdValue(text: string, line: number): Value {
  if (text === 'nil') return null;
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return n;
}

function etcdCas(text: string, line: number): [Value, Value] {
  const m = /^\[(\S+)\s+(\S+)\]$/.exec(text);
  if (!m) throw new Error(`line ${line}: bad cas argument ${JSON.stringify(text)}`);
  return [etcdValue(m[1], line), etcdValue(m[2], line)];
}

/** Jepsen's etcd cas-register logs (`INFO  jepsen.util - 3	:invoke	:write	4`). */
export function parseJepsenEtcdLog(text: string): RegisterOperation[] {
  const events: { line: number; ev: EtcdEvent }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.includes('jepsen.util')) return;
    const m = ETCD_LINE.exec(raw);
    if (!m) throw new Error(`line ${i + 1}: cannot parse ${JSON.stringify(raw)}`);
    events.push({ line: i + 1, ev: { process: Number(m[1]), type: m[2], f: m[3], value: m[4] } });
  });
  const toInput = (ev: EtcdEvent, line: number): RegisterInput => {
    if (ev.f === 'read') return { f: 'read' };
    if (ev.f === 'write') return { f: 'write', value: etcdValue(ev.value, line) };
    if (ev.f === 'cas') {
      const [from, to] = etcdCas(ev.value, line);
      return { f: 'cas', from, to };
    }
    throw new Error(`line ${line}: unknown operation :${ev.f}`);
  };
  const complete = (ev: EtcdEvent, p: Pending<RegisterInput>, line: number): RegisterOutput | null => {
    if (ev.f !== p.input.f) throw new Error(`line ${line}: :${ev.f} completes a :${p.input.f}`);
    if (ev.type === 'fail') return p.input.f === 'read' ? null : { status: 'fail' };
    return p.input.f === 'read' ? { status: 'ok', value: etcdValue(ev.value, line) } : { status: 'ok' };
  };
  return pairUp(events, toInput, complete, { status: 'unknown' });
}

const EDN_PAIR = /:([\w-]+)\s+("(?:[^"\\]|\\.)*"|nil|-?\d+(?:\.\d+)?|:[\w-]+)/g;

/** One flat EDN map of keyword keys to strings, numbers, nil or keywords (keywords lose the colon). */
function parseEdnLine(raw: string, line: number): Map<string, string | number | null> {
  const body = raw.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw new Error(`line ${line}: not an EDN map`);
  const map = new Map<string, string | number | null>();
  for (const m of body.slice(1, -1).matchAll(EDN_PAIR)) {
    const v = m[2];
    if (v === 'nil') map.set(m[1], null);
    else if (v.startsWith('"')) map.set(m[1], JSON.parse(v) as string);
    else if (v.startsWith(':')) map.set(m[1], v.slice(1));
    else map.set(m[1], Number(v));
  }
  return map;
}

/** Porcupine's kv histories: one EDN map per line (`{:process 0, :type :invoke, :f :get, …}`). */
export function parseKvEdn(text: string): KvOperation[] {
  const events: { line: number; ev: KvEvent }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const m = parseEdnLine(raw, i + 1);
    const [process, type, f, key, value] = ['process', 'type', 'f', 'key', 'value'].map((k) => m.get(k));
    if (typeof process !== 'number' || typeof type !== 'string' || typeof f !== 'string' || key === undefined || key === null)
      throw new Error(`line ${i + 1}: needs :process, :type, :f and :key`);
    const str = value === undefined || value === null ? null : String(value);
    events.push({ line: i + 1, ev: { process, type, f, key: String(key), value: str } });
  });
  const toInput = (ev: KvEvent, line: number): KvInput => {
    if (ev.f === 'get') return { f: 'get', key: ev.key };
    if (ev.f === 'put' || ev.f === 'append') return { f: ev.f, key: ev.key, value: ev.value ?? '' };
    throw new Error(`line ${line}: unknown operation :${ev.f}`);
  };
  const complete = (ev: KvEvent, p: Pending<KvInput>, line: number): KvOutput | null => {
    if (ev.f !== p.input.f) throw new Error(`line ${line}: :${ev.f} completes a :${p.input.f}`);
    if (ev.type === 'fail') return p.input.f === 'get' ? null : { status: 'fail' };
    return p.input.f === 'get' ? { status: 'ok', value: ev.value ?? '' } : { status: 'ok' };
  };
  return pairUp(events, toInput, complete, { status: 'unknown' });
}
