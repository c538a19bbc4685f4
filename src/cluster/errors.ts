import type { RaftRefusal } from '../raft/types';
import { formatMs } from '../sim/duration';

/**
 * Why the service refused or failed something, as a typed value. Drivers decide on `code` (a
 * retry, a client's "did it happen?"); the sentence a user reads is rendered by `problemText`,
 * the one place that words them, and becomes the `error` string of rqlite's answers.
 */
export type Problem =
  | RaftRefusal
  /** No leader is known: an election may be under way, or the node is cut off. */
  | { readonly code: 'no-leader' }
  /** The node the client addressed is not running. */
  | { readonly code: 'node-down'; readonly node: string }
  /** The node holding the request crashed before answering. */
  | { readonly code: 'crashed'; readonly node: string }
  /** The client's deadline passed with no answer. */
  | { readonly code: 'timeout' }
  /** A `none` read refused because the node has not heard from a leader within `freshness`. */
  | { readonly code: 'stale'; readonly node: string; readonly age: number; readonly freshness: number }
  /** The leader stepped down while it held the request. */
  | { readonly code: 'leadership-lost' }
  /** The entry was committed, but a newer leader's entry took its index: the request did not happen. */
  | { readonly code: 'overwritten' }
  | { readonly code: 'already-member'; readonly node: string }
  | { readonly code: 'not-member'; readonly node: string }
  | { readonly code: 'last-voter' }
  /** An operator action on a node that is not running. */
  | { readonly code: 'down'; readonly node: string }
  | { readonly code: 'nothing-to-snapshot'; readonly node: string; readonly index: number }
  | { readonly code: 'message-gone' }
  | { readonly code: 'no-live-node' };

export type ProblemCode = Problem['code'];

/** Refusals that time cures (an election, a change or transfer in flight): worth retrying. */
const TRANSIENT: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'not-leader',
  'no-leader',
  'change-in-progress',
  'leader-not-committed',
  'transfer-in-progress',
]);

export function isTransient(p: Problem): boolean {
  return TRANSIENT.has(p.code);
}

export function problemText(p: Problem): string {
  switch (p.code) {
    case 'not-leader':
      return 'not leader';
    case 'transfer-in-progress':
      return 'leadership transfer in progress';
    case 'change-in-progress':
      return 'a configuration change is already in progress';
    case 'leader-not-committed':
      return 'the leader has not yet committed an entry of its term';
    case 'already-leader':
      return `${p.node} is already the leader`;
    case 'not-voter':
      return `${p.node} is not a voter`;
    case 'no-leader':
      return 'leader not found';
    case 'node-down':
      return `node ${p.node} is not reachable (down)`;
    case 'crashed':
      return `node ${p.node} crashed`;
    case 'timeout':
      return 'request timed out';
    case 'stale': {
      const heard = Number.isFinite(p.age) ? `${formatMs(p.age)} ago` : 'never';
      return `stale read: ${p.node} last heard from a leader ${heard}, more than the freshness of ${formatMs(p.freshness)}`;
    }
    case 'leadership-lost':
      return 'leadership lost while the request was in progress';
    case 'overwritten':
      return 'leadership lost: the entry was overwritten by a newer leader';
    case 'already-member':
      return `${p.node} is already a member`;
    case 'not-member':
      return `${p.node} is not a member`;
    case 'last-voter':
      return 'cannot remove the last voter';
    case 'down':
      return `${p.node} is down`;
    case 'nothing-to-snapshot':
      return `${p.node} has applied nothing since its last snapshot (index ${p.index})`;
    case 'message-gone':
      return 'that message has already arrived or been lost';
    case 'no-live-node':
      return 'no live node';
  }
}

/** The sentence for a learner reading the console: what happened and what to try. */
export function explainProblem(p: Problem): string {
  const text = problemText(p);
  switch (p.code) {
    case 'no-leader':
      return 'No leader is known right now (an election may be under way, or the node is cut off). Try again in a moment.';
    case 'timeout':
      // Raft dissertation §6.3: a timed-out write may still commit later; the client cannot know.
      return 'The request timed out. Its outcome is unknown: a write may still be committed later (a majority may be unreachable right now).';
    case 'leadership-lost':
      return `${text}. Its outcome is unknown: the write may still be committed by the next leader.`;
    case 'stale':
      return `Refused a stale read — ${text}`;
    case 'node-down':
      return `${text}: pick another node or restart it.`;
    default:
      return text;
  }
}
