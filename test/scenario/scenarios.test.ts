import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScenarioOutput } from '../../src/drive/scenario/run';
import { rows, run, runFile, SCENARIO_DIR } from '../helpers/scenario';
import { toJson } from '../../src/db/json';

const FILES = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

/** Each file runs once; the checks below share its output. */
const outputs = new Map<string, Promise<ScenarioOutput>>();
function output(file: string): Promise<ScenarioOutput> {
  let out = outputs.get(file);
  if (!out) outputs.set(file, (out = runFile(file)));
  return out;
}

describe('every scenario file shows what its expectations say', () => {
  for (const file of FILES) {
    it(file, async () => {
      const out = await output(file);
      // A file is a test: it must say what it shows (its `expect` blocks), and show it.
      expect(out.expectations, `${file} states no expectations`).toBeDefined();
      expect(out.expectations!.checked).toBeGreaterThan(0);
      expect(out.expectations!.failed).toEqual([]);
      expect(out.events).toBeGreaterThan(0);
      // Files named *-unsafe switch a safety rule off on purpose; every other one runs with no violation.
      if (!file.includes('unsafe')) expect(out.violations).toEqual([]);
    });
  }
});

// What the files cannot say with `expect`: a whole result beyond the first statement's rows and
// rows_affected, which invariants the monitor reported, how many distinct databases there are, and
// how long a step took.
describe('what the scenario files show beyond their expectations', () => {
  it('02-replication: the write of two rows answers with both insert ids', async () => {
    const out = await output('02-replication.json');
    expect(out.steps[2].result).toEqual({
      results: [
        { last_insert_id: 1, rows_affected: 1 },
        { last_insert_id: 2, rows_affected: 1 },
      ],
    });
  });

  it('06-figure8-unsafe: the monitor reports State Machine Safety and Leader Completeness, and the databases split in two', async () => {
    const unsafe = await output('06-figure8-unsafe.json');
    const kinds = new Set(unsafe.violations.map((v) => (v as { invariant: string }).invariant));
    expect(kinds.has('State Machine Safety')).toBe(true);
    expect(kinds.has('Leader Completeness')).toBe(true);
    expect(new Set(unsafe.nodes.map((n) => n.dbHash)).size).toBe(2);
  });

  it('08-failing-statement: the second of three statements fails, exactly so, and the third still runs', async () => {
    const out = await output('08-failing-statement.json');
    const r2 = out.steps[2].result as { results: { error?: string }[] };
    expect(r2.results[1].error).toBe('near "SELEC": syntax error');
    expect(r2.results).toHaveLength(3);
  });

  it('10-queued-writes: a queued write is acknowledged at once with a sequence number and no results', async () => {
    const out = await output('10-queued-writes.json');
    expect(out.steps[2].result).toEqual({ results: [], sequence_number: 1 });
  });

  it('18-leadership-transfer: the transfer to an up-to-date follower takes less than 100 ms', async () => {
    const out = await output('18-leadership-transfer.json');
    expect(out.steps[2].at - out.steps[1].at).toBeLessThan(100);
  });
});

describe('scenarios built in TypeScript', () => {
  it('§5.4.2 crashed followers and candidates catch up after restart', async () => {
    const out = await run({
      nodes: 5,
      seed: 12,
      steps: [
        { waitFor: 'leader' },
        { execute: 'CREATE TABLE t(v)' },
        { kill: 'n2' },
        { kill: 'n3' },
        { waitFor: 'leader' },
        { execute: [["INSERT INTO t VALUES(?)", 1], ["INSERT INTO t VALUES(?)", 2]] },
        { restart: 'n2' },
        { restart: 'n3' },
        { waitFor: 'converged' },
      ],
    });
    expect(out.steps.every((s) => s.ok)).toBe(true);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
    expect(out.nodes.every((n) => n.alive && n.lastApplied === out.nodes[0].lastApplied)).toBe(true);
  });

  it('the leader crashes; a new leader is elected and the old one catches up on restart', async () => {
    const first = await run({ nodes: 3, seed: 1, steps: [{ waitFor: 'leader' }] });
    const old = first.leader!;
    const out = await run({
      nodes: 3,
      seed: 1,
      steps: [
        { waitFor: 'leader' },
        { execute: 'CREATE TABLE t(v)' },
        { kill: 'leader' },
        { waitFor: 'leader' },
        { execute: 'INSERT INTO t VALUES(1)' },
        { restart: old },
        { waitFor: 'converged' },
        { query: 'SELECT count(*) FROM t', node: old, level: 'none' },
      ],
    });
    expect(out.steps[2].node).toBe(old);
    expect(out.steps[3].node).not.toBe(old);
    expect(rows(out, 7)).toEqual([[1]]);
    expect(out.nodes.find((n) => n.id === old)!.term).toBeGreaterThan(1);
  });

  it('determinism: the same scenario twice gives identical output', async () => {
    const scenario = {
      nodes: 5,
      seed: 99,
      options: { preVote: true },
      steps: [
        { waitFor: 'leader' },
        { drop: 0.1 },
        { duplicate: 0.1 },
        { execute: 'CREATE TABLE t(v)', timeout: 3000 },
        { execute: "INSERT INTO t VALUES(random())", node: 'any', timeout: 3000 },
        { kill: 'leader' },
        { wait: 1000 },
        { query: 'SELECT * FROM t', node: 'any', level: 'none' },
      ],
    };
    const a = toJson(await run(scenario));
    const b = toJson(await run(scenario));
    expect(a).toBe(b);
  });

  it('steps naming "leader" fail cleanly when there is none', async () => {
    const out = await run({ nodes: 3, seed: 3, steps: [{ kill: 'leader' }, { execute: 'SELECT 1' }] });
    expect(out.steps[0]).toMatchObject({ ok: false, error: 'no leader' });
    expect(out.steps[1]).toMatchObject({ ok: false, error: 'no leader' });
  });
});
