import type { NodeId } from './types';

/**
 * The leader's view of one follower, after etcd-raft: `probe` sends one append per heartbeat until
 * the follower's log is found, `replicate` streams optimistically, `snapshot` ships InstallSnapshot.
 */
export class Progress {
  state: 'probe' | 'replicate' | 'snapshot' = 'probe';
  matchIndex = 0;
  nextIndex: number;
  /** Highest broadcast round this follower has acknowledged. */
  ackedSeq = 0;
  /** Byte offset of the next snapshot chunk to send while in `snapshot` state. */
  snapshotOffset = 0;
  snapshotIndex = 0;
  /** Rounds of AppendEntries rejected while probing: shown to compare fast backtracking. */
  rejections = 0;
  paused = false;
  lastProgressAt = 0;

  constructor(
    readonly id: NodeId,
    lastIndex: number,
  ) {
    this.nextIndex = lastIndex + 1;
  }
}
