import { runSteps, type StepOutput } from '../drive/scenario/interpret';
import { parseScenario, ScenarioError } from '../drive/scenario/parse';
import { Expectations } from '../drive/scenario/expect';
import { finalOutput, hasExpectations, watchStats, type ScenarioOutput } from '../drive/scenario/run';
import type { Scenario } from '../drive/scenario/schema';
import { simOptionsOf } from '../replay/options';
import { pageHost } from '../replay/pageHost';
import { useStore } from './store';

/**
 * Run a scenario file in the page: a fresh cluster with its options, every step through the same
 * interpreter as `npm run scenario`, on the page's host so each one is a recorded input; the view
 * is left paused at the end (scrub the timeline to watch any moment of it).
 */
export function runScenarioText(text: string): { ok: true; steps: StepOutput[]; output: ScenarioOutput } | { ok: false; error: string } {
  let scenario: Scenario;
  try {
    scenario = parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: e.message };
    throw e;
  }
  const store = useStore.getState();
  store.newCluster(simOptionsOf(scenario));
  store.pause();
  let steps: StepOutput[] = [];
  let output: ScenarioOutput | null = null;
  const end = store.drive((d) => {
    const stats = watchStats(d.sim.cluster);
    const expectations = hasExpectations(scenario) ? new Expectations() : undefined;
    steps = runSteps(pageHost(d), scenario.steps, expectations);
    // The whole output object of `npm run scenario`, taken where the last step ended (the page's
    // simulation then runs a little ahead of the view).
    output = finalOutput(d.sim.cluster, steps, d.sim.safety.monitor, stats, scenario, expectations);
  });
  if (!output) return { ok: false, error: 'the page has no cluster yet' };
  if (end) useStore.setState({ frame: end.frame, time: end.time, playing: false });
  return { ok: true, steps, output };
}
