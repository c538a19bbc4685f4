import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SafetyMonitor } from '../../src/check/safety';
import type { EntryData, RqliteResponse } from '../../src/cluster/types';
import { NodeDatabase } from '../../src/db/database';
import type { ExecuteResult } from '../../src/db/types';
import { SQL_MIX_QUERIES, SQL_MIX_SETUP, sqlMixStatement } from '../../src/drive/chaos/sqlMix';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario } from '../../src/drive/scenario/run';
import { sqljs } from '../helpers/drive';
import { toJson } from '../../src/db/json';

/**
 * The differential fuzzer of "Every node ends with the same database": SQL beyond key–value
 * (sqlMix.ts) interleaved with snapshots, crashes, restarts, a join and partitions. Properties:
 * every live node ends with the same dbHash; every admitted statement finishes (the run ends);
 * and every statement's result, and the final database, equal plain sql.js (a fresh NodeDatabase,
 * no batching, no snapshot) applying the same committed log. FUZZ_RUNS=N for a long run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const NODES = ['n1', 'n2', 'n3'];

type Op =
  | { op: 'exec'; node: number; seeds: number[]; transaction: boolean }
  | { op: 'query'; node: number; q: number; level: number }
  | { op: 'snapshot' | 'kill' | 'restart' | 'isolate'; node: number }
  | { op: 'heal' | 'join' }
  | { op: 'wait'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('exec' as const), node: fc.nat(3), seeds: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), transaction: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('query' as const), node: fc.nat(2), q: fc.nat(SQL_MIX_QUERIES.length - 1), level: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('snapshot' as const, 'kill' as const, 'restart' as const, 'isolate' as const), node: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('heal' as const, 'join' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 10, max: 800 }) }) },
);

function picker(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9;
    s ^= s >>> 12;
    return (s >>> 0) % n;
  };
}

function scenarioOf(ops: Op[], seed: number): { text: string; tags: Map<string, number> } {
  const tags = new Map<string, number>();
  let joined = false;
  const steps: object[] = [{ waitFor: 'leader' }, { execute: SQL_MIX_SETUP }];
  ops.forEach((o, i) => {
    const node = (n: number) => (n === 3 ? 'leader' : NODES[n]);
    switch (o.op) {
      case 'exec': {
        // A tag at the end (so batching still sees a plain write) ties the answer to its log entries.
        const sql = o.seeds.map((s, k) => `${sqlMixStatement(picker(s))} /* op ${i}.${k} */`);
        tags.set(`op ${i}.0`, i);
        steps.push({ execute: sql, node: node(o.node), transaction: o.transaction, timeout: 2000 });
        break;
      }
      case 'query':
        steps.push({ query: SQL_MIX_QUERIES[o.q], node: NODES[o.node], level: ['none', 'weak', 'strong', 'linearizable'][o.level], timeout: 1000 });
        break;
      case 'join':
        if (!joined) steps.push({ join: 'n4', timeout: 3000 });
        joined = true;
        break;
      case 'heal':
        steps.push({ heal: true });
        break;
      case 'wait':
        steps.push({ wait: o.ms });
        break;
      default:
        steps.push({ [o.op]: NODES[o.node] });
    }
  });
  steps.push({ heal: true });
  for (const n of NODES) steps.push({ restart: n });
  steps.push({ waitFor: 'converged', timeout: 30000 });
  return { text: JSON.stringify({ nodes: 3, seed, options: { snapshotThreshold: 4 }, steps }), tags };
}

async function check(ops: Op[], seed: number): Promise<void> {
  const SQL = await sqljs();
  const { text } = scenarioOf(ops, seed);
  const log = new Map<number, EntryData>();
  const out = runScenario(parseScenario(text), SQL, (c) => {
    c.observe({
      onApply: (_s, e) => {
        if (e.kind === 'command' && !log.has(e.index)) log.set(e.index, e.data as EntryData);
      },
    });
    return new SafetyMonitor(c);
  });
  expect(out.violations).toEqual([]);
  // A server whose join never committed is not a member: it holds no replica to compare.
  const live = out.nodes.filter((n) => n.dbHash !== null && n.member);
  expect(new Set(live.map((n) => n.dbHash)).size, JSON.stringify(live.map((n) => [n.id, n.lastApplied, n.dbHash]))).toBe(1);

  // Plain sql.js applying the same committed log, one command at a time.
  const plain = NodeDatabase.create(SQL);
  const byTag = new Map<string, ExecuteResult[][]>();
  for (const index of [...log.keys()].sort((a, b) => a - b)) {
    const d = log.get(index)!;
    if (d.op !== 'execute') continue;
    const r = plain.execute({ statements: d.statements, transaction: d.transaction, ts: d.ts, seed: index });
    const tag = /\/\* (op \d+\.0) \*\/$/.exec(d.statements[0].sql)?.[1];
    if (tag) byTag.set(tag, [...(byTag.get(tag) ?? []), r]);
  }
  expect(plain.hash()).toBe(live[0].dbHash);
  plain.close();
  out.steps.forEach((s) => {
    const results = s.ok ? (s.result as RqliteResponse | null)?.results : undefined;
    const step = JSON.parse(text).steps[s.i] as { execute?: string[] };
    const tag = step.execute ? /\/\* (op \d+\.0) \*\/$/.exec(step.execute[0])?.[1] : undefined;
    if (!results || !tag) return;
    const replayed = byTag.get(tag) ?? [];
    expect(replayed.some((r) => toJson(r) === toJson(results)), `${tag}: ${toJson(results)} vs ${toJson(replayed)}`).toBe(true);
  });
}

describe('differential fuzzer: any SQL, any faults, the same database everywhere', () => {
  it(`holds over ${RUNS} generated runs`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 30 }), fc.nat(1000), (ops, seed) => check(ops, seed)),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261130) },
    );
  }, Math.max(600_000, RUNS * 1000));
});
