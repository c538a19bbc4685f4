import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SafetyMonitor, type Invariant, type Violation } from '../../src/check/safety';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario, type ScenarioOutput } from '../../src/drive/scenario/run';
import { sqljs } from '../helpers/drive';
import { runFile, SCENARIO_DIR } from '../helpers/scenario';

/**
 * Each scenario that switches a safety rule off must be caught, by the property it breaks. Leader
 * Append-Only has none: no broken mode makes a leader rewrite its own log, so it is defended by the
 * hand-built states of test/check/safety-monitor.test.ts only.
 */
interface Caught {
  /** Every property the run breaks. */
  invariants: Invariant[];
  /** Those among the first 20 reports, which is what the CLI prints. */
  printed: Invariant[];
  /** Distinct databases among the live nodes at the end. */
  databases: number;
  rule: 'unsafeCommitOldTerms' | 'unsafeDoubleVote';
}

const CAUGHT: Record<string, Caught> = {
  '06-figure8-unsafe.json': {
    invariants: ['Leader Completeness', 'State Machine Safety'],
    printed: ['Leader Completeness', 'State Machine Safety'],
    databases: 2,
    rule: 'unsafeCommitOldTerms',
  },
  '20-double-vote-unsafe.json': { invariants: ['Election Safety'], printed: ['Election Safety'], databases: 1, rule: 'unsafeDoubleVote' },
  '25-log-matching-unsafe.json': {
    invariants: ['Election Safety', 'Log Matching', 'State Machine Safety'],
    printed: ['Election Safety', 'Log Matching'],
    databases: 2,
    rule: 'unsafeDoubleVote',
  },
};

const invariants = (out: ScenarioOutput) => new Set((out.violations as Violation[]).map((v) => v.invariant));
const databases = (out: ScenarioOutput) => new Set(out.nodes.filter((n) => n.alive).map((n) => n.dbHash)).size;

/** Run with a monitor that keeps every report: the CLI's keeps 20, and one broken property can fill them. */
async function runAll(text: string): Promise<ScenarioOutput> {
  return runScenario(parseScenario(text), await sqljs(), (c) => new SafetyMonitor(c, 1, 100_000));
}

describe('every deliberately unsafe scenario is caught by the property it breaks', () => {
  const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('-unsafe.json'));

  it('each one says what it must be caught by', () => {
    expect(files.sort()).toEqual(Object.keys(CAUGHT).sort());
  });

  for (const [file, want] of Object.entries(CAUGHT)) {
    it(`${file}: ${want.invariants.join(', ')}${want.databases > 1 ? ', and the databases differ' : ''}`, async () => {
      const text = readFileSync(resolve(SCENARIO_DIR, file), 'utf8');
      const out = await runAll(text);
      for (const inv of want.invariants) expect(invariants(out), inv).toContain(inv);
      expect(databases(out)).toBe(want.databases);
      expect([...invariants(await runFile(file))].sort()).toEqual([...want.printed].sort());
    });

    it(`${file} with ${want.rule} back on: nothing to report, one database`, async () => {
      const scenario = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as { options: Record<string, unknown> };
      scenario.options[want.rule] = false;
      const out = await runAll(JSON.stringify(scenario));
      expect(out.violations).toEqual([]);
      expect(databases(out)).toBe(1);
    });
  }

  it('25-log-matching-unsafe.json: the two term-1 leaders hold different entries at index 2', async () => {
    const out = await runFile('25-log-matching-unsafe.json');
    const found = (out.violations as Violation[]).find((v) => v.invariant === 'Log Matching');
    expect(found?.detail).toBe('n2 and n4 hold different entries at 2 in term 1');
    // n2 kept its own entry: its database is the odd one out.
    const n2 = out.nodes.find((n) => n.id === 'n2')!;
    expect(out.nodes.filter((n) => n.dbHash === n2.dbHash).map((n) => n.id)).toEqual(['n2']);
  });
});
