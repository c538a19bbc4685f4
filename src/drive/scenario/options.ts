import type { SqlJsStatic } from 'sql.js';
import { Cluster } from '../../cluster/cluster';
import { DEFAULT_SNAPSHOT_LOG_RATIO } from '../../cluster/snapshotPolicy';
import type { ClusterOptions } from '../../cluster/types';
import { defaultRaftOptions } from '../../raft/types';
import type { ScenarioOptions } from './schema';

/** The one mapping from a scenario's options to the cluster's: headless, the page and tours share it. */
export function clusterOptions(nodes: number, seed: number, o: ScenarioOptions): Partial<ClusterOptions> {
  const [emin, emax] = o.electionTimeout ?? [defaultRaftOptions.electionTimeoutMin, defaultRaftOptions.electionTimeoutMax];
  return {
    nodes,
    seed,
    snapshotThreshold: o.snapshotThreshold ?? 1000,
    snapshotLogRatio: o.snapshotLogRatio ?? DEFAULT_SNAPSHOT_LOG_RATIO,
    latency: o.latency ?? [5, 15],
    raft: {
      ...defaultRaftOptions,
      electionTimeoutMin: emin,
      electionTimeoutMax: emax,
      heartbeatInterval: o.heartbeat ?? defaultRaftOptions.heartbeatInterval,
      preVote: o.preVote ?? true,
      fastBacktrack: o.fastBacktrack ?? true,
      checkQuorum: o.checkQuorum ?? true,
      maxEntriesPerAppend: o.maxEntriesPerAppend ?? defaultRaftOptions.maxEntriesPerAppend,
      unsafeCommitOldTerms: o.unsafeCommitOldTerms ?? false,
      unsafeDoubleVote: o.unsafeDoubleVote ?? false,
    },
  };
}

/**
 * A new cluster with a scenario's options, its starting message loss and duplication included.
 * `start` false leaves the servers unstarted, for a cluster about to be restored from a checkpoint.
 */
export function buildCluster(SQL: SqlJsStatic, nodes: number, seed: number, o: ScenarioOptions, start = true): Cluster {
  const cluster = new Cluster(SQL, clusterOptions(nodes, seed, o), start);
  // Set after construction: the servers' first timers were drawn before any loss applied.
  if (o.drop !== undefined) cluster.world.net.dropRate = o.drop;
  if (o.duplicate !== undefined) cluster.world.net.duplicateRate = o.duplicate;
  return cluster;
}
