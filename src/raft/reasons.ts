import type { NodeId, RaftMessage, Role } from './types';

/** A log position as Raft compares them: last index and the term of the entry there. */
export interface LogPoint {
  readonly index: number;
  readonly term: number;
}

/** One voter's replication point, as the leader knew it when it counted. */
export interface MatchOf {
  readonly node: NodeId;
  readonly matchIndex: number;
}

/**
 * Why a vote was refused (Figure 2, RequestVote RPC, receiver rules; §5.4.1). `log-behind`: the
 * candidate's last entry is older than the voter's; `already-voted`: the vote of this term went to
 * `votedFor`; `is-leader`: a leader never votes for another in its own term; `stale-term`: the
 * request's term is older than the voter's; `no-newer-term`: a pre-vote for a term not past ours.
 */
export type VoteRefusal =
  | { readonly why: 'stale-term' }
  | { readonly why: 'no-newer-term' }
  | { readonly why: 'log-behind' }
  | { readonly why: 'already-voted'; readonly votedFor: NodeId }
  | { readonly why: 'is-leader' };

/** Why an AppendEntries failed the consistency check at prevLogIndex (§5.3). */
export type AppendRefusal =
  | { readonly why: 'stale-term' }
  /** The follower's log ends before prevLogIndex. */
  | { readonly why: 'missing'; readonly lastIndex: number }
  /** The follower has an entry at prevLogIndex, from another term. */
  | { readonly why: 'term-mismatch'; readonly termThere: number };

/** Why a server became (or stayed, with a newer term) a follower. */
export type FollowerCause =
  /** A message carried a newer term (Figure 2, Rules for Servers, All Servers). */
  | { readonly why: 'higher-term'; readonly from: NodeId; readonly message: RaftMessage['type']; readonly oldTerm: number }
  /** A candidate heard from the leader of its own term (§5.2). */
  | { readonly why: 'leader-of-term'; readonly from: NodeId }
  /** A majority of the voters refused this candidate (§5.2). */
  | { readonly why: 'votes-refused'; readonly refused: readonly NodeId[]; readonly quorum: number }
  /** A leader that has not heard from a majority within an election timeout (dissertation §6.2). */
  | { readonly why: 'check-quorum'; readonly heard: readonly NodeId[]; readonly voters: readonly NodeId[]; readonly quorum: number; readonly window: number }
  /** A leader whose removal committed hands over (dissertation §4.2.2). */
  | { readonly why: 'removed'; readonly configIndex: number };

/**
 * Every decision the page may ask "why?" about, as the Raft core took it: a code and the facts it
 * rested on, never a sentence (the page words them in one place, src/replay/why/words.ts). The node
 * collects them during a step and hands them out through `ready()`.
 */
export type Reason =
  /** The election timer fired at `deadline`: a pre-vote (thesis §9.6) or a real election (§5.2). */
  | { readonly code: 'election-timeout'; readonly term: number; readonly deadline: number; readonly preVote: boolean; readonly lastLeader: NodeId | null }
  /** TimeoutNow from the leader that transfers leadership (dissertation §3.10). */
  | { readonly code: 'timeout-now'; readonly from: NodeId; readonly term: number }
  /** A majority granted the pre-vote (or a real vote): `granted` includes the candidate itself. */
  | {
      readonly code: 'prevote-won' | 'election-won';
      readonly term: number;
      readonly granted: readonly NodeId[];
      readonly voters: readonly NodeId[];
      readonly quorum: number;
    }
  | { readonly code: 'became-follower'; readonly term: number; readonly prevRole: Role; readonly cause: FollowerCause }
  | {
      readonly code: 'vote-granted';
      readonly candidate: NodeId;
      readonly term: number;
      readonly preVote: boolean;
      readonly candidateLast: LogPoint;
      readonly voterLast: LogPoint;
    }
  | {
      readonly code: 'vote-refused';
      readonly candidate: NodeId;
      readonly term: number;
      readonly voterTerm: number;
      readonly preVote: boolean;
      readonly candidateLast: LogPoint;
      readonly voterLast: LogPoint;
      readonly refusal: VoteRefusal;
    }
  /** A vote request ignored while a leader is known to be alive (dissertation §4.2.3, §9.6). */
  | { readonly code: 'vote-ignored'; readonly candidate: NodeId; readonly term: number; readonly leader: NodeId | null; readonly heardAgo: number }
  | {
      readonly code: 'append-accepted';
      readonly leader: NodeId;
      readonly term: number;
      readonly prev: LogPoint;
      /** Entries of the request new to this log (already present ones are skipped). */
      readonly appended: readonly LogPoint[];
      readonly matchIndex: number;
    }
  | { readonly code: 'append-rejected'; readonly leader: NodeId; readonly term: number; readonly prev: LogPoint; readonly refusal: AppendRefusal }
  /** Conflicting entries removed to take the leader's (§5.3): `removed` lists what was there. */
  | { readonly code: 'truncated'; readonly leader: NodeId; readonly from: number; readonly removed: readonly LogPoint[]; readonly by: LogPoint }
  /** The leader appended an entry to its own log (a client command, its no-op, a configuration). */
  | { readonly code: 'proposed'; readonly index: number; readonly term: number; readonly kind: 'noop' | 'command' | 'config' }
  /**
   * A leader moved its commit index by counting replicas (Figure 2, Rules for Servers, Leaders;
   * §5.3, §5.4.2). `currentTerm` is false only in the deliberately unsafe mode.
   */
  | {
      readonly code: 'commit-by-quorum';
      readonly from: number;
      readonly to: number;
      readonly term: number;
      readonly entryTerm: number;
      readonly currentTerm: boolean;
      readonly matches: readonly MatchOf[];
      readonly voters: readonly NodeId[];
      readonly quorum: number;
    }
  /** A follower moved its commit index to min(leaderCommit, last new entry) (Figure 2, AppendEntries 5). */
  | { readonly code: 'commit-by-leader'; readonly from: number; readonly to: number; readonly leader: NodeId; readonly leaderCommit: number; readonly lastNew: number }
  /** Entries handed to the state machine because commitIndex > lastApplied (Figure 2, All Servers). */
  | { readonly code: 'applied'; readonly from: number; readonly to: number; readonly commitIndex: number }
  | { readonly code: 'snapshot-installed'; readonly leader: NodeId; readonly index: number; readonly term: number }
  /** `threshold` null: the operator asked; otherwise applied entries reached it (§7). */
  | { readonly code: 'snapshot-taken'; readonly index: number; readonly term: number; readonly threshold: number | null }
  | { readonly code: 'leader-transfer'; readonly target: NodeId; readonly term: number };

export type ReasonCode = Reason['code'];

/** The decisions that change a server's role; the role event carries the last one of its step. */
export function changesRole(r: Reason): boolean {
  return (
    r.code === 'election-timeout' ||
    r.code === 'timeout-now' ||
    r.code === 'prevote-won' ||
    r.code === 'election-won' ||
    r.code === 'became-follower'
  );
}

/** The reasons with one of these codes. */
export type ReasonOf<C extends ReasonCode> = Reason & { readonly code: C };
