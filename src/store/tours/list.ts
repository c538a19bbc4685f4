/**
 * The guided tours as the picker lists them, in the order a newcomer should take them. Their steps,
 * scenarios and checks (catalog.ts) load when a tour is first started: most of a tour is its text.
 */
export interface TourInfo {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
}

export const TOUR_LIST: readonly TourInfo[] = [
  {
    id: 'rsm',
    title: '1. What a replicated state machine is',
    summary:
      'Three servers keep three copies of one SQLite database identical by agreeing on one log of commands.',
  },
  {
    id: 'election',
    title: '2. Leader election and split votes',
    summary: 'Randomized timers, RequestVote, terms, a split vote, and a new election after the leader dies.',
  },
  {
    id: 'replication',
    title: '3. Log replication and commit',
    summary: 'Follow one INSERT from the client to the leader’s log, to the followers, to commit and apply.',
  },
  {
    id: 'crash',
    title: '4. A leader crash and log repair',
    summary: 'A leader writes an entry nobody else gets, crashes, and on return has that entry overwritten.',
  },
  {
    id: 'partition',
    title: '5. Partitions, check-quorum and pre-vote',
    summary:
      'A leader cut off with one follower keeps trying; the other three elect a new leader and carry on.',
  },
  {
    id: 'figure8',
    title: '6. Figure 8: the current-term commit rule',
    summary:
      'An old entry stored on a majority is still overwritten — which is why a leader only counts replicas of its own term.',
  },
  {
    id: 'reads',
    title: '7. Read consistency: stale and linearizable reads',
    summary: 'A cut-off follower happily answers “none” reads with old data; a linearizable read refuses.',
  },
  {
    id: 'nondeterminism',
    title: '8. Non-deterministic SQL: decided once, before the log',
    summary:
      'RANDOM() and “now” would differ on every server; they are replaced by values before the statement enters the log.',
  },
  {
    id: 'snapshots',
    title: '9. Snapshots and InstallSnapshot',
    summary:
      'A log cannot grow forever: servers replace its old part with a copy of the database, and send that copy to a server that fell too far behind.',
  },
  {
    id: 'members',
    title: '10. Adding and removing a node',
    summary:
      'Servers join and leave a running cluster one at a time, through the log, without ever stopping writes.',
  },
  {
    id: 'transfer',
    title: '11. Handing over leadership, and the timing rule',
    summary:
      'Leadership transfer with TimeoutNow, and why broadcastTime ≪ electionTimeout ≪ MTBF, in this cluster’s own numbers.',
  },
];

/** The listed title and summary of tour `id`, for its own file. */
export function about(id: string): TourInfo {
  const info = TOUR_LIST.find((t) => t.id === id);
  if (!info) throw new Error(`no tour "${id}" in the list`);
  return info;
}
