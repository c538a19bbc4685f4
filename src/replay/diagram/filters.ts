import type { Arrow, Mark } from './types';

/** The message kinds a reader can hide, each a family of requests with their replies. */
export type MessageFamily = 'heartbeat' | 'vote' | 'append' | 'snapshot' | 'transfer' | 'client';

export const MESSAGE_FAMILIES: readonly MessageFamily[] = ['heartbeat', 'vote', 'append', 'snapshot', 'transfer', 'client'];

/** By its class, which names its message's type (so a drawn arrow's message need not be read). */
export function familyOf(a: Arrow): MessageFamily {
  if (a.routine) return 'heartbeat';
  switch (a.cls) {
    case 'vote-req':
    case 'vote-yes':
    case 'vote-no':
      return 'vote';
    case 'append':
    case 'heartbeat':
    case 'append-ok':
    case 'append-no':
      return 'append';
    case 'snapshot':
    case 'snapshot-resp':
      return 'snapshot';
    case 'timeout-now':
      return 'transfer';
    case 'client':
      return 'client';
  }
}

/** What the diagram shows: hidden message families and servers, or only one client request's exchange. */
export interface DiagramFilter {
  readonly hiddenFamilies: ReadonlySet<MessageFamily>;
  readonly hiddenLanes: ReadonlySet<string>;
  /** Only these messages and marks (a client request's exchange), or null for all. */
  readonly only: { readonly messages: ReadonlySet<number>; readonly events: ReadonlySet<number | string> } | null;
}

export function showsArrow(f: DiagramFilter, a: Arrow): boolean {
  if (f.hiddenLanes.has(a.from) || f.hiddenLanes.has(a.to)) return false;
  // An exchange is shown whole, heartbeats that carry its commit included.
  if (f.only) return f.only.messages.has(a.msgId);
  return !f.hiddenFamilies.has(familyOf(a));
}

export function showsMark(f: DiagramFilter, k: Mark): boolean {
  if (k.lane !== null && f.hiddenLanes.has(k.lane)) return false;
  if (f.only) return f.only.events.has(k.id) || k.lane === null || k.detail.kind === 'role' || k.detail.kind === 'crash' || k.detail.kind === 'restart';
  return !k.routine || !f.hiddenFamilies.has('heartbeat');
}
