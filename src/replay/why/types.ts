import type { Invariant } from '../../check/safety';
import type { Problem } from '../../cluster/errors';
import type { DecisionRef } from './history';

/** What the rule of an explanation is. */
export type Rule =
  /** A decision the Raft core took and recorded with its reason. */
  | { readonly kind: 'decision'; readonly decision: DecisionRef }
  /** An input or a fault (an operator action, a client request, a lost message, a timer with nothing to decide): nothing inside the run caused it. */
  | { readonly kind: 'input'; readonly seq: number }
  /** A message arrived and its receiver decided nothing on it. */
  | { readonly kind: 'delivery'; readonly seq: number }
  /** The service refused or failed a client request. */
  | { readonly kind: 'problem'; readonly node: string; readonly problem: Problem }
  /** A safety property broke (a deliberately broken mode). */
  | {
      readonly kind: 'violation';
      readonly invariant: Invariant;
      readonly node: string;
      readonly seq: number;
      /** Two leaders of one term: the voters that granted both (the broken mode let them vote twice). */
      readonly twice?: { readonly term: number; readonly voters: readonly string[]; readonly leaders: readonly [string, string] };
    };

/** What an earlier event contributed to the one asked about (worded in words.ts). */
export type CauseRole =
  | 'trigger'
  | 'sent-by'
  | 'election-start'
  | 'vote'
  | 'ack'
  | 'proposal'
  | 'request'
  | 'commit'
  | 'election'
  | 'append'
  | 'truncation'
  | 'heard'
  | 'last-contact'
  | 'transfer'
  | 'step-down'
  | 'crash'
  | 'fault';

export interface Cause {
  readonly seq: number;
  readonly time: number;
  readonly node: string | null;
  readonly role: CauseRole;
  /** The message whose delivery (or loss) this event is. */
  readonly msgId?: number;
  /** The decision taken on that event that this cause stands for, when it is one. */
  readonly decision?: DecisionRef;
}

/** The happens-before past of an event, bounded to the exchange that led to it. */
export interface CausalPast {
  readonly messages: ReadonlySet<number>;
  readonly events: ReadonlySet<number>;
}

/** The answer to "why?": the rule(s) that fired, the direct causes (oldest first), the causal past. */
export interface Why {
  /** The event asked about, or for a log cell, a node's role or a console answer, the moment it was asked at. */
  readonly subject: { readonly seq: number | null; readonly time: number; readonly node: string | null };
  readonly rules: readonly Rule[];
  readonly causes: readonly Cause[];
  readonly past: CausalPast;
}

/** What the page may ask "why?" about. `before`: seq one past the last event on screen. */
export type WhyTarget =
  | { readonly kind: 'event'; readonly seq: number }
  | { readonly kind: 'cell'; readonly node: string; readonly index: number; readonly term: number; readonly committed: boolean; readonly before: number }
  | { readonly kind: 'node'; readonly node: string; readonly before: number }
  /** A console answer: `sentTo` took the request at `sentAt`; `node` answered it with `problem`. */
  | { readonly kind: 'answer'; readonly node: string; readonly sentTo: string; readonly problem: Problem; readonly sentAt: number; readonly answeredAt: number; readonly before: number }
  | { readonly kind: 'violation'; readonly invariant: Invariant; readonly node: string; readonly seq: number };
