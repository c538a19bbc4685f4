import type { Statement } from '../db/types';
import type { World } from '../sim/world';
import type { HostTask } from './heldCalls';
import type { Router } from './routing';
import type { ServerNode } from './server';
import type { ClusterOptions, NetMessage } from './types';

/** How long a flushed batch of queued writes has to commit. */
const BATCH_TIMEOUT = 10_000;

/** The write queue between two steps: its counter, and each node's statements and whether a flush is armed. */
export interface QueueCheckpoint {
  readonly seq: number;
  readonly queues: readonly (readonly [string, readonly Statement[], boolean])[];
}

/**
 * rqlite's queued writes: the request is answered at once with a sequence number, and the node
 * sends what it has queued as one execute when the batch is full or `queueFlushMs` has passed. A
 * queued write can be lost before its batch commits; rqlite documents the same risk.
 */
export class WriteQueue {
  private queues = new Map<string, { statements: Statement[]; armed: boolean }>();
  private seq = 0;

  constructor(
    private readonly world: World<NetMessage, HostTask>,
    private readonly opts: ClusterOptions,
    private readonly router: Router,
    private readonly server: (id: string) => ServerNode | undefined,
  ) {}

  checkpoint(): QueueCheckpoint {
    const queues: [string, Statement[], boolean][] = [];
    for (const [node, q] of this.queues) if (q.armed || q.statements.length > 0) queues.push([node, [...q.statements], q.armed]);
    return { seq: this.seq, queues };
  }

  restore(cp: QueueCheckpoint): void {
    this.queues.clear();
    for (const [node, statements, armed] of cp.queues) this.queues.set(node, { statements: [...statements], armed });
    this.seq = cp.seq;
  }

  /** Queue statements at `s`; returns the sequence number rqlite answers with. */
  enqueue(s: ServerNode, statements: Statement[]): number {
    let q = this.queues.get(s.id);
    if (!q) this.queues.set(s.id, (q = { statements: [], armed: false }));
    q.statements.push(...statements);
    if (q.statements.length >= this.opts.queueBatchSize) this.flush(s);
    else if (!q.armed) {
      q.armed = true;
      this.world.schedule(this.world.now + this.opts.queueFlushMs, { kind: 'queue', node: s.id });
    }
    return ++this.seq;
  }

  /** The 'queue' task: send what `node` has queued as one execute. */
  run(node: string): void {
    this.flush(this.server(node)!);
  }

  private flush(s: ServerNode): void {
    const q = this.queues.get(s.id)!;
    q.armed = false;
    if (q.statements.length === 0) return;
    const batch = q.statements.splice(0, q.statements.length);
    const req = { statements: batch, transaction: false, queue: false, timeout: BATCH_TIMEOUT };
    const call = this.router.newCall(s.id, req.timeout, null);
    this.router.route(s, call, { op: 'execute', req });
  }
}
