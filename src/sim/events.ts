import type { Reason } from '../raft/reasons';
import type { Role } from '../raft/types';

/**
 * What the event log records: enough to draw any moment later without re-running anything. Every
 * event is a typed value; the sentences the page shows are rendered from it in one place
 * (src/replay/describe.ts), and no code reads a sentence back.
 */
export type LoggedKind = EventBody<Addressed>['kind'];

export interface Addressed {
  readonly type: string;
  readonly from: string;
  readonly to: string;
}

/** Why a message never arrived. */
export type DropReason = 'lost' | 'partitioned' | 'receiver down' | 'dropped by the user';

export type TimerKind = 'election' | 'heartbeat';

/** One server's change of membership in a committed configuration. */
export type MemberRole = 'voter' | 'non-voter';
export interface MemberChange {
  readonly node: string;
  /** null: not a member before (a join) / after (a removal). */
  readonly from: MemberRole | null;
  readonly to: MemberRole | null;
}

export interface ConfigView {
  readonly voters: readonly string[];
  readonly learners: readonly string[];
}

/**
 * How a node's snapshot came about: `compact` it compacted its own log; `install` it took one from
 * the leader by InstallSnapshot (`from` names it); `reload` it restarted from its own.
 */
export type SnapshotAction = 'compact' | 'install' | 'reload';

/** A client request as the event log keeps it (the service's own types stay above this layer). */
export interface ClientRequestView {
  /** The call's id: the forwarded ClientRequest and ClientResponse messages of this request carry it. */
  readonly call: number;
  readonly op: 'execute' | 'query';
  /** For queries: the read consistency level. */
  readonly level?: string;
  readonly sql: readonly string[];
}

/**
 * A decision a server took (reasons.ts in the Raft core), kept on the event it followed on that
 * server: the delivery, timeout, client request or restart whose handling took it, or, for work a
 * host does later (a proposal flushed after a retry), the server's latest event before it.
 */
export interface Decision {
  readonly reason: Reason;
  readonly time: number;
  /** The delivered message that triggered it (the event's msgId), when a delivery did. */
  readonly msgId?: number;
}

interface Base {
  readonly node?: string;
  /** The decisions taken while handling this event, in order (see Decision). */
  readonly decisions?: readonly Decision[];
}

/** Seq of the sender's latest event when it sent the message (-1: none yet): the send's place in its order. */
interface Sent {
  readonly sentAfter?: number;
}

/**
 * What a delivery or a drop knows of its message. `msgId` names this copy (its World.inFlight id);
 * `sendId` names the send it came from, the `msgId` of its first copy, so the two copies of a
 * duplicated message share it; `copies` is 2 when the network duplicated the send.
 */
export interface Carried<M> {
  readonly msg: M;
  readonly sentAt: number;
  readonly msgId: number;
  readonly sendId: number;
  readonly copies: 1 | 2;
}

export type EventBody<M extends Addressed = Addressed> = Base &
  (
    | ({ readonly kind: 'deliver'; readonly node: string } & Carried<M> & Sent)
    | ({ readonly kind: 'drop'; readonly node: string; readonly reason: DropReason } & Carried<M> & Sent)
    /** `forced`: the user (or a tour) made the timer fire now. */
    | { readonly kind: 'timeout'; readonly node: string; readonly timer: TimerKind; readonly forced?: boolean }
    | { readonly kind: 'crash'; readonly node: string }
    | { readonly kind: 'restart'; readonly node: string }
    /** `isolated`: one node cut off from all others (`groups` then holds only it: a group of one). */
    | { readonly kind: 'partition'; readonly groups: readonly (readonly string[])[]; readonly isolated?: string }
    | { readonly kind: 'heal' }
    | { readonly kind: 'network'; readonly drop: number; readonly duplicate: number; readonly latency: readonly [number, number] }
    | { readonly kind: 'client'; readonly node: string; readonly request: ClientRequestView }
    /** `reason`: the decision that changed the role (an election timeout, a win, a step-down …). */
    | {
        readonly kind: 'role';
        readonly node: string;
        readonly role: Role;
        readonly term: number;
        readonly reason?: Reason;
        /** The message whose delivery made the change (a vote, a newer term, the leader's append). */
        readonly triggeredBy?: number;
      }
    | {
        readonly kind: 'snapshot';
        readonly node: string;
        readonly action: SnapshotAction;
        /** The last index and term it covers; `from` is the leader that sent it by InstallSnapshot. */
        readonly snapshot: { readonly index: number; readonly term: number; readonly from?: string };
        /** snapshot-taken (threshold or operator) or snapshot-installed; none for a reload on restart. */
        readonly reason?: Reason;
        /** For an install: the id of the InstallSnapshot message whose last chunk completed it. */
        readonly triggeredBy?: number;
      }
    /** A configuration entry committed: recorded once per change, by the first node to apply it. */
    | { readonly kind: 'config'; readonly node: string; readonly config: ConfigView; readonly changes: readonly MemberChange[] }
  );

export type LoggedEvent<M extends Addressed = Addressed> = { readonly seq: number; readonly time: number } & EventBody<M>;

/** A message still travelling, as the UI draws it and a user may drop it. */
export interface InFlight<M> {
  id: number;
  msg: M;
  sentAt: number;
  deliverAt: number;
  sendId: number;
  copies: 1 | 2;
}

export type QueueItem<M, T = never> =
  | { time: number; seq: number; kind: 'deliver'; msg: M; sentAt: number; sentAfter: number; sendId: number; copies: 1 | 2; lost: boolean; dropReason?: DropReason }
  | { time: number; seq: number; kind: 'timer'; node: string; timer: TimerKind; incarnation: number }
  /**
   * Host work as a closure. `inert` says when it has become a no-op (its client call was answered):
   * a world whose pending calls are all inert can be checkpointed, the calls restored as no-ops.
   */
  | { time: number; seq: number; kind: 'call'; fn: () => void; inert?: () => boolean }
  /** Host work as data (World.schedule), run by the world's TaskRunner: a checkpoint copies it. */
  | { time: number; seq: number; kind: 'task'; task: T };
