/** What the event log records: enough to draw any moment later without re-running anything. */
export type LoggedKind =
  | 'deliver'
  | 'drop'
  | 'timeout'
  | 'crash'
  | 'restart'
  | 'partition'
  | 'heal'
  | 'network'
  | 'client'
  | 'role'
  | 'apply'
  | 'snapshot'
  /** A configuration entry committed: recorded once per change, by the first node to apply it. */
  | 'config';

export interface Addressed {
  readonly type: string;
  readonly from: string;
  readonly to: string;
}

export interface LoggedEvent<M extends Addressed = Addressed> {
  seq: number;
  time: number;
  kind: LoggedKind;
  /** The node the event happened on (the receiver for deliveries and drops). */
  node?: string;
  msg?: M;
  sentAt?: number;
  /** For deliveries and drops: the id the message had in flight (see World.inFlight). */
  msgId?: number;
  text?: string;
  /** For 'config': the membership the committed entry sets. */
  config?: { readonly voters: readonly string[]; readonly learners: readonly string[] };
  /**
   * For 'snapshot': the last index and term it covers; `from` is the leader that sent it by
   * InstallSnapshot (absent for a node's own compaction, or its own snapshot reloaded on restart).
   */
  snapshot?: { readonly index: number; readonly term: number; readonly from?: string };
}

/** A message still travelling, as the UI draws it and a user may drop it. */
export interface InFlight<M> {
  id: number;
  msg: M;
  sentAt: number;
  deliverAt: number;
}

export type TimerKind = 'election' | 'heartbeat';

export type QueueItem<M> =
  | { time: number; seq: number; kind: 'deliver'; msg: M; sentAt: number; lost: boolean; dropReason?: string }
  | { time: number; seq: number; kind: 'timer'; node: string; timer: TimerKind; incarnation: number }
  | { time: number; seq: number; kind: 'call'; fn: () => void };
