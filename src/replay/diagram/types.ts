import type { NetMessage } from '../../cluster/types';
import type { Role } from '../../raft/types';
import type { DropReason, MemberChange, SnapshotAction, TimerKind } from '../../sim/events';
import type { MsgClass } from '../describe';
import type { Membership } from '../frames';

/**
 * The space-time diagram of a run as plain data: one lane per server, one arrow per message copy
 * sent, one mark per thing that happened on a lane. Built from the recorded run (event log, frames,
 * answers) by DiagramBuilder (model.ts); the view only picks what is visible.
 */

/** How a message copy ended, as far as the recorded run knows. */
export type ArrowEnd = 'delivered' | 'dropped' | 'pending';

export interface Arrow {
  /** This copy's id: the `msgId` of its deliver / drop event, the World.inFlight id while it travels. */
  readonly msgId: number;
  /** The send it came from: both copies of a duplicated message share it. */
  readonly sendId: number;
  /** The network made two copies of this send: each is drawn, both marked. */
  readonly duplicate: boolean;
  readonly from: string;
  readonly to: string;
  readonly sentAt: number;
  /** When it was delivered or lost; for a pending one, when it is due. */
  readonly endAt: number;
  readonly end: ArrowEnd;
  /** Seq of the deliver / drop event; -1 while pending (nothing logged yet). */
  readonly seq: number;
  readonly reason: DropReason | null;
  readonly cls: MsgClass;
  /** A heartbeat or the ack of one: hidden by default. */
  readonly routine: boolean;
  /** msgId of the request this one answers (a vote for its RequestVote, an ack for its append...). */
  readonly replyTo: number | null;
  readonly msg: NetMessage;
}

export type MarkKind =
  | 'timeout'
  | 'role'
  | 'vote'
  | 'append'
  | 'truncate'
  | 'commit'
  | 'apply'
  | 'snapshot'
  | 'crash'
  | 'restart'
  | 'partition'
  | 'heal'
  | 'network'
  | 'config'
  | 'client'
  | 'answer';

/** What a mark says, by kind; numbers and ids only, the words are rendered by the view. */
export type MarkDetail =
  | { readonly kind: 'timeout'; readonly timer: TimerKind; readonly forced: boolean }
  | { readonly kind: 'role'; readonly role: Role; readonly term: number }
  | { readonly kind: 'vote'; readonly for: string; readonly term: number }
  | { readonly kind: 'append'; readonly from: number; readonly to: number }
  | { readonly kind: 'truncate'; readonly to: number }
  | { readonly kind: 'commit'; readonly from: number; readonly to: number }
  | { readonly kind: 'apply'; readonly from: number; readonly to: number }
  | { readonly kind: 'snapshot'; readonly action: SnapshotAction; readonly index: number; readonly term: number }
  | { readonly kind: 'crash' }
  | { readonly kind: 'restart' }
  | { readonly kind: 'partition'; readonly groups: readonly (readonly string[])[]; readonly isolated: string | null }
  | { readonly kind: 'heal' }
  | { readonly kind: 'network'; readonly drop: number; readonly duplicate: number }
  | { readonly kind: 'config'; readonly changes: readonly MemberChange[] }
  | { readonly kind: 'client'; readonly call: number; readonly op: 'execute' | 'query'; readonly sql: readonly string[] }
  | { readonly kind: 'answer'; readonly call: number; readonly ok: boolean; readonly index: number | null; readonly clientSeq: number };

export interface Mark {
  /**
   * The event's seq for a mark that is a logged event; for one read from the frames (a vote, an
   * append, a commit-index advance, an apply) or an answer: `kind@frame:node`.
   */
  readonly id: number | string;
  /** The event's seq, or null when the mark is not a logged event. */
  readonly seq: number | null;
  /** The frame in which it happened: shown from this frame on. */
  readonly frame: number;
  readonly time: number;
  /** The server's lane; null for the whole cluster (a partition, a heal, a network change). */
  readonly lane: string | null;
  readonly detail: MarkDetail;
  /** A heartbeat timer: hidden with the heartbeats. */
  readonly routine: boolean;
}

/** A stretch of a lane with one state: the lane is drawn by these. */
export interface LaneSegment {
  readonly from: number;
  readonly frame: number;
  readonly alive: boolean;
  readonly role: Role;
  readonly term: number;
  readonly membership: Membership;
}

export interface Lane {
  readonly id: string;
  /** Its column, in order of first appearance; a removed server keeps its column. */
  readonly col: number;
  /** When the server came into the run (0 for the first ones, its join for a joiner). */
  readonly from: number;
  /** In time order; the last one runs on to the moment drawn. */
  readonly segments: readonly LaneSegment[];
}

/**
 * Message and event ids to draw as one event's causal past (the "Why?" half fills it): `messages`
 * holds Arrow.msgId values, `events` holds Mark.id values.
 */
export type DiagramHighlight = { readonly messages: ReadonlySet<number | string>; readonly events: ReadonlySet<number | string> } | null;
