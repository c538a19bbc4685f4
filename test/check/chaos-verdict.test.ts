import { describe, expect, it } from 'vitest';
import { judge } from '../../src/check/chaos/verdict';
import { SafetyMonitor } from '../../src/check/safety';
import type { ReadLevel } from '../../src/cluster/types';
import { runChaos } from '../../src/drive/chaos/run';
import { sqljs } from '../helpers/drive';
import { chaosRun, freshReadHistory, staleReadHistory } from '../helpers/chaosRun';

describe('the chaos verdict fails a run on anything Raft promises', () => {
  for (const level of ['strong', 'linearizable'] as const) {
    it(`a stale ${level} read fails the run`, () => {
      const verdict = judge(chaosRun(staleReadHistory(level), [level]));
      expect(verdict.levels[0]).toMatchObject({ level, result: 'illegal' });
      expect(verdict).toMatchObject({ outcome: 'fail', ok: false });
      expect(judge(chaosRun(freshReadHistory(level), [level]))).toMatchObject({ outcome: 'pass', ok: true });
    });

    it(`a stale ${level} read fails the run even when every other level passes`, () => {
      const levels: ReadLevel[] = ['none', 'weak', level];
      const verdict = judge(chaosRun(staleReadHistory(level), levels));
      expect(verdict.levels.map((v) => v.result)).toEqual(['ok', 'ok', 'illegal']);
      expect(verdict).toMatchObject({ outcome: 'fail', ok: false });
    });
  }

  for (const level of ['none', 'weak'] as const) {
    it(`a stale ${level} read is a lesson, not a failure: Raft does not promise it`, () => {
      const verdict = judge(chaosRun(staleReadHistory(level), [level]));
      expect(verdict.levels[0].result).toBe('illegal');
      expect(verdict).toMatchObject({ outcome: 'pass', ok: true });
    });
  }

  it('a safety violation, no convergence, or two databases each fail an otherwise clean run', () => {
    const clean = freshReadHistory('strong');
    expect(judge(chaosRun(clean, ['strong'])).outcome).toBe('pass');
    expect(judge(chaosRun(clean, ['strong'], { violations: [{ invariant: 'Election Safety' }] })).outcome).toBe('fail');
    expect(judge(chaosRun(clean, ['strong'], { converged: false })).outcome).toBe('fail');
    expect(judge(chaosRun(clean, ['strong'], { hashesAgree: false })).outcome).toBe('fail');
  });
});

describe('database content: the chaos run compares every member database', () => {
  it('one row changed behind Raft’s back on one node makes the hashes disagree and fails the run', async () => {
    const SQL = await sqljs();
    const options = { seed: 5, nodes: 3, ops: 30 };
    const honest = runChaos(SQL, options, (c) => new SafetyMonitor(c));
    expect(honest.hashesAgree).toBe(true);
    expect(judge(honest).outcome).toBe('pass');
    // finish() runs once the cluster has converged, just before the databases are compared.
    const tampered = runChaos(SQL, options, (c) => {
      const m = new SafetyMonitor(c);
      return {
        violations: () => m.violations(),
        finish: () => {
          m.finish();
          c.servers.get('n2')!.db!.execute({ statements: [{ sql: "INSERT INTO kv(k, v) VALUES ('behind raft', 1)" }], transaction: false, ts: 0 });
        },
      };
    });
    expect(tampered.converged).toBe(true);
    expect(tampered.violations).toEqual([]);
    expect(tampered.hashesAgree).toBe(false);
    expect(new Set(tampered.nodes.map((n) => n.dbHash)).size).toBe(2);
    expect(judge(tampered).outcome).toBe('fail');
  });
});
