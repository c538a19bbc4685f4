import type { Statement } from '../db/types';
import type { World } from '../sim/world';
import type { Router } from './routing';
import type { ServerNode } from './server';
import type { ClusterOptions, NetMessage } from './types';

/** How long a flushed batch of queued writes has to commit. */
const BATCH_TIMEOUT = 10_000;

/**
 * rqlite's queued writes: the request is answered at once with a sequence number, and the node
 * sends what it has queued as one execute when the batch is full or `queueFlushMs` has passed. A
 * queued write can be lost before its batch commits; rqlite documents the same risk.
 */
export class WriteQueue {
  private queues = new Map<string, { statements: Statement[]; armed: boolean }>();
  private seq = 0;

  constructor(
    private readonly world: World<NetMessage>,
    private readonly opts: ClusterOptions,
    private readonly router: Router,
  ) {}

  /** The sequence counter, or null while a node still holds queued statements (a pending flush). */
  checkpoint(): number | null {
    for (const q of this.queues.values()) if (q.armed || q.statements.length > 0) return null;
    return this.seq;
  }

  restore(seq: number): void {
    this.queues.clear();
    this.seq = seq;
  }

  /** Queue statements at `s`; returns the sequence number rqlite answers with. */
  enqueue(s: ServerNode, statements: Statement[]): number {
    let q = this.queues.get(s.id);
    if (!q) this.queues.set(s.id, (q = { statements: [], armed: false }));
    q.statements.push(...statements);
    const flush = () => {
      q.armed = false;
      if (q.statements.length === 0) return;
      const batch = q.statements.splice(0, q.statements.length);
      const req = { statements: batch, transaction: false, queue: false, timeout: BATCH_TIMEOUT };
      const call = this.router.newCall(s.id, req.timeout, () => {});
      this.router.route(s, call, { op: 'execute', req });
    };
    if (q.statements.length >= this.opts.queueBatchSize) flush();
    else if (!q.armed) {
      q.armed = true;
      this.world.at(this.world.now + this.opts.queueFlushMs, flush);
    }
    return ++this.seq;
  }
}
