import { checkLevel, verdictOf, type ChaosVerdict, type LevelVerdict } from '../check/chaos/verdict';
import { SafetyMonitor } from '../check/safety';
import { runChaos } from '../cluster/chaos/run';
import type { ChaosOptions, ChaosRun } from '../cluster/chaos/types';
import { getSqlJs } from '../db/sqljs';

export interface ChaosResult {
  run: ChaosRun;
  verdict: ChaosVerdict;
  /** Wall-clock time the page spent, for the learner's curiosity only (never in the run). */
  ms: number;
}

/**
 * The page's step budget per level. A browser tab must stay responsive; a chaos history of a few
 * hundred operations over three keys decides in far fewer steps, and an undecided level says so.
 */
const PAGE_BUDGET = 1_000_000;

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Run the headless chaos driver in the page (the same code and seed as `npm run chaos`, so the
 * CLI reproduces it), then check one level at a time, letting the page paint in between.
 */
export async function runChaosInPage(options: Partial<ChaosOptions>, onPhase: (text: string) => void): Promise<ChaosResult> {
  const t0 = performance.now();
  onPhase('running the cluster under faults…');
  await yieldToPage();
  const run = runChaos(getSqlJs(), options, (c) => new SafetyMonitor(c));
  const levels: LevelVerdict[] = [];
  for (const level of run.options.levels) {
    onPhase(`checking ${level} reads for linearizability…`);
    await yieldToPage();
    levels.push(checkLevel(run.history, level, PAGE_BUDGET));
  }
  return { run, verdict: verdictOf(run, levels), ms: performance.now() - t0 };
}
