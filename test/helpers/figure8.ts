import type { Cluster } from '../../src/cluster/cluster';
import { quorumIndex } from '../../src/raft/quorum';

/**
 * Watches a cluster for Figure-8 situations (the Raft paper's Figure 8 (c)). One is: a leader of
 * term T, counting the replicas it knows of (its own log and each voter's matchIndex), finds that a
 * majority of its voters store its log up to an index q whose entry is of an older term than T, and
 * no server has ever committed as far as q. Counting replicas alone would commit that entry; only
 * the current-term rule (§5.4.2) holds it back until an entry of term T is on a majority as well,
 * because until then a server that lacks it may still win an election and overwrite it.
 */
export class Figure8Watch {
  /** Each situation once, as `leader@term:q`. */
  readonly seen = new Set<string>();
  /** Situations in which the leader committed the old entry all the same: the current-term rule broken. */
  readonly committedByCounting: string[] = [];
  /** The highest commit index any server had reached before the event being looked at. */
  private committed = 0;

  constructor(cluster: Cluster) {
    cluster.observe({ onEvent: () => this.look(cluster) });
  }

  private look(cluster: Cluster): void {
    for (const s of cluster.servers.values()) {
      const r = s.proc.raft;
      if (!r || r.role !== 'leader') continue;
      const q = quorumIndex(r.config, (id) => (id === r.id ? r.lastIndex : (r.progress.get(id)?.matchIndex ?? 0)));
      // Judged against what was committed before this event, so a leader that commits q in this very
      // event (which the rule forbids) is still seen, and flagged.
      if (q <= this.committed || r.storage.termAt(q) >= r.term) continue;
      const key = `${r.id}@${r.term}:${q}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      if (r.commitIndex >= q) this.committedByCounting.push(key);
    }
    for (const s of cluster.servers.values()) {
      const r = s.proc.raft;
      if (r && r.commitIndex > this.committed) this.committed = r.commitIndex;
    }
  }
}
