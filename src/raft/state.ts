import { copyIncoming, copyProgress, fillFrom, listOf, pairsOf, type RaftImage } from './image';
import type { PersistentState } from './log';
import { majority } from './quorum';
import type { Progress } from './progress';
import type { FollowerCause, Reason } from './reasons';
import type { ClusterConfig, NodeId, RaftMessage, RaftOptions, ReadState, Role, Snapshot } from './types';

export interface PendingRead {
  ctx: number;
  index: number;
  seq: number;
}

export interface IncomingSnapshot {
  index: number;
  term: number;
  config: ClusterConfig;
  chunks: Uint8Array[];
  received: number;
}

/**
 * Everything a Raft server knows, and the transitions every role shares. The protocol is layered
 * on top: follower.ts (answering a leader), leader.ts (replicating), node.ts (elections and the API).
 */
export abstract class RaftState {
  role: Role = 'follower';
  leaderId: NodeId | null = null;
  commitIndex: number;
  lastApplied: number;
  config: ClusterConfig;
  configIndex = 0;
  electionDeadline = Infinity;
  heartbeatDeadline = Infinity;
  lastLeaderContact = -Infinity;
  /** Outputs waiting for the host; it takes them as values through `ready()` and `outbox()` (node.ts). */
  protected msgs: RaftMessage[] = [];
  protected readStates: ReadState[] = [];
  /** A snapshot the host must load into its state machine before applying more entries. */
  protected pendingSnapshot: Snapshot | null = null;
  /** The decisions of this step, with what they rested on (reasons.ts); handed out by `ready()`. */
  protected reasons: Reason[] = [];
  transferTarget: NodeId | null = null;
  transferDeadline = Infinity;
  readonly votes = new Map<NodeId, boolean>();
  readonly progress = new Map<NodeId, Progress>();
  protected lastHeard = new Map<NodeId, number>();
  protected seq = 0;
  protected pendingReads: PendingRead[] = [];
  protected waitingReads: number[] = [];
  protected incoming: IncomingSnapshot | null = null;
  protected appendPending = false;

  /** With `image`, the node it recorded (`random` is not drawn from); else a node starting afresh. */
  constructor(
    readonly id: NodeId,
    readonly storage: PersistentState,
    readonly opts: RaftOptions,
    protected readonly random: () => number,
    now: number,
    image?: RaftImage,
  ) {
    this.commitIndex = storage.snapshot.index;
    this.lastApplied = storage.snapshot.index;
    this.config = storage.snapshot.config;
    if (image) {
      this.load(image);
      return;
    }
    this.recomputeConfig();
    if (storage.snapshot.index > 0) this.pendingSnapshot = storage.snapshot;
    this.resetElectionTimer(now);
  }

  /**
   * This node's volatile state as plain values that stepping it later leaves untouched: what a
   * checkpoint keeps. Between two steps the outputs (messages, reasons, read states) have been
   * taken, but they are kept all the same.
   */
  image(): RaftImage {
    return {
      role: this.role,
      leaderId: this.leaderId,
      commitIndex: this.commitIndex,
      lastApplied: this.lastApplied,
      config: this.config,
      configIndex: this.configIndex,
      electionDeadline: this.electionDeadline,
      heartbeatDeadline: this.heartbeatDeadline,
      lastLeaderContact: this.lastLeaderContact,
      transferTarget: this.transferTarget,
      transferDeadline: this.transferDeadline,
      seq: this.seq,
      appendPending: this.appendPending,
      pendingSnapshot: this.pendingSnapshot,
      incoming: copyIncoming(this.incoming),
      votes: pairsOf(this.votes),
      lastHeard: pairsOf(this.lastHeard),
      progress: listOf([...this.progress.values()], copyProgress),
      pendingReads: listOf(this.pendingReads, (r) => ({ ...r })),
      waitingReads: listOf(this.waitingReads),
      msgs: listOf(this.msgs),
      readStates: listOf(this.readStates),
      reasons: listOf(this.reasons),
    };
  }

