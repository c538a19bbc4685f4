import type { Ref } from './types';

const PAPER = 'https://raft.github.io/raft.pdf';

/** A section of the Raft paper (extended version); the page number opens the PDF near it. */
function sec(label: string, page: number): Ref {
  return { label, href: `${PAPER}#page=${page}` };
}

export const paper = {
  rsm: sec('§2 Replicated state machines', 2),
  fig2: sec('Figure 2: Raft in one page', 4),
  basics: sec('§5.1 Raft basics (terms)', 5),
  election: sec('§5.2 Leader election', 5),
  replication: sec('§5.3 Log replication', 6),
  restriction: sec('§5.4.1 Election restriction', 8),
  oldTerms: sec('§5.4.2 Committing entries from previous terms (Figure 8)', 8),
  safety: sec('§5.4.3 Safety argument (Leader Completeness)', 9),
  crashes: sec('§5.5 Follower and candidate crashes', 10),
  timing: sec('§5.6 Timing and availability', 10),
  membership: sec('§6 Cluster membership changes', 10),
  compaction: sec('§7 Log compaction', 11),
  clients: sec('§8 Client interaction', 13),
} satisfies Record<string, Ref>;

const THESIS = 'https://github.com/ongardie/dissertation/blob/master/stanford.pdf';

/** Ongaro's dissertation, where single-server membership changes are worked out in full. */
export const thesis = {
  singleServer: { label: 'Raft dissertation §4.1: one server at a time', href: THESIS },
  catchUp: { label: 'Raft dissertation §4.2.1: catching up new servers', href: THESIS },
  removeLeader: { label: 'Raft dissertation §4.2.2: removing the current leader', href: THESIS },
  disruptive: { label: 'Raft dissertation §4.2.3: disruptive servers', href: THESIS },
  snapshots: { label: 'Raft dissertation §5.1: snapshotting memory-based state machines', href: THESIS },
  transfer: { label: 'Raft dissertation §3.10: leadership transfer', href: THESIS },
  checkQuorum: { label: 'Raft dissertation §6.2: a leader steps down without a quorum', href: THESIS },
  retries: { label: 'Raft dissertation §6.3: unknown outcomes and client retries', href: THESIS },
  readIndex: { label: 'Raft dissertation §6.4: read-only queries (ReadIndex)', href: THESIS },
  preVote: { label: 'Raft dissertation §9.6: pre-vote', href: THESIS },
} satisfies Record<string, Ref>;

export const rqlite = {
  consistency: { label: 'rqlite: read consistency levels', href: 'https://rqlite.io/docs/api/read-consistency/' },
  nondeterminism: { label: 'rqlite: non-deterministic functions', href: 'https://rqlite.io/docs/api/non-deterministic/' },
  clustering: { label: 'rqlite: creating and growing a cluster', href: 'https://rqlite.io/docs/clustering/' },
  readOnly: { label: 'rqlite: read-only (non-voting) nodes', href: 'https://rqlite.io/docs/clustering/read-only-nodes/' },
} satisfies Record<string, Ref>;
