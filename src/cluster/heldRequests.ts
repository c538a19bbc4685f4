import type { Statement } from '../db/types';
import type { CallCopier, CallReviver, ReplyTo } from './heldCalls';

/** A write (or a read through the log) this server proposed, waiting for its entry to be applied. */
export interface Proposal {
  readonly term: number;
  readonly reply: ReplyTo;
}

/** A linearizable read, waiting for its read index and then for the log to be applied that far. */
export interface PendingRead {
  readonly statements: Statement[];
  /** The simulated clock when the read arrived: what its 'now' reads. */
  readonly ts: number;
  readonly reply: ReplyTo;
}

/** The client requests a server holds, as a checkpoint keeps them (ClientRequests.image). */
export interface HeldRequests {
  /** Log index, term, and where the answer goes. */
  readonly proposals: readonly (readonly [number, number, ReplyTo<number>])[];
  /** Linearizable reads waiting for their read index: context, statements, 'now', where the answer goes. */
  readonly reads: readonly (readonly [number, readonly Statement[], number, ReplyTo<number>])[];
  /** Reads waiting for the log to be applied up to their index: index, statements, 'now', where the answer goes. */
  readonly awaiting: readonly (readonly [number, readonly Statement[], number, ReplyTo<number>])[];
}

/**
 * The client requests one server is holding until it can answer them. Volatile like the rest of a
 * server: a crash or a lost leadership fails them all (`drain`); a checkpoint copies them as data.
 */
export class ClientRequests {
  private proposals = new Map<number, Proposal>();
  private reads = new Map<number, PendingRead>();
  private awaiting: { index: number; read: PendingRead }[] = [];

  /** Whether any proposal waits: with none, plain writes need no answer and may be batched later. */
  get anyProposal(): boolean {
    return this.proposals.size > 0;
  }

  propose(index: number, term: number, reply: ReplyTo): void {
    this.proposals.set(index, { term, reply });
  }

  proposal(index: number): Proposal | undefined {
    return this.proposals.get(index);
  }

  /** The entry at `index` was applied: its proposal is answered now. */
  settle(index: number): void {
    this.proposals.delete(index);
  }

  read(ctx: number, statements: Statement[], ts: number, reply: ReplyTo): void {
    this.reads.set(ctx, { statements, ts, reply });
  }

  /** Raft confirmed the read `ctx` at log index `index`: it now waits to be applied that far. */
  confirmed(ctx: number, index: number): void {
    const read = this.reads.get(ctx);
    if (!read) return;
    this.reads.delete(ctx);
    this.awaiting.push({ index, read });
  }

  /** Take the reads the log has been applied far enough for, oldest first. */
  due(lastApplied: number): PendingRead[] {
    if (this.awaiting.length === 0) return [];
    const due = this.awaiting.filter((r) => r.index <= lastApplied);
    this.awaiting = this.awaiting.filter((r) => r.index > lastApplied);
    return due.map((r) => r.read);
  }

  /** Take every request held (proposals, reads, then reads awaiting apply), to fail them. */
  drain(): ReplyTo[] {
    const all = [...[...this.proposals.values()].map((p) => p.reply), ...[...this.reads.values()].map((r) => r.reply), ...this.awaiting.map((r) => r.read.reply)];
    this.proposals.clear();
    this.reads.clear();
    this.awaiting = [];
    return all;
  }

  /**
   * The requests held, their calls copied by `calls`; null when none is held, or (`undefined`) when
   * one of their calls cannot be copied.
   */
  image(calls: CallCopier): HeldRequests | null | undefined {
    if (this.proposals.size === 0 && this.reads.size === 0 && this.awaiting.length === 0) return null;
    const proposals: [number, number, ReplyTo<number>][] = [];
    const reads: [number, Statement[], number, ReplyTo<number>][] = [];
    const awaiting: [number, Statement[], number, ReplyTo<number>][] = [];
    for (const [index, p] of this.proposals) {
      const to = calls.reply(p.reply);
      if (!to) return undefined;
      proposals.push([index, p.term, to]);
    }
    for (const [ctx, r] of this.reads) {
      const to = calls.reply(r.reply);
      if (!to) return undefined;
      reads.push([ctx, r.statements, r.ts, to]);
    }
    for (const { index, read: r } of this.awaiting) {
      const to = calls.reply(r.reply);
      if (!to) return undefined;
      awaiting.push([index, r.statements, r.ts, to]);
    }
    return { proposals, reads, awaiting };
  }

  /** Hold again the requests `image` copied, and only those. */
  restore(h: HeldRequests, calls: CallReviver): void {
    this.proposals.clear();
    this.reads.clear();
    this.awaiting = [];
    for (const [index, term, to] of h.proposals) this.proposals.set(index, { term, reply: calls.reply(to) });
    for (const [ctx, statements, ts, to] of h.reads) this.reads.set(ctx, { statements: [...statements], ts, reply: calls.reply(to) });
    for (const [index, statements, ts, to] of h.awaiting) this.awaiting.push({ index, read: { statements: [...statements], ts, reply: calls.reply(to) } });
  }
}
