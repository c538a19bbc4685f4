import { PersistentState } from '../raft/log';
import { RaftNode } from '../raft/node';
import type { RaftImage } from '../raft/image';
import type { ClusterConfig, Entry, RaftMessage, RaftOptions, Ready, Snapshot } from '../raft/types';
import type { Addressed, TimerKind } from './events';
import type { World } from './world';

/** A disk as a checkpoint keeps it: the log is `length` entries of `table` from `start`. */
export interface DiskImage {
  readonly term: number;
  readonly votedFor: string | null;
  readonly snapshot: Snapshot;
  /** Entries are immutable and shared; one table may serve every node whose log agrees with it. */
  readonly table: readonly Entry[];
  readonly start: number;
  readonly length: number;
}

export interface ProcessCheckpoint {
  readonly incarnation: number;
  readonly scheduled: Readonly<Record<TimerKind, number>>;
  readonly storage: DiskImage;
  /** The node's volatile state (null while the process is down); restore makes a node from it. */
  readonly raft: RaftImage | null;
}

/**
 * One simulated server process running a RaftNode. Crashing drops the node and everything
 * volatile; the PersistentState object plays the disk and survives to the next start.
 */
/** What a process uses of its world: whatever host work the world also runs is none of its business. */
export type ProcessWorld<M extends Addressed> = Pick<World<M>, 'now' | 'prng' | 'record' | 'scheduleTimer' | 'send'>;

export class RaftProcess<M extends Addressed> {
  raft: RaftNode | null = null;
  readonly storage: PersistentState;
  incarnation = 0;
  private scheduled: Record<TimerKind, number> = { election: Infinity, heartbeat: Infinity };

  constructor(
    readonly id: string,
    private readonly world: ProcessWorld<M>,
    initialConfig: ClusterConfig,
    private readonly opts: RaftOptions,
    /** Called after every step with the node's Ready, to apply entries and serve reads before sending. */
    private readonly afterStep: (p: RaftProcess<M>, ready: Ready) => void,
  ) {
    this.storage = new PersistentState(initialConfig);
  }

  get alive(): boolean {
    return this.raft !== null;
  }

  start(): void {
    this.incarnation++;
    this.scheduled = { election: Infinity, heartbeat: Infinity };
    const prng = this.world.prng;
    this.raft = new RaftNode(this.id, this.storage, this.opts, () => prng.float(), this.world.now);
    this.flush();
  }

  /** Disk, volatile Raft state and timers, copied so the live process can go on. */
  checkpoint(): ProcessCheckpoint {
    const st = this.storage;
    const storage: DiskImage = { term: st.term, votedFor: st.votedFor, snapshot: st.snapshot, table: [...st.entries], start: 0, length: st.entries.length };
    return { incarnation: this.incarnation, scheduled: { ...this.scheduled }, storage, raft: this.raft ? this.raft.image() : null };
  }

  /** Become the process `cp` recorded; `cp` stays untouched, so it can be restored again. */
  restore(cp: ProcessCheckpoint): void {
    this.incarnation = cp.incarnation;
    this.scheduled = { ...cp.scheduled };
    const st = this.storage;
    st.term = cp.storage.term;
    st.votedFor = cp.storage.votedFor;
    st.entries = cp.storage.table.slice(cp.storage.start, cp.storage.start + cp.storage.length);
    st.edits++;
    st.snapshot = cp.storage.snapshot;
    const prng = this.world.prng;
    this.raft = cp.raft ? new RaftNode(this.id, st, this.opts, () => prng.float(), this.world.now, cp.raft) : null;
  }

  crash(): void {
    this.raft = null;
    this.incarnation++;
  }

  deliver(msg: RaftMessage): void {
    if (!this.raft) return;
    this.raft.step(msg, this.world.now);
    this.flush();
  }

  timer(kind: TimerKind, incarnation: number, now: number): boolean {
    const raft = this.raft;
    if (!raft || incarnation !== this.incarnation) return false;
    if (this.scheduled[kind] === now) this.scheduled[kind] = Infinity;
    const deadline = kind === 'election' ? raft.electionDeadline : raft.heartbeatDeadline;
    if (deadline > now) {
      this.syncTimers();
      return false;
    }
    this.world.record({ kind: 'timeout', node: this.id, timer: kind });
    if (kind === 'election') raft.onElectionTimeout(now);
    else raft.onHeartbeatTimeout(now);
    this.flush();
    return true;
  }

  /** Hand over the node's outputs: host work first (it may propose), then messages, then timers. */
  flush(): void {
    const raft = this.raft;
    if (!raft) return;
    this.afterStep(this, raft.ready());
    for (const m of raft.outbox()) this.world.send(m as unknown as M);
    this.syncTimers();
  }

  private syncTimers(): void {
    const raft = this.raft;
    if (!raft) return;
    this.arm('election', raft.electionDeadline);
    this.arm('heartbeat', raft.heartbeatDeadline);
  }

  private arm(kind: TimerKind, deadline: number): void {
    // Only an earlier deadline needs a new queue item; a later one is re-armed when the old fires.
    if (deadline === Infinity || deadline >= this.scheduled[kind]) return;
    this.scheduled[kind] = deadline;
    this.world.scheduleTimer(this.id, kind, deadline, this.incarnation);
  }
}
