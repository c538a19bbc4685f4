import type { Cluster } from '../../cluster/cluster';
import { settledConfig } from '../../cluster/oracle';
import type { ServerNode } from '../../cluster/server';
import type { ClusterConfig } from '../../raft/types';

/** One node as a scenario's output (and its expectations) see it. */
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

export function nodeOutput(s: ServerNode, cfg: ClusterConfig): NodeOutput {
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

/** Every node, as the output lists them. */
export function nodeOutputs(cluster: Cluster): NodeOutput[] {
  const cfg = settledConfig(cluster.servers);
  return [...cluster.servers.values()].map((s) => nodeOutput(s, cfg));
}
