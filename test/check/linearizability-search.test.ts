/**
 * The search and its memo cache against a handful of Porcupine's labelled histories (the full
 * sweep is test/check/linearizability.test.ts). Each verdict must match its label, and the
 * search's report must be a witness a person can check: for a linearizable history, an order of
 * every operation that the model accepts and that respects real time; for an illegal one, a legal
 * prefix after which none of the operations reported stuck can come next.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  casRegister,
  checkOperations,
  kvStore,
  parseJepsenEtcdLog,
  parseKvEdn,
  type Model,
  type Operation,
  type PartitionReport,
  type RegisterInput,
  type RegisterOutput,
  type Value,
} from '../../src/check/linearizability';

const DATA = path.resolve(__dirname, '../fixtures/porcupine');
const labels = JSON.parse(readFileSync(path.join(DATA, 'labels.json'), 'utf8')) as Record<string, Record<string, boolean>>;
const etcd = (file: string) => parseJepsenEtcdLog(readFileSync(path.join(DATA, 'etcd-jepsen', file), 'utf8'));
const kv = (file: string) => parseKvEdn(readFileSync(path.join(DATA, 'kv', file), 'utf8'));

/**
 * Histories that need backtracking (hundreds to tens of thousands of steps with the cache) and
 * the most steps each may take: the memo cache is what keeps them that small, so a search that
 * prunes less runs out of this budget and answers 'unknown'.
 */
const ETCD: [string, number][] = [
  ['etcd_005.log', 2_000],
  ['etcd_018.log', 8_000],
  ['etcd_098.log', 16_000],
  ['etcd_053.log', 40_000],
  ['etcd_000.log', 4_000],
  ['etcd_073.log', 8_000],
  ['etcd_085.log', 50_000],
  ['etcd_097.log', 50_000],
];
const KV: [string, number][] = [
  ['c01-ok.txt', 200],
  ['c01-bad.txt', 200],
  ['c10-ok.txt', 3_000],
  ['c10-bad.txt', 3_000],
];

/** Replay `order` through the model from its initial state; the state after, or null if refused. */
function replay<S, I, O>(model: Model<S, I, O>, order: Operation<I, O>[]): { ok: boolean; state: S } {
  let state = model.init();
  for (const o of order) {
    const [legal, after] = model.step(state, o.input, o.output);
    if (!legal) return { ok: false, state };
    state = after;
  }
  return { ok: true, state };
}

/** No operation comes before one that returned before it was called. */
function respectsRealTime<I, O>(order: Operation<I, O>[]): boolean {
  let latestCall = -Infinity;
  for (const o of order) {
    if (o.return < latestCall) return false;
    latestCall = Math.max(latestCall, o.call);
  }
  return true;
}

function expectWitness<S, I, O>(model: Model<S, I, O>, report: PartitionReport<I, O>): void {
  const prefix = report.longestPrefix;
  expect(new Set(prefix).size).toBe(prefix.length);
  expect(prefix.every((o) => report.history.includes(o))).toBe(true);
  expect(replay(model, prefix).ok).toBe(true);
  expect(respectsRealTime(prefix)).toBe(true);
  if (report.result === 'ok') {
    expect(prefix).toHaveLength(report.history.length);
    expect(report.stuck).toEqual([]);
    return;
  }
  expect(report.result).toBe('illegal');
  expect(prefix.length).toBeLessThan(report.history.length);
  expect(report.stuck.length).toBeGreaterThan(0);
  // The stuck operations are the ones still pending after the prefix whose calls come before the
  // first return left: exactly the candidates for the next place.
  const left = report.history.filter((o) => !prefix.includes(o));
  const firstReturn = Math.min(...left.map((o) => o.return));
  const candidates = left.filter((o) => o.call <= firstReturn);
  expect(new Set(report.stuck)).toEqual(new Set(candidates));
}

describe('the search on labelled histories', () => {
  it.each(ETCD)('etcd-jepsen/%s matches its label within %i steps, with a witness', (file, maxSteps) => {
    const out = checkOperations(casRegister, etcd(file), { budget: maxSteps });
    expect(out.result).toBe(labels['etcd-jepsen'][file] ? 'ok' : 'illegal');
    expect(out.steps).toBeLessThanOrEqual(maxSteps);
    expectWitness(casRegister, out.info.partitions[0]);
  });

  it.each(KV)('kv/%s matches its label within %i steps, with a witness per key', (file, maxSteps) => {
    const out = checkOperations(kvStore, kv(file), { budget: maxSteps, stopOnIllegal: false });
    expect(out.result).toBe(labels['kv'][file] ? 'ok' : 'illegal');
    for (const report of out.info.partitions) expectWitness(kvStore, report);
  });

  it('a model that hashes its states gets the same verdicts and witnesses', () => {
    const hashed: Model<Value, RegisterInput, RegisterOutput> = { ...casRegister, hash: (s) => String(s) };
    for (const [file, maxSteps] of ETCD) {
      const out = checkOperations(hashed, etcd(file), { budget: maxSteps });
      expect(out.result, file).toBe(labels['etcd-jepsen'][file] ? 'ok' : 'illegal');
      expectWitness(hashed, out.info.partitions[0]);
    }
  });
});
