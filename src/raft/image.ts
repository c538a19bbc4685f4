import { Progress } from './progress';
import type { Reason } from './reasons';
import type { IncomingSnapshot, PendingRead } from './state';
import type { ClusterConfig, NodeId, RaftMessage, ReadState, Role, Snapshot } from './types';

/**
 * A map's entries in its iteration order, as two parallel arrays: the order is kept because the
 * node iterates its maps (votes are listed, progress is sent to) and a restored node must do it alike.
 */
export interface Pairs<V> {
  readonly keys: readonly NodeId[];
  readonly values: readonly V[];
}

/**
 * A node's volatile state as plain values, what a checkpoint keeps of it (`RaftState.image`) and a
 * restored node starts from (`RaftNode.fromImage`). Not the durable state: that is the host's disk.
 * Images are never changed, so many may share one empty list; a node copies what it takes from one.
 * Kept this small because a recorded run holds one per node per checkpoint: copying the node itself
 * held its maps and a fresh disk object, about 2.9 KB a node against about 0.25 KB for a follower here.
 */
export interface RaftImage {
  readonly role: Role;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly config: ClusterConfig;
  readonly configIndex: number;
  readonly electionDeadline: number;
  readonly heartbeatDeadline: number;
  readonly lastLeaderContact: number;
  readonly transferTarget: NodeId | null;
  readonly transferDeadline: number;
  readonly seq: number;
  readonly appendPending: boolean;
  readonly pendingSnapshot: Snapshot | null;
  readonly incoming: IncomingSnapshot | null;
  readonly votes: Pairs<boolean>;
  readonly lastHeard: Pairs<number>;
  readonly progress: readonly Progress[];
  readonly pendingReads: readonly PendingRead[];
  readonly waitingReads: readonly number[];
  readonly msgs: readonly RaftMessage[];
  readonly readStates: readonly ReadState[];
  readonly reasons: readonly Reason[];
}

const NONE: readonly never[] = Object.freeze([]);
const NO_PAIRS: Pairs<never> = Object.freeze({ keys: NONE, values: NONE });

/** `list` copied for an image (all empty lists are one). */
export function listOf<T>(list: readonly T[], copy: (t: T) => T = (t) => t): readonly T[] {
  return list.length === 0 ? NONE : list.map(copy);
}

export function pairsOf<V>(map: ReadonlyMap<NodeId, V>): Pairs<V> {
  return map.size === 0 ? NO_PAIRS : { keys: [...map.keys()], values: [...map.values()] };
}

/** Fill `map` (emptied first) from `pairs`, in their order. */
export function fillFrom<V>(map: Map<NodeId, V>, pairs: Pairs<V>): void {
  map.clear();
  for (let i = 0; i < pairs.keys.length; i++) map.set(pairs.keys[i], pairs.values[i]);
}

export function copyIncoming(inc: IncomingSnapshot | null): IncomingSnapshot | null {
  return inc ? { ...inc, chunks: [...inc.chunks] } : null;
}

/** An independent copy of a follower's progress (its own class, so its fields stay the same shape). */
export function copyProgress(pr: Progress): Progress {
  return Object.assign(new Progress(pr.id, 0), pr);
}
