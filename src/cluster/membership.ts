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
  private promote = new Set<string>();

  constructor(private readonly cluster: MembershipHost) {}

  join(id: string, voter: boolean): ActionResult {
    const leader = this.cluster.leader();
    if (!leader) return { ok: false, node: null, problem: { code: 'no-leader' } };
    const raft = leader.proc.raft!;
    const cfg = raft.config;
    if (cfg.voters.includes(id) || cfg.learners.includes(id)) {
      return { ok: false, node: leader.id, problem: { code: 'already-member', node: id } };
    }
    const next: ClusterConfig = { voters: cfg.voters, learners: [...cfg.learners, id] };
    const res = raft.proposeConfig(next, this.cluster.now);
    if (!res.ok) return { ok: false, node: leader.id, problem: res.refusal };
    let server = this.cluster.server(id);
    if (!server) server = this.cluster.addServer(id, { voters: [], learners: [] });
    if (!server.alive) server.start();
    if (voter) this.promote.add(id);
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
    const next: ClusterConfig = { voters: cfg.voters.filter((v) => v !== id), learners: cfg.learners.filter((v) => v !== id) };
    const res = raft.proposeConfig(next, this.cluster.now);
    if (!res.ok) return { ok: false, node: leader.id, problem: res.refusal };
    this.promote.delete(id);
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

  pendingPromotion(id: string): boolean {
    return this.promote.has(id);
  }

  onLeaderStep(s: ServerNode): void {
    if (this.promote.size === 0) return;
    // Promotions are the cluster's to-do list, so only the current leader may act on it: a deposed
    // leader that still thinks it leads would judge by its stale configuration (chaos mode found
    // one dropping a pending promotion it did not know about).
    if (this.cluster.leader() !== s) return;
    const raft = s.proc.raft!;
    // Until it has committed an entry of its own term, a new leader's log may still lack a join
    // that will survive it, so its configuration proves nothing yet.
    if (raft.configIndex > raft.commitIndex || raft.storage.termAt(raft.commitIndex) !== raft.term) return;
    for (const id of this.promote) {
      // Forget a promotion only once the committed configuration settles it: a promotion entry
      // proposed by a leader that was then deposed can be overwritten, and must be proposed again
      // (chaos mode found nodes left as learners for good).
      if (raft.config.voters.includes(id) || !raft.config.learners.includes(id)) {
        this.promote.delete(id);
        continue;
      }
      const pr = raft.progress.get(id);
      if (!pr || pr.matchIndex < raft.commitIndex) continue;
      const next: ClusterConfig = {
        voters: [...raft.config.voters, id],
        learners: raft.config.learners.filter((v) => v !== id),
      };
      raft.proposeConfig(next, this.cluster.now);
      return;
    }
  }
}
