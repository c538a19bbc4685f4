import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { SafetyMonitor, type Violation } from '../../src/check/safety';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario } from '../../src/drive/scenario/run';
import { loadSqlJs } from '../../src/db/sqljs';
import { brokenModesOf, withBrokenMode } from '../../src/store/brokenModes';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { simOptionsOf } from '../../src/replay/options';
import { runScenarioText } from '../../src/store/runScenario';
import { Simulation } from '../../src/replay/simulation';
import { frameOfSeq, getSim, useStore } from '../../src/store/store';

const DIR = join(process.cwd(), 'scenarios');
let SQL: SqlJsStatic;

function headlessViolations(text: string): Violation[] {
  return runScenario(parseScenario(text), SQL, (c) => new SafetyMonitor(c)).violations as Violation[];
}

describe('the safety monitor in the page', () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
    await useStore.getState().init(async () => SQL);
  });

  for (const [file, invariant] of [
    ['06-figure8-unsafe.json', 'Leader Completeness'],
    ['20-double-vote-unsafe.json', 'Election Safety'],
  ] as const) {
    it(`${file}: reports ${invariant} at the same event as the headless runner`, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const headless = headlessViolations(text);
      expect(headless[0]?.invariant).toBe(invariant);
      const res = runScenarioText(text);
      expect(res.ok).toBe(true);
      const sim = getSim()!;
      // The page runs a little past the scenario's end (the view lags the simulation), so compare
      // what both had found by the headless run's last event.
      const last = Math.max(...headless.map((v) => v.event));
      expect(sim.safety.violations.filter((v) => v.event <= last)).toEqual(headless);
      // Each violation leaves a red mark on the timeline at its event.
      const marks = sim.markers.filter((m) => m.kind === 'violation');
      expect(marks.map((m) => m.seq)).toEqual(sim.safety.violations.map((v) => v.event));
    });
  }

  it('keeps the same verdicts when the view seeks back before the violation and forward again, and after a replay', () => {
    runScenarioText(readFileSync(join(DIR, '06-figure8-unsafe.json'), 'utf8'));
    const sim = getSim()!;
    const first = sim.safety.firstViolation()!;
    expect(first.invariant).toBe('Leader Completeness');
    const store = useStore.getState();
    const endFrame = useStore.getState().frame;
    const atEnd = sim.safety.statusAt(sim.frames.seqEnd(endFrame));
    const checkedAtEnd = sim.safety.checkedAt(endFrame);
    expect(atEnd.find((s) => s.invariant === 'Leader Completeness')!.first).toEqual(first);

    // Back to the step before the one that broke it (one step may log several events, and the
    // monitor looks after each step): every property holds there, fewer states were checked.
    const brokeAt = frameOfSeq(sim.frames, first.event);
    store.seekEvent(sim.frames.seqEnd(brokeAt - 1) - 1);
    const before = useStore.getState().frame;
    expect(before).toBeLessThan(brokeAt);
    const then = sim.safety.statusAt(sim.frames.seqEnd(before));
    expect(then.every((s) => s.first === null)).toBe(true);
    expect(then.find((s) => s.invariant === 'Leader Completeness')!.later).toEqual(first);
    expect(sim.safety.checkedAt(before)).toBeLessThan(checkedAtEnd);

    // The jump button's seek lands on the frame where it was first detected.
    store.seekEvent(first.event);
    const broke = useStore.getState().frame;
    expect(sim.frames.seqEnd(broke)).toBeGreaterThan(first.event);
    expect(sim.frames.seqEnd(broke - 1)).toBeLessThanOrEqual(first.event);
    expect(sim.safety.statusAt(sim.frames.seqEnd(broke)).find((s) => s.invariant === 'Leader Completeness')!.first).toEqual(first);

    // Forward again: the same verdicts and count as before the seek.
    store.seekEvent(sim.frames.seqEnd(endFrame) - 1);
    expect(getSim()).toBe(sim);
    expect(sim.safety.statusAt(sim.frames.seqEnd(endFrame))).toEqual(atEnd);
    expect(sim.safety.checkedAt(endFrame)).toBe(checkedAtEnd);

    // A replay (what a fork, a share link or a reload does) rebuilds the monitor to the same state,
    // frame by frame: stopped before the violation it has found nothing, run on it finds the same.
    const early = Simulation.replay(SQL, sim.options, sim.inputs, before, () => {});
    expect(early.safety.violations).toEqual([]);
    expect(early.safety.checkedAt(before)).toBe(sim.safety.checkedAt(before));
    early.cluster.dispose();
    const again = Simulation.replay(SQL, sim.options, sim.inputs, endFrame, () => {});
    expect(again.safety.violations).toEqual(sim.safety.violations.filter((v) => v.event < again.frames.seqEnd(endFrame)));
    for (const f of [0, 1, before, broke, endFrame]) expect(again.safety.checkedAt(f)).toBe(sim.safety.checkedAt(f));
    again.cluster.dispose();
  });

  it('carries the broken switches through SimOptions.tuning into the raft options and the run file', () => {
    const text = readFileSync(join(DIR, '20-double-vote-unsafe.json'), 'utf8');
    const options = simOptionsOf(parseScenario(text));
    expect(brokenModesOf(options).map((m) => m.key)).toEqual(['unsafeDoubleVote']);
    const both = withBrokenMode(options, 'unsafeCommitOldTerms', true);
    expect(brokenModesOf(both).map((m) => m.key)).toEqual(['unsafeCommitOldTerms', 'unsafeDoubleVote']);
    expect(brokenModesOf(withBrokenMode(both, 'unsafeDoubleVote', false)).map((m) => m.key)).toEqual(['unsafeCommitOldTerms']);

    useStore.getState().newCluster(both);
    const raft = getSim()!.cluster.servers.get('n1')!.proc.raft!;
    expect(raft.opts.unsafeCommitOldTerms).toBe(true);
    expect(raft.opts.unsafeDoubleVote).toBe(true);

    const parsed = parseRun(JSON.stringify(toRunFile(useStore.getState().currentRun()!)), 'the run');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(brokenModesOf(parsed.run.options).map((m) => m.key)).toEqual(['unsafeCommitOldTerms', 'unsafeDoubleVote']);
  });
});
