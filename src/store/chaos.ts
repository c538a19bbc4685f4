import { checkLevel, verdictOf, type ChaosVerdict, type LevelVerdict } from '../check/chaos/verdict';
import { SafetyMonitor } from '../check/safety';
import { runChaos, runChaosOn } from '../drive/chaos/run';
import { defaultChaosOptions, type ChaosOptions, type ChaosRun } from '../drive/chaos/types';
import { create } from 'zustand';
import { getSqlJs } from '../db/sqljs';
import { pageHost } from '../replay/pageHost';
import { defaultSimOptions } from '../replay/simulation';
import { useStore } from './store';
import { yieldToPage } from './yieldToPage';

export interface ChaosResult {
  run: ChaosRun;
  verdict: ChaosVerdict;
  /** Wall-clock time the page spent, for the learner's curiosity only (never in the run). */
  ms: number;
  /** The run is the cluster view's current run: it can be played, scrubbed and shared. */
  inView: boolean;
}

/** The last chaos result, kept while the panel is closed so the learner can watch and come back. */
export const useChaosResult = create<{ result: ChaosResult | null; set(result: ChaosResult | null): void }>()((set) => ({
  result: null,
  set: (result) => set({ result }),
}));

/**
 * The page's step budget per level. A browser tab must stay responsive; a chaos history of a few
 * hundred operations over three keys decides in far fewer steps, and an undecided level says so.
 */
const PAGE_BUDGET = 1_000_000;

/**
 * Drive a fresh cluster in the view (the page's default options with the chaos seed, which is
 * exactly the headless cluster): every step is a frame and every fault and request an input.
 */
function runInView(opts: ChaosOptions): ChaosRun | null {
  const st = useStore.getState();
  st.pause();
  st.newCluster({ ...defaultSimOptions, nodes: opts.nodes, seed: opts.seed });
  let run: ChaosRun | null = null;
  st.drive((d) => {
    const safety = d.sim.safety;
    run = runChaosOn(pageHost(d), opts, { violations: () => [...safety.violations], finish: () => safety.monitor.finish() });
  });
  return run;
}

/**
 * Run the chaos driver in the page — in the cluster view, or headless — with the same code and seed
 * as `npm run chaos`, so the CLI reproduces it; then check one level at a time, letting the page
 * paint in between.
 */
export async function runChaosInPage(
  options: Partial<ChaosOptions>,
  inView: boolean,
  onPhase: (text: string) => void,
  budget = PAGE_BUDGET,
): Promise<ChaosResult> {
  const opts: ChaosOptions = { ...defaultChaosOptions, ...options };
  const t0 = performance.now();
  onPhase(inView ? 'running the cluster in the view under faults…' : 'running the cluster under faults…');
  await yieldToPage();
  const run = inView ? runInView(opts) : runChaos(getSqlJs(), opts, (c) => new SafetyMonitor(c));
  if (!run) throw new Error('the cluster view is not ready');
  const levels: LevelVerdict[] = [];
  for (const level of run.options.levels) {
    onPhase(`checking ${level} reads for linearizability…`);
    await yieldToPage();
    levels.push(checkLevel(run.history, level, budget));
  }
  // verdictOf applies the rule `npm run chaos` applies: an undecided strong/linearizable level is
  // neither a pass nor a failure (RunOutcome).
  return { run, verdict: verdictOf(run, levels), ms: performance.now() - t0, inView };
}

/**
 * Play the chaos run in the view from just before its first client request. Not `play()`: from the
 * past that forks and throws the recorded future away; here the future is the point (as in tours).
 */
export function watchChaos(run: ChaosRun): void {
  const first = run.history[0]?.call ?? 0;
  useStore.getState().seekTime(Math.max(0, first - 100));
  useStore.setState({ playing: true });
}