  /** Take every volatile field from `im`, copying what this node may change in place. */
  private load(im: RaftImage): void {
    this.role = im.role;
    this.leaderId = im.leaderId;
    this.commitIndex = im.commitIndex;
    this.lastApplied = im.lastApplied;
    this.config = im.config;
    this.configIndex = im.configIndex;
    this.electionDeadline = im.electionDeadline;
    this.heartbeatDeadline = im.heartbeatDeadline;
    this.lastLeaderContact = im.lastLeaderContact;
    this.transferTarget = im.transferTarget;
    this.transferDeadline = im.transferDeadline;
    this.seq = im.seq;
    this.appendPending = im.appendPending;
    this.pendingSnapshot = im.pendingSnapshot;
    this.incoming = copyIncoming(im.incoming);
    fillFrom(this.votes, im.votes);
    fillFrom(this.lastHeard, im.lastHeard);
    this.progress.clear();
    for (const pr of im.progress) this.progress.set(pr.id, copyProgress(pr));
    this.pendingReads = im.pendingReads.map((r) => ({ ...r }));
    this.waitingReads = [...im.waitingReads];
    this.msgs = [...im.msgs];
    this.readStates = [...im.readStates];
    this.reasons = [...im.reasons];
  }

  get term(): number {
    return this.storage.term;
  }

  get lastIndex(): number {
    return this.storage.lastIndex;
  }

  protected becomeFollower(term: number, leader: NodeId | null, now: number, cause: FollowerCause): void {
    if (term > this.term || this.role !== 'follower') this.note({ code: 'became-follower', term, prevRole: this.role, cause });
    if (term > this.term) {
      this.storage.term = term;
      this.storage.votedFor = null;
    }
    if (leader !== null) this.lastLeaderContact = now;
    // A deposed leader's data is only as fresh as the last moment a majority answered it: stepping
    // down for lost quorum, or on hearing of a newer term, says nothing newer (stamping "now" let a
    // freshness-bounded read on it serve stale data).
    else if (this.role === 'leader') this.lastLeaderContact = this.quorumContact(now);
    this.role = 'follower';
    this.leaderId = leader;
    this.heartbeatDeadline = Infinity;
    this.transferTarget = null;
    this.progress.clear();
    this.pendingReads = [];
    this.waitingReads = [];
    this.resetElectionTimer(now);
  }

  protected note(r: Reason): void {
    this.reasons.push(r);
  }

  /** When a majority of the voters (this node counting as now) last answered this leader. */
  protected quorumContact(now: number): number {
    const times = this.config.voters.map((v) => (v === this.id ? now : (this.lastHeard.get(v) ?? -Infinity))).sort((a, b) => b - a);
    return times[majority(this.config) - 1] ?? -Infinity;
  }

  protected resetElectionTimer(now: number): void {
    const { electionTimeoutMin: lo, electionTimeoutMax: hi } = this.opts;
    this.electionDeadline = now + lo + Math.floor(this.random() * (hi - lo + 1));
  }

  protected recomputeConfig(): void {
    for (let i = this.lastIndex; i > this.storage.snapshot.index; i--) {
      const e = this.storage.entry(i)!;
      if (e.kind === 'config' && e.config) {
        this.config = e.config;
        this.configIndex = i;
        return;
      }
    }
    this.config = this.storage.snapshot.config;
    this.configIndex = this.storage.snapshot.index;
  }

  /** The configuration in force before the latest one (the one the latest change started from). */
  protected previousConfig(): ClusterConfig {
    for (let i = this.configIndex - 1; i > this.storage.snapshot.index; i--) {
      const e = this.storage.entry(i)!;
      if (e.kind === 'config' && e.config) return e.config;
    }
    return this.storage.snapshot.config;
  }

  protected abortTransfer(): void {
    this.transferTarget = null;
    this.transferDeadline = Infinity;
  }
}
