import type { NetMessage } from '../../cluster/types';
import type { InFlight } from '../../sim/events';
import { classify } from '../describe';
import type { SimEvent } from '../simulation';
import type { ArrowStore } from './arrowStore';
import type { Arrow } from './types';

type Carrying = Extract<SimEvent, { kind: 'deliver' | 'drop' }>;

/**
 * Which request a reply answers, keyed by what the reply echoes back: an AppendEntries' and an
 * InstallSnapshot's broadcast round, a RequestVote's pre-vote flag, a forwarded request's call id.
 * The latest delivered request under a key wins: a reply is sent after its request arrived.
 *
 * A key is one number: the number echoed, what kind of request, and the two servers (each by a
 * small index, `Servers`). As text (`n1>n2:ae:7`) each delivery built and hashed a new string, the
 * largest part of the model's own work in a 30-minute run's restore (6 % of it, a CPU profile).
 */
const AE = 0;
const IS = 1;
const RV = 2;
const CR = 3;
type Kind = typeof AE | typeof IS | typeof RV | typeof CR;
/** Servers a key can tell apart: ids past this many would share indexes. */
const SERVER_SPAN = 1024;
const PAIR_SPAN = SERVER_SPAN * SERVER_SPAN;

/** Small indexes for server ids, in the order first seen. */
class Servers {
  private readonly index = new Map<string, number>();

  of(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) this.index.set(id, (i = this.index.size % SERVER_SPAN));
    return i;
  }
}

/** The key of a request of `kind` from `from` to `to` under `n` (a round, 0/1 for pre-vote, a call id). */
function keyOf(kind: Kind, n: number, from: number, to: number): number {
  return (n * 4 + kind) * PAIR_SPAN + from * SERVER_SPAN + to;
}

function requestKey(m: NetMessage, ids: Servers): number | null {
  switch (m.type) {
    case 'AppendEntries':
      return keyOf(AE, m.seq, ids.of(m.from), ids.of(m.to));
    case 'InstallSnapshot':
      return keyOf(IS, m.seq, ids.of(m.from), ids.of(m.to));
    case 'RequestVote':
      return keyOf(RV, m.preVote ? 1 : 0, ids.of(m.from), ids.of(m.to));
    case 'ClientRequest':
      return keyOf(CR, m.id, 0, 0);
    default:
      return null;
  }
}

function replyKey(m: NetMessage, ids: Servers): number | null {
  switch (m.type) {
    case 'AppendEntriesResp':
      return keyOf(AE, m.seq, ids.of(m.to), ids.of(m.from));
    case 'InstallSnapshotResp':
      return keyOf(IS, m.seq, ids.of(m.to), ids.of(m.from));
    case 'RequestVoteResp':
      return keyOf(RV, m.preVote ? 1 : 0, ids.of(m.to), ids.of(m.from));
    case 'ClientResponse':
      return keyOf(CR, m.id, 0, 0);
    default:
      return null;
  }
}

function isHeartbeat(m: NetMessage): boolean {
  return m.type === 'AppendEntries' && m.entries.length === 0;
}

/**
 * AppendEntries and RequestVote are answered in the step that delivers them (the Raft core's
 * outbox is sent after each step, src/sim/process.ts). A snapshot's or a forwarded request's
 * answer may come later: those few are remembered for the whole run.
 */
function answeredAtOnce(key: number): boolean {
  const kind = Math.floor(key / PAIR_SPAN) % 4;
  return kind === AE || kind === RV;
}

/**
 * Turns deliveries, drops and messages still queued into arrows, pairing replies with requests.
 * Logged arrows go into `lists` (the rest, the routine ones); a request is remembered by its list
 * and position, and only for as long as a reply can still name it (see `prune`).
 */
export class ArrowMaker {
  /** The latest delivered request under each key: list (0 the rest, 1 routine) + 2 × position. */
  private readonly delivered = new Map<number, number>();
  private readonly ids = new Servers();
  private sizeAfterPrune = 0;
  /**
   * The delivered requests whose key `delivered` keeps for the whole run (the ones not answered at
   * once: snapshots, forwarded client requests), as positions in the first list, in order: few,
   * and what `rebuild` needs of the past beyond the last moments.
   */
  private readonly lasting: number[] = [];

  constructor(private readonly lists: readonly [ArrowStore, ArrowStore]) {}

  /** The arrow of a logged delivery or drop, stored in its list; a delivered request is remembered for its reply. */
  fromEvent(e: Carrying): Arrow {
    const a = this.make(e.msg, e.msgId, e.sendId, e.copies, e.sentAt, e.time, e.kind === 'deliver' ? 'delivered' : 'dropped', e.seq, e.kind === 'drop' ? e.reason : null);
    const pos = this.lists[a.routine ? 1 : 0].push(a);
    if (e.kind === 'deliver') {
      const key = requestKey(e.msg, this.ids);
      if (key !== null) {
        this.delivered.set(key, (a.routine ? 1 : 0) + 2 * pos);
        if (!answeredAtOnce(key)) {
          if (a.routine) throw new RangeError(`a ${e.msg.type} among the routine arrows`);
          this.lasting.push(pos);
        }
      }
    }
    return a;
  }

