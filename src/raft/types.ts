import type { Reason } from './reasons';

export type NodeId = string;

/** A pre-candidate polls for votes without bumping its term (pre-vote, Raft thesis §9.6). */
export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

export interface ClusterConfig {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /**
   * Learners the cluster means to promote to voters once they have caught up. Raft only carries it
   * (it counts no votes): being part of the replicated configuration, the intent survives a change
   * of leader and a snapshot, and a removal that is itself lost brings it back with the old entry.
   */
  readonly promoting?: readonly NodeId[];
}

export type EntryKind = 'noop' | 'command' | 'config';

/** Entries are immutable once created: the simulator shares them by reference between logs. */
export interface Entry {
  readonly index: number;
  readonly term: number;
  readonly kind: EntryKind;
  readonly data: unknown;
  readonly config?: ClusterConfig;
}

export interface Snapshot {
  readonly index: number;
  readonly term: number;
  readonly config: ClusterConfig;
  readonly data: Uint8Array;
}

interface MsgBase {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
}

export interface RequestVote extends MsgBase {
  readonly type: 'RequestVote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  readonly preVote: boolean;
  /** Sent after TimeoutNow: voters must not ignore it because they heard from the old leader. */
  readonly transfer: boolean;
}

export interface RequestVoteResp extends MsgBase {
  readonly type: 'RequestVoteResp';
  readonly granted: boolean;
  readonly preVote: boolean;
}

export interface AppendEntries extends MsgBase {
  readonly type: 'AppendEntries';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly leaderCommit: number;
  /** Leader's broadcast round, echoed back; ReadIndex and check-quorum count these acks. */
  readonly seq: number;
}

export interface AppendEntriesResp extends MsgBase {
  readonly type: 'AppendEntriesResp';
  readonly success: boolean;
  readonly matchIndex: number;
  /** prevLogIndex of the request this answers, so stale rejections can be ignored. */
  readonly rejectIndex: number;
  readonly conflictIndex: number;
  readonly conflictTerm: number;
  readonly seq: number;
}

export interface InstallSnapshot extends MsgBase {
  readonly type: 'InstallSnapshot';
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly config: ClusterConfig;
  readonly offset: number;
  readonly total: number;
  readonly chunk: Uint8Array;
  readonly done: boolean;
  readonly seq: number;
}

export interface InstallSnapshotResp extends MsgBase {
  readonly type: 'InstallSnapshotResp';
  readonly lastIncludedIndex: number;
  /** Next byte offset the follower expects; equals total when the snapshot is installed. */
  readonly nextOffset: number;
  readonly done: boolean;
  readonly seq: number;
}

export interface TimeoutNow extends MsgBase {
  readonly type: 'TimeoutNow';
}

export type RaftMessage =
  | RequestVote
  | RequestVoteResp
  | AppendEntries
  | AppendEntriesResp
  | InstallSnapshot
  | InstallSnapshotResp
  | TimeoutNow;

export interface RaftOptions {
  electionTimeoutMin: number;
  electionTimeoutMax: number;
  heartbeatInterval: number;
  preVote: boolean;
  fastBacktrack: boolean;
  /** Leader steps down when it has not heard from a majority for an election timeout. */
  checkQuorum: boolean;
  maxEntriesPerAppend: number;
  snapshotChunkSize: number;
  /** Deliberately broken modes for teaching: the safety monitor should catch them. */
  unsafeCommitOldTerms: boolean;
  unsafeDoubleVote: boolean;
}

export const defaultRaftOptions: RaftOptions = {
  electionTimeoutMin: 150,
  electionTimeoutMax: 300,
  heartbeatInterval: 50,
  preVote: true,
  fastBacktrack: true,
  checkQuorum: true,
  maxEntriesPerAppend: 64,
  snapshotChunkSize: 16 * 1024,
  unsafeCommitOldTerms: false,
  unsafeDoubleVote: false,
};

/** Why the Raft node refused a proposal, a configuration change or a transfer. */
export type RaftRefusal =
  | { readonly code: 'not-leader' }
  | { readonly code: 'transfer-in-progress' }
  /** Single-server changes go one at a time (thesis §4.1). */
  | { readonly code: 'change-in-progress' }
  /** A new leader must commit an entry of its own term before changing the configuration. */
  | { readonly code: 'leader-not-committed' }
  | { readonly code: 'already-leader'; readonly node: NodeId }
  | { readonly code: 'not-voter'; readonly node: NodeId };

/**
 * What the host must do with its state machine after a step (etcd's Ready, its state-machine half):
 * load `snapshot` if there is one, then apply `committed` in order, then answer each read state once
 * it has applied up to the read's index. Entries need no persisting here: the node writes its
 * durable state (term, vote, log) straight into the PersistentState it was given, which plays the
 * disk and survives a crash. Messages come separately, from `outbox()`, because the host's own work
 * (answering clients, proposing) may add to them before they are sent.
 */
export interface Ready {
  readonly snapshot: Snapshot | null;
  readonly committed: readonly Entry[];
  readonly readStates: readonly ReadState[];
  /** The decisions taken since the last call, in order, each with what it rested on. */
  readonly reasons: readonly Reason[];
}

export interface ReadState {
  readonly ctx: number;
  readonly index: number;
}
