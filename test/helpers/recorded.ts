import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SafetyMonitor, type Violation } from '../../src/check/safety';
import { clusterHost } from '../../src/drive/host';
import { runSteps } from '../../src/drive/scenario/interpret';
import { buildCluster } from '../../src/drive/scenario/options';
import { parseScenario } from '../../src/drive/scenario/parse';
import { eventsOf } from '../../src/replay/eventStore';
import { History } from '../../src/replay/why';
import { sqljs } from './drive';
import { SCENARIO_DIR } from './scenario';

/** A scenario file run headless, with its whole event log kept for causal questions. */
export interface Recorded {
  readonly history: History;
  readonly violations: readonly Violation[];
}

export async function recordScenario(name: string): Promise<Recorded> {
  const s = parseScenario(readFileSync(resolve(SCENARIO_DIR, name), 'utf8'));
  const cluster = buildCluster(await sqljs(), s.nodes, s.seed, s.options);
  const monitor = new SafetyMonitor(cluster);
  runSteps(clusterHost(cluster), s.steps);
  monitor.finish();
  const log = [...cluster.world.log];
  cluster.dispose();
  return { history: new History(eventsOf(log)), violations: monitor.violations() };
}