  /** A message still in the world's queue: it ends at its due time, its fate not yet logged. */
  fromQueue(q: InFlight<NetMessage>): Arrow {
    return this.make(q.msg, q.id, q.sendId, q.copies, q.sentAt, q.deliverAt, 'pending', -1, null);
  }

  /**
   * Forget the requests no reply can name any more: one answered at once and delivered more than
   * `maxLatency` before `now` (the latest fate read). A reply not read yet was sent at its
   * request's delivery and ends by then + the latency, so it is at or after `now` − `maxLatency`;
   * its own request, or a later one under the same key, is delivered by then and kept. Cheap: run
   * when the map has doubled since it last ran.
   */
  prune(now: number, maxLatency: number): void {
    if (this.delivered.size < 2 * this.sizeAfterPrune + 256) return;
    const horizon = now - maxLatency;
    for (const [key, ref] of this.delivered) {
      if (answeredAtOnce(key) && this.lists[ref & 1].endAt(ref >> 1) < horizon) this.delivered.delete(key);
    }
    this.sizeAfterPrune = this.delivered.size;
  }

  /**
   * After arrows were taken off the ends of the lists (a fork cut the run): remember again, from
   * what is left, the latest delivered request under each key (within `maxLatency` of the last fate
   * for the ones answered at once, as `prune` keeps them). Reads the requests kept for good and the
   * last `maxLatency` of each list, never the rest of the run nor any message (only what rows keep).
   */
  rebuild(maxLatency: number): void {
    this.delivered.clear();
    const [a, b] = this.lists;
    while (this.lasting.length > 0 && this.lasting[this.lasting.length - 1] >= a.length) this.lasting.pop();
    // In order: a later request under the same key takes its place, as when they were read.
    for (const pos of this.lasting) {
      const key = storedRequestKey(a, pos, this.ids);
      if (key !== null) this.delivered.set(key, 2 * pos);
    }
    let i = a.length - 1;
    let j = b.length - 1;
    const now = Math.max(i >= 0 ? a.endAt(i) : -Infinity, j >= 0 ? b.endAt(j) : -Infinity);
    const horizon = now - maxLatency;
    // Newest first across both lists (by the seq of their fate), so the first seen under a key is
    // the latest; each list is in end order, so its rows before the horizon are all older. Their
    // keys (`:ae:`, `:rv:`) are never those of the requests kept for good.
    while ((i >= 0 && a.endAt(i) >= horizon) || (j >= 0 && b.endAt(j) >= horizon)) {
      const fromA = j < 0 || b.endAt(j) < horizon || (i >= 0 && a.endAt(i) >= horizon && a.seq(i) > b.seq(j));
      const list = fromA ? a : b;
      const pos = fromA ? i-- : j--;
      if (list.end(pos) !== 'delivered') continue;
      const type = list.type(pos);
      if (type !== 'AppendEntries' && type !== 'RequestVote') continue;
      const key = storedRequestKey(list, pos, this.ids);
      if (key === null || this.delivered.has(key)) continue;
      this.delivered.set(key, (fromA ? 0 : 1) + 2 * pos);
    }
    this.sizeAfterPrune = this.delivered.size;
  }

  private make(msg: NetMessage, msgId: number, sendId: number, copies: 1 | 2, sentAt: number, endAt: number, end: Arrow['end'], seq: number, reason: Arrow['reason']): Arrow {
    const key = replyKey(msg, this.ids);
    const ref = key === null ? undefined : this.delivered.get(key);
    const list = ref === undefined ? null : this.lists[ref & 1];
    const pos = ref === undefined ? 0 : ref >> 1;
    // A reply is sent after its request arrived; an older request under the same key is not it.
    const request = list && list.endAt(pos) <= sentAt ? list : null;
    // An ack is routine when it answers a heartbeat; with its request unknown, by what it says.
    const routine = isHeartbeat(msg) || (msg.type === 'AppendEntriesResp' && msg.success && (request ? storedHeartbeat(request, pos) : true));
    return {
      msgId,
      sendId,
      duplicate: copies === 2,
      from: msg.from,
      to: msg.to,
      sentAt,
      endAt,
      end,
      seq,
      reason,
      cls: classify(msg),
      routine,
      replyTo: request ? request.msgId(pos) : null,
      msg,
    };
  }
}

/** Whether a stored arrow is a heartbeat (an AppendEntries carrying no entry). */
function storedHeartbeat(l: ArrowStore, p: number): boolean {
  return l.type(p) === 'AppendEntries' && l.entries(p) === 0;
}

/** `requestKey` of a stored arrow, from what its row keeps. */
function storedRequestKey(l: ArrowStore, p: number, ids: Servers): number | null {
  switch (l.type(p)) {
    case 'AppendEntries':
      return keyOf(AE, l.round(p), ids.of(l.from(p)), ids.of(l.to(p)));
    case 'InstallSnapshot':
      return keyOf(IS, l.x(p), ids.of(l.from(p)), ids.of(l.to(p)));
    case 'RequestVote':
      return keyOf(RV, l.preVote(p) ? 1 : 0, ids.of(l.from(p)), ids.of(l.to(p)));
    case 'ClientRequest':
      return keyOf(CR, l.x(p), 0, 0);
    default:
      return null;
  }
}
