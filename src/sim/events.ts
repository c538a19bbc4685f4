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
  | 'snapshot';

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
  text?: string;
}

export type TimerKind = 'election' | 'heartbeat';

export type QueueItem<M> =
  | { time: number; seq: number; kind: 'deliver'; msg: M; sentAt: number; lost: boolean }
  | { time: number; seq: number; kind: 'timer'; node: string; timer: TimerKind; incarnation: number }
  | { time: number; seq: number; kind: 'call'; fn: () => void };
