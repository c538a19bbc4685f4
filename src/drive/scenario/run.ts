import type { SqlJsStatic } from 'sql.js';
import type { Cluster } from '../../cluster/cluster';
import type { ServerNode } from '../../cluster/server';
import type { ClusterConfig } from '../../raft/types';
import { clusterHost } from '../host';
import { runSteps, type StepOutput } from './interpret';
import { buildCluster } from './options';
import type { Scenario } from './schema';

export type { StepOutput };
export { DEFAULT_REQUEST_TIMEOUT, DEFAULT_WAIT_FOR_TIMEOUT, toStatements } from './interpret';

export interface NodeOutput {
  id: string;
  alive: boolean;
  role: string;
  term: number;
  commitIndex: number;
  lastApplied: number;
  firstIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  dbHash: string | null;
  votedFor: string | null;
  member: boolean;
  voter: boolean;
}

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
  const steps = runSteps(clusterHost(cluster), scenario.steps);
  monitor?.finish?.();
  const output = finalOutput(cluster, steps, monitor, stats);
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

/** The output object of a run: its steps and the cluster's final state. */
export function finalOutput(cluster: Cluster, steps: StepOutput[], monitor: Monitor | undefined, stats: ScenarioStats): ScenarioOutput {
  return {
    steps,
    leader: cluster.leader()?.id ?? null,
    nodes: [...cluster.servers.values()].map((s) => nodeOutput(s, clusterConfig(cluster))),
    violations: monitor?.violations() ?? [],
    events: cluster.world.eventCount,
    stats: { ...stats, delivered: Object.fromEntries(Object.entries(stats.delivered).sort()) },
  };
}

/** Membership as the cluster knows it: the leader's, or else that of the most advanced live log. */
function clusterConfig(cluster: Cluster): ClusterConfig {
  const committed = cluster.membership.committedConfig();
  if (committed) return committed;
  let best: ServerNode | null = null;
  for (const s of cluster.servers.values()) {
    if (s.proc.raft && (!best || s.proc.raft.commitIndex > best.proc.raft!.commitIndex)) best = s;
  }
  return best?.proc.raft?.config ?? { voters: [], learners: [] };
}

function nodeOutput(s: ServerNode, cfg: ClusterConfig): NodeOutput {
  const raft = s.proc.raft;
  const st = s.proc.storage;
  const role = !raft ? 'follower' : raft.role === 'precandidate' ? 'candidate' : raft.role;
  return {
    id: s.id,
    alive: s.alive,
    role,
    term: st.term,
    commitIndex: raft?.commitIndex ?? 0,
    lastApplied: raft?.lastApplied ?? 0,
    firstIndex: st.firstIndex,
    lastIndex: st.lastIndex,
    snapshotIndex: st.snapshot.index,
    dbHash: s.alive && s.db ? s.db.hash() : null,
    votedFor: st.votedFor,
    member: cfg.voters.includes(s.id) || cfg.learners.includes(s.id),
    voter: cfg.voters.includes(s.id),
  };
}
