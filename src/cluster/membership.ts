import type { ClusterConfig } from '../raft/types';
import type { Problem } from './errors';
import type { ServerNode } from './server';

export type ActionResult = { ok: true; node: string; index?: number } | { ok: false; node: string | null; problem: Problem };

/** What membership changes need from the cluster around them. */
export interface MembershipHost {
  readonly now: number;
  /** The operator's view of who leads: membership changes are operator actions sent to the leader. */
  leader(): ServerNode | null;
  server(id: string): ServerNode | undefined;
  addServer(id: string, config: ClusterConfig): ServerNode;
}

/**
 * Membership changes as rqlite makes them: a new server joins as a non-voter, catches up, and only
 * then is promoted to voter, so adding it never slows down commits while it copies the log.
 */
export class Membership {
  constructor(private readonly cluster: MembershipHost) {}

  join(id: string, voter: boolean): ActionResult {
    const leader = this.cluster.leader();
    if (!leader) return { ok: false, node: null, problem: { code: 'no-leader' } };
    const raft = leader.proc.raft!;
    const cfg = raft.config;
    if (cfg.voters.includes(id) || cfg.learners.includes(id)) {
      return { ok: false, node: leader.id, problem: { code: 'already-member', node: id } };
    }
    const promoting = voter ? [...(cfg.promoting ?? []), id] : (cfg.promoting ?? []);
    const next = withPromoting({ voters: cfg.voters, learners: [...cfg.learners, id] }, promoting);
    const res = raft.proposeConfig(next, this.cluster.now);
    if (!res.ok) return { ok: false, node: leader.id, problem: res.refusal };
    let server = this.cluster.server(id);
    if (!server) server = this.cluster.addServer(id, { voters: [], learners: [] });
    if (!server.alive) server.start();
    leader.proc.flush();
    return { ok: true, node: leader.id, index: res.index };
  }

  remove(id: string): ActionResult {
    const leader = this.cluster.leader();
    if (!leader) return { ok: false, node: null, problem: { code: 'no-leader' } };
    const raft = leader.proc.raft!;
    const cfg = raft.config;
    if (!cfg.voters.includes(id) && !cfg.learners.includes(id)) {
      return { ok: false, node: leader.id, problem: { code: 'not-member', node: id } };
    }
    if (cfg.voters.length === 1 && cfg.voters[0] === id) {
      return { ok: false, node: leader.id, problem: { code: 'last-voter' } };
    }
    const next = withPromoting(
      { voters: cfg.voters.filter((v) => v !== id), learners: cfg.learners.filter((v) => v !== id) },
      (cfg.promoting ?? []).filter((v) => v !== id),
    );
    const res = raft.proposeConfig(next, this.cluster.now);
    if (!res.ok) return { ok: false, node: leader.id, problem: res.refusal };
    leader.proc.flush();
    return { ok: true, node: leader.id, index: res.index };
  }

  transfer(target: string): ActionResult {
    const leader = this.cluster.leader();
    if (!leader) return { ok: false, node: null, problem: { code: 'no-leader' } };
    const res = leader.proc.raft!.transferLeadership(target, this.cluster.now);
    leader.proc.flush();
    return res.ok ? { ok: true, node: leader.id } : { ok: false, node: leader.id, problem: res.refusal };
  }

  /** Committed configuration as the current leader sees it, or null while it is still changing. */
  committedConfig(): ClusterConfig | null {
    const leader = this.cluster.leader();
    if (!leader) return null;
    const raft = leader.proc.raft!;
    return raft.configIndex <= raft.commitIndex ? raft.config : null;
  }

  /** Whether a learner is to be promoted once caught up, by the leader's configuration. */
  pendingPromotion(id: string): boolean {
    return this.cluster.leader()?.proc.raft?.config.promoting?.includes(id) ?? false;
  }

  /**
   * A leader promotes a learner that has caught up, if its configuration says to. The decision uses
   * only this node's own Raft state: the promotions are part of the replicated configuration, so a
   * new leader finds them in its log, and a deposed leader that still believes it leads can only
   * propose an entry that will not commit.
   */
  onLeaderStep(s: ServerNode): void {
    const raft = s.proc.raft!;
    const promoting = raft.config.promoting ?? [];
    if (promoting.length === 0) return;
    // Until it has committed an entry of its own term, a new leader's log may still lack a change
    // that will survive it, and only one change may be in flight at a time.
    if (raft.configIndex > raft.commitIndex || raft.storage.termAt(raft.commitIndex) !== raft.term) return;
    for (const id of promoting) {
      if (!raft.config.learners.includes(id)) continue;
      const pr = raft.progress.get(id);
      if (!pr || pr.matchIndex < raft.commitIndex) continue;
      const next = withPromoting(
        { voters: [...raft.config.voters, id], learners: raft.config.learners.filter((v) => v !== id) },
        promoting.filter((v) => v !== id),
      );
      raft.proposeConfig(next, this.cluster.now);
      return;
    }
  }
}

/** A configuration with its pending promotions, the field left out when there are none. */
function withPromoting(c: { voters: readonly string[]; learners: readonly string[] }, promoting: readonly string[]): ClusterConfig {
  return promoting.length > 0 ? { ...c, promoting } : c;
}
