import { ClientCall, type CallTag } from './calls';
import type { Answer, ClientOp } from './types';

/**
 * Client requests in flight as data, so that a checkpoint can be taken while some wait for their
 * answers. Before, every piece of host work was a closure, and a checkpoint had to wait for a moment
 * with nothing in flight: a steady stream of writes left none for seconds, and forks replayed from
 * far back. Live, the data holds the calls themselves (`C` = ClientCall); in a checkpoint, their ids
 * (`C` = number), the calls copied once into a table.
 */

/** Host work the world runs at a simulated time (World.schedule): the router and the write queue run it. */
export type HostTask<C = ClientCall> =
  /** A call's deadline: answered "timed out" or "leader not found" if nothing answered it before. */
  | { readonly kind: 'deadline'; readonly node: string; readonly call: C }
  /** Route the call again from `node` (no leader was known, or the one tried could not take it). */
  | { readonly kind: 'retry'; readonly node: string; readonly call: C; readonly body: ClientOp }
  /** Send what the leader at `node` proposed this instant in one AppendEntries round. */
  | { readonly kind: 'flush'; readonly node: string }
  /** Send `node`'s queued writes as one batch. */
  | { readonly kind: 'queue'; readonly node: string };

/** Where a server sends the answer to a request it holds: the client's call, or the node that forwarded it. */
export type ReplyTo<C = ClientCall> = { readonly call: C } | { readonly to: string; readonly id: number };

/** A call as a checkpoint keeps it. */
export interface CallImage {
  readonly id: number;
  readonly node: string;
  readonly deadline: number;
  readonly tag: CallTag | null;
  readonly answered: boolean;
  readonly sawLeader: boolean;
  readonly answer: Answer | null;
}

/** Makes a checkpoint's copies: each call once, by id. */
export class CallCopier {
  readonly images: CallImage[] = [];
  private readonly seen = new Set<number>();

  /** The call's id, its image kept; null when the call cannot be copied (its host cannot name its listener). */
  call(c: ClientCall): number | null {
    if (!c.copyable) return null;
    if (!this.seen.has(c.id)) {
      this.seen.add(c.id);
      this.images.push({ id: c.id, node: c.node, deadline: c.deadline, tag: c.tag, answered: c.answered, sawLeader: c.sawLeader, answer: c.answer });
    }
    return c.id;
  }

  task(t: HostTask): HostTask<number> | null {
    if (t.kind === 'flush' || t.kind === 'queue') return t;
    const call = this.call(t.call);
    return call === null ? null : { ...t, call };
  }

  reply(r: ReplyTo): ReplyTo<number> | null {
    if (!('call' in r)) return r;
    const call = this.call(r.call);
    return call === null ? null : { call };
  }
}

/** The listener a host gives an answer to, found again by the call's tag. */
export type Revive = (tag: CallTag) => (a: Answer) => void;

/** Makes a checkpoint's calls live again, one new ClientCall per id, shared by every place that holds it. */
export class CallReviver {
  private readonly images = new Map<number, CallImage>();
  private readonly made = new Map<number, ClientCall>();

  constructor(
    images: readonly CallImage[],
    private readonly revive: Revive | null,
  ) {
    for (const im of images) this.images.set(im.id, im);
  }

  call(id: number): ClientCall {
    const had = this.made.get(id);
    if (had) return had;
    const im = this.images.get(id)!;
    if (im.tag !== null && !im.answered && !this.revive) throw new Error(`call ${id} waits for its answer, and nothing was given to revive its listener`);
    const done = im.tag !== null && !im.answered ? this.revive!(im.tag) : null;
    const c = new ClientCall(im.id, im.node, im.deadline, done, im.tag);
    c.answered = im.answered;
    c.sawLeader = im.sawLeader;
    c.answer = im.answer;
    this.made.set(id, c);
    return c;
  }

  task(t: HostTask<number>): HostTask {
    if (t.kind === 'flush' || t.kind === 'queue') return t;
    return { ...t, call: this.call(t.call) };
  }

  reply(r: ReplyTo<number>): ReplyTo {
    return 'call' in r ? { call: this.call(r.call) } : r;
  }
}
