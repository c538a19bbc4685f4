import type { Citation, Ref } from './types';

export const PAPER_URL = 'https://raft.github.io/raft.pdf';
export const THESIS_URL = 'https://web.stanford.edu/~ouster/cgi-bin/papers/OngaroPhD.pdf';

/**
 * Where each cited part of the Raft paper starts (Ongaro and Ousterhout, "In Search of an
 * Understandable Consensus Algorithm (Extended Version)", the 18-page raft.pdf): the PDF's page, as
 * read from the PDF itself, so that `#page=` opens it there. §2 starts at the foot of page 1; §7
 * starts on page 11 (Figure 12 follows on 12).
 */
export const PAPER_PAGES = {
  '§2': 1,
  '§5': 3,
  'Figure 2': 4,
  'Figure 3': 5,
  '§5.1': 5,
  '§5.2': 5,
  '§5.3': 6,
  '§5.4': 8,
  '§5.4.1': 8,
  '§5.4.2': 8,
  'Figure 8': 8,
  '§5.4.3': 9,
  '§5.5': 10,
  '§5.6': 10,
  '§6': 10,
  '§7': 11,
  '§8': 13,
} as const satisfies Record<string, number>;
export type PaperPart = keyof typeof PAPER_PAGES;

/**
 * The sections of Ongaro's dissertation ("Consensus: Bridging Theory and Practice", Stanford 2014)
 * that are cited, numbered and titled as in its LaTeX sources. Its page numbers are not linked (not
 * checked against the PDF); the link names the section's hyperref destination instead, which a PDF
 * viewer opens where the dissertation's sources put it, and otherwise opens the first page.
 */
export const THESIS_SECTIONS = {
  '§3.9': 'Timing and availability',
  '§3.10': 'Leadership transfer extension',
  '§4.1': 'Safety (one server at a time)',
  '§4.2.1': 'Catching up new servers',
  '§4.2.2': 'Removing the current leader',
  '§4.2.3': 'Disruptive servers',
  '§5.1': 'Snapshotting memory-based state machines',
  '§6.2': 'Routing requests to the leader',
  '§6.3': 'Implementing linearizable semantics',
  '§6.4': 'Processing read-only queries more efficiently',
  '§9.6': 'Preventing disruptions when a server rejoins the cluster',
} as const satisfies Record<string, string>;
export type ThesisPart = keyof typeof THESIS_SECTIONS;

/** hyperref's name for a numbered part: chapter.6, section.3.10, subsection.4.2.1. */
export function thesisDestination(part: ThesisPart): string {
  const number = part.slice(1);
  const depth = number.split('.').length;
  return `${depth === 1 ? 'chapter' : depth === 2 ? 'section' : 'subsection'}.${number}`;
}

/** The link for a citation: the paper at its page, the dissertation at its section. */
export function citationHref(c: Citation): string {
  return c.doc === 'paper' ? `${PAPER_URL}#page=${PAPER_PAGES[c.part as PaperPart]}` : `${THESIS_URL}#nameddest=${thesisDestination(c.part as ThesisPart)}`;
}

function sec(part: PaperPart, title: string): Ref {
  const cites: Citation = { doc: 'paper', part, page: PAPER_PAGES[part] };
  return { label: part.startsWith('§') ? `${part} ${title}` : `${part}: ${title}`, href: citationHref(cites), cites };
}

function thesisSec(part: ThesisPart, title: string): Ref {
  const cites: Citation = { doc: 'thesis', part };
  return { label: `Raft dissertation ${part}: ${title}`, href: citationHref(cites), cites };
}

export const paper = {
  rsm: sec('§2', 'Replicated state machines'),
  fig2: sec('Figure 2', 'Raft in one page'),
  basics: sec('§5.1', 'Raft basics (terms)'),
  election: sec('§5.2', 'Leader election'),
  replication: sec('§5.3', 'Log replication'),
  restriction: sec('§5.4.1', 'Election restriction'),
  oldTerms: sec('§5.4.2', 'Committing entries from previous terms (Figure 8)'),
  safety: sec('§5.4.3', 'Safety argument (Leader Completeness)'),
  crashes: sec('§5.5', 'Follower and candidate crashes'),
  timing: sec('§5.6', 'Timing and availability'),
  membership: sec('§6', 'Cluster membership changes'),
  compaction: sec('§7', 'Log compaction'),
  clients: sec('§8', 'Client interaction'),
} satisfies Record<string, Ref>;

/** Ongaro's dissertation, where what the paper leaves out is worked out in full. */
export const thesis = {
  singleServer: thesisSec('§4.1', 'one server at a time'),
  catchUp: thesisSec('§4.2.1', 'catching up new servers'),
  removeLeader: thesisSec('§4.2.2', 'removing the current leader'),
  disruptive: thesisSec('§4.2.3', 'disruptive servers'),
  snapshots: thesisSec('§5.1', 'snapshotting memory-based state machines'),
  timing: thesisSec('§3.9', 'timing and availability'),
  transfer: thesisSec('§3.10', 'leadership transfer'),
  checkQuorum: thesisSec('§6.2', 'a leader steps down without a quorum'),
  retries: thesisSec('§6.3', 'unknown outcomes and client retries'),
  readIndex: thesisSec('§6.4', 'read-only queries (ReadIndex)'),
  preVote: thesisSec('§9.6', 'pre-vote'),
} satisfies Record<string, Ref>;

export const rqlite = {
  consistency: { label: 'rqlite: read consistency levels', href: 'https://rqlite.io/docs/api/read-consistency/' },
  nondeterminism: { label: 'rqlite: non-deterministic functions', href: 'https://rqlite.io/docs/api/non-deterministic/' },
  clustering: { label: 'rqlite: creating and growing a cluster', href: 'https://rqlite.io/docs/clustering/' },
  readOnly: { label: 'rqlite: read-only (non-voting) nodes', href: 'https://rqlite.io/docs/clustering/read-only-nodes/' },
} satisfies Record<string, Ref>;
