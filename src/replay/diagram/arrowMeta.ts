import type { NetMessage } from '../../cluster/types';
import type { DropReason } from '../../sim/events';
import type { MsgClass } from '../describe';

/**
 * How an arrow's kind is kept in the arrow store's meta column (arrowStore.ts): the sender, the
 * receiver, the message type, its class and why it was dropped as small numbers, and three flags,
 * in one 32-bit word per arrow.
 */

export type MsgType = NetMessage['type'];

export const TYPES: readonly MsgType[] = ['RequestVote', 'RequestVoteResp', 'AppendEntries', 'AppendEntriesResp', 'InstallSnapshot', 'InstallSnapshotResp', 'TimeoutNow', 'ClientRequest', 'ClientResponse'];
export const CLASSES: readonly MsgClass[] = ['vote-req', 'vote-yes', 'vote-no', 'append', 'heartbeat', 'append-ok', 'append-no', 'snapshot', 'snapshot-resp', 'timeout-now', 'client'];
export const REASONS: readonly (DropReason | null)[] = [null, 'lost', 'partitioned', 'receiver down', 'dropped by the user'];

export const typeId = new Map(TYPES.map((t, i) => [t, i]));
/** The types whose messages fill the x, round, prev and count columns. */
export const [AE, IS, CR, CRESP] = (['AppendEntries', 'InstallSnapshot', 'ClientRequest', 'ClientResponse'] as const).map((t) => TYPES.indexOf(t));
export const clsId = new Map(CLASSES.map((c, i) => [c, i]));
export const reasonId = new Map(REASONS.map((r, i) => [r, i]));

// meta: from (8 bits) | to (8) | type (4) | cls (4) | reason (3) | dropped | duplicate | preVote.
export const TO = 8;
export const TYPE = 16;
export const CLS = 20;
export const REASON = 24;
export const DROPPED = 1 << 27;
export const DUP = 1 << 28;
export const PREVOTE = 1 << 29;

export function must<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new RangeError(`the diagram cannot store ${what}`);
  return v;
}
