import type { SqlJsStatic } from 'sql.js';
import type { Cluster } from '../../cluster/cluster';
import { clusterHost } from '../host';
import { runSteps, type StepOutput } from './interpret';
import { checkFinal, Expectations, type ExpectFailure } from './expect';
import { buildCluster } from './options';
import { nodeOutputs, type NodeOutput } from './state';
import type { Scenario } from './schema';

export type { NodeOutput, StepOutput };
export { DEFAULT_REQUEST_TIMEOUT, DEFAULT_WAIT_FOR_TIMEOUT, toStatements } from './interpret';

export interface ScenarioStats {
  /** Delivered messages by type. */
  delivered: Record<string, number>;
  dropped: number;
  /** AppendEntries answered with a rejection: the rounds a leader spent finding where logs agree. */
  rejectedAppends: number;
  /** Times a node became candidate or leader. */
  elections: number;
  snapshotsRestored: number;
}

export interface ScenarioOutput {
  steps: StepOutput[];
  leader: string | null;
  nodes: NodeOutput[];
  violations: unknown[];
  events: number;
  stats: ScenarioStats;
  /** Only for a file that states expectations: how many were checked, and those not met. */
  expectations?: { checked: number; failed: ExpectFailure[] };
}

/** Something that watches the cluster (the safety monitor) and reports what it found. */
export interface Monitor {
  violations(): unknown[];
  finish?(): void;
}

/**
 * Run a scenario headless: a fresh cluster with its options, every step through the one
 * interpreter (interpret.ts) on the bare cluster, then the final state of every node.
 */
export function runScenario(scenario: Scenario, SQL: SqlJsStatic, makeMonitor?: (c: Cluster) => Monitor): ScenarioOutput {
  const cluster = buildCluster(SQL, scenario.nodes, scenario.seed, scenario.options);
  const monitor = makeMonitor?.(cluster);
  const stats = watchStats(cluster);
  const expectations = hasExpectations(scenario) ? new Expectations() : undefined;
  const steps = runSteps(clusterHost(cluster), scenario.steps, expectations);
  monitor?.finish?.();
  const output = finalOutput(cluster, steps, monitor, stats, scenario, expectations);
  cluster.dispose();
  return output;
}

/** Count deliveries, losses, rejected appends, elections and restored snapshots as the run goes. */
export function watchStats(cluster: Cluster): ScenarioStats {
  const stats: ScenarioStats = { delivered: {}, dropped: 0, rejectedAppends: 0, elections: 0, snapshotsRestored: 0 };
  const previous = cluster.world.listener;
  cluster.world.listener = (e) => {
    previous?.(e);
    if (e.kind === 'deliver') {
      stats.delivered[e.msg.type] = (stats.delivered[e.msg.type] ?? 0) + 1;
      if (e.msg.type === 'AppendEntriesResp' && !e.msg.success) stats.rejectedAppends++;
    } else if (e.kind === 'drop') stats.dropped++;
    else if (e.kind === 'role' && e.role === 'candidate') stats.elections++;
    else if (e.kind === 'snapshot' && e.action !== 'compact') stats.snapshotsRestored++;
  };
  return stats;
}

export function hasExpectations(s: Scenario): boolean {
  return s.expect !== undefined || s.steps.some((st) => st.expect !== undefined);
}

/** The output object of a run: its steps, the cluster's final state, and the file's expectations checked. */
export function finalOutput(
  cluster: Cluster,
  steps: StepOutput[],
  monitor: Monitor | undefined,
  stats: ScenarioStats,
  scenario?: Scenario,
  expectations?: Expectations,
): ScenarioOutput {
  const out: ScenarioOutput = {
    steps,
    leader: cluster.leader()?.id ?? null,
    nodes: nodeOutputs(cluster),
    violations: monitor?.violations() ?? [],
    events: cluster.world.eventCount,
    stats: { ...stats, delivered: Object.fromEntries(Object.entries(stats.delivered).sort()) },
  };
  if (expectations) {
    if (scenario?.expect) checkFinal(expectations, scenario.expect, out, cluster.converged());
    out.expectations = { checked: expectations.checked, failed: expectations.failed };
  }
  return out;
}
