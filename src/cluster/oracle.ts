import { majority } from '../raft/quorum';
import type { ClusterConfig } from '../raft/types';
import type { ServerNode } from './server';

/**
 * The god's-eye view of a cluster: questions no single server can answer, asked by drivers (which
 * node is "leader" in a scenario step, when a wait is over) and checkers. The service itself never
 * asks them; its decisions use each node's own Raft state.
 */
export type Servers = ReadonlyMap<string, ServerNode>;

/** The live leader in the highest term (a deposed leader cut off in an older term does not count). */
export function currentLeader(servers: Servers): ServerNode | null {
  let best: ServerNode | null = null;
  for (const s of servers.values()) {
    const r = s.proc.raft;
    if (r && r.role === 'leader' && (!best || r.term > best.proc.raft!.term)) best = s;
  }
  if (!best) return null;
  const raft = best.proc.raft!;
  // A higher term elsewhere means an election that may depose it, unless that node is no longer
  // in its configuration: a removed server's term cannot reach the members, who ignore it.
  // Both lists walked in place, without an array of the two: every frame a run records asks this
  // (frames.ts, latestConfig).
  return outranked(servers, raft.config.voters, raft.term) || outranked(servers, raft.config.learners, raft.term) ? null : best;
}

/** Whether a live server among `ids` has a term above `term`. */
function outranked(servers: Servers, ids: readonly string[], term: number): boolean {
  for (let i = 0; i < ids.length; i++) {
    const r = servers.get(ids[i])?.proc.raft;
    if (r && r.term > term) return true;
  }
  return false;
}

/** A leader known to a majority of the voters of its configuration. */
export function stableLeader(servers: Servers): ServerNode | null {
  const l = currentLeader(servers);
  if (!l) return null;
  const raft = l.proc.raft!;
  let n = 0;
  for (const v of raft.config.voters) {
    const r = servers.get(v)?.proc.raft;
    if (r && r.term === raft.term && r.leaderId === l.id) n++;
  }
  return n >= majority(raft.config) ? l : null;
}

/** A stable leader has committed all it holds (an entry of its term among them) and every member applied it. */
export function converged(servers: Servers): boolean {
  const l = stableLeader(servers);
  if (!l) return false;
  const raft = l.proc.raft!;
  if (raft.commitIndex < raft.lastIndex || raft.storage.termAt(raft.commitIndex) !== raft.term) return false;
  if (raft.lastApplied < raft.commitIndex) return false;
  for (const id of [...raft.config.voters, ...raft.config.learners]) {
    const r = servers.get(id)?.proc.raft;
    if (r && r.lastApplied < raft.commitIndex) return false;
  }
  return true;
}

/** The live node whose log is furthest along by `key` (commit index, or log length). */
function furthest(servers: Servers, key: (s: ServerNode) => number): ServerNode | null {
  let best: ServerNode | null = null;
  for (const s of servers.values()) if (s.proc.raft && (!best || key(s) > key(best))) best = s;
  return best;
}

/**
 * Membership as it stands: the leader's configuration once committed, or else that of the live
 * node with the highest commit index (what a scenario's output reports as member / voter).
 */
export function settledConfig(servers: Servers): ClusterConfig {
  const leader = currentLeader(servers);
  const raft = leader?.proc.raft;
  if (raft && raft.configIndex <= raft.commitIndex) return raft.config;
  return furthest(servers, (s) => s.proc.raft!.commitIndex)?.proc.raft?.config ?? { voters: [], learners: [] };
}

/**
 * Membership as the servers act on it: the leader's newest configuration, committed or not (Raft
 * uses a configuration as soon as it is appended), or else that of the longest live log; null with
 * every node down. What the page draws.
 */
export function latestConfig(servers: Servers): ClusterConfig | null {
  const leader = currentLeader(servers);
  if (leader) return leader.proc.raft!.config;
  return furthest(servers, (s) => s.proc.raft!.lastIndex)?.proc.raft?.config ?? null;
}
