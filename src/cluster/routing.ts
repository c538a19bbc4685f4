import { rewriteSql, type RewriteEnv } from '../db/rewrite';
import type { Statement } from '../db/types';
import type { World } from '../sim/world';
import { ClientCall, type CallTag } from './calls';
import type { CallCopier, CallReviver, HostTask, ReplyTo } from './heldCalls';
import type { ServerNode } from './server';
import { failure, type Answer, type ClientForward, type ClientOp, type ClientReply, type ClusterOptions, type EntryData, type NetMessage } from './types';

const RETRY_MS = 20;

export interface RouterCheckpoint {
  readonly nextCallId: number;
  readonly nextCtx: number;
  /** Forwards still on the wire that a leader already took (messages are shared, never copied). */
  readonly taken: readonly ClientForward[];
  /** Requests this cluster's nodes forwarded, by call id, and still waiting for the leader's answer. */
  readonly forwarded: readonly { readonly call: number; readonly body: ClientOp; readonly msg: ClientForward }[];
  /** Leaders with an AppendEntries round due this instant (a 'flush' task each). */
  readonly flushPending: readonly string[];
}

/** What request routing needs from the cluster around it. */
export interface RoutingHost {
  readonly world: World<NetMessage, HostTask>;
  readonly opts: ClusterOptions;
  server(id: string): ServerNode | undefined;
}

/**
 * Client requests as an rqlite node handles them: served where it can be (a `none` read, or a
 * node that believes it leads), otherwise forwarded to the leader this node knows of, or retried
 * every 20 ms until its deadline while no leader is known. Every decision uses the receiving
 * node's own Raft state.
 */
export class Router {
  private nextCallId = 1;
  private nextCtx = 1;
  private forwarded = new Map<number, { call: ClientCall; body: ClientOp; msg: ClientForward }>();
  /**
   * Forwards already taken. rqlite forwards over a connection that never delivers a request twice;
   * proposing a network-duplicated copy would apply one write twice and could answer the client
   * with the second application's result (a cas that "failed" after succeeding). Found by chaos mode.
   */
  private takenForwards = new WeakSet<ClientForward>();
  private flushPending = new Set<string>();
  /** What the leader's rewrite draws from: the world's PRNG, and the clock set before each use. */
  private readonly env: RewriteEnv = {
    nowMs: 0,
    randomInt64: () => this.host.world.prng.int64(),
    randomBytes: (n: number) => this.host.world.prng.bytes(n),
  };

  constructor(private readonly host: RoutingHost) {}

  /**
   * The counters, the forwards waiting for their answers (their calls copied by `calls`) and those
   * on the wire already taken; null when a waiting call cannot be copied (CallCopier.call).
   */
  checkpoint(calls: CallCopier): RouterCheckpoint | null {
    const forwarded: { call: number; body: ClientOp; msg: ClientForward }[] = [];
    for (const f of this.forwarded.values()) {
      const call = calls.call(f.call);
      if (call === null) return null;
      forwarded.push({ call, body: f.body, msg: f.msg });
    }
    const taken: ClientForward[] = [];
    for (const m of this.host.world.inFlight()) if (m.msg.type === 'ClientRequest' && this.takenForwards.has(m.msg)) taken.push(m.msg);
    return { nextCallId: this.nextCallId, nextCtx: this.nextCtx, taken, forwarded, flushPending: [...this.flushPending] };
  }

  /** Become the router `cp` recorded, over a world restored from the same checkpoint. */
  restore(cp: RouterCheckpoint, calls: CallReviver): void {
    this.nextCallId = cp.nextCallId;
    this.nextCtx = cp.nextCtx;
    this.forwarded.clear();
    for (const f of cp.forwarded) this.forwarded.set(f.msg.id, { call: calls.call(f.call), body: f.body, msg: f.msg });
    this.flushPending = new Set(cp.flushPending);
    this.takenForwards = new WeakSet(cp.taken);
  }

  /** Run host work the world scheduled (World.schedule); the write queue's batches are the queue's. */
  run(task: HostTask): void {
    switch (task.kind) {
      case 'deadline': {
        const { call } = task;
        if (call.answered) return;
        return call.resolve(failure(task.node, { code: call.sawLeader ? 'timeout' : 'no-leader' }));
      }
      case 'retry':
        return this.route(this.host.server(task.node)!, task.call, task.body);
      case 'flush':
        this.flushPending.delete(task.node);
        return this.host.server(task.node)!.proc.flush();
    }
  }

  /** Whether a task has become a no-op: its call was answered. */
  static inert(task: HostTask): boolean {
    return (task.kind === 'deadline' || task.kind === 'retry') && task.call.answered;
  }

  private get now(): number {
    return this.host.world.now;
  }

  /** A new call with a deadline `timeout` ms from now; `done` (if any) gets exactly one answer. */
  newCall(node: string, timeout: number, done: ((a: Answer) => void) | null, tag: CallTag | null = null): ClientCall {
    return new ClientCall(this.nextCallId++, node, this.now + timeout, done, tag);
  }

  /** Answer `call` at its deadline if nothing else has: "timed out" once a leader took it, else "leader not found". */
  armDeadline(s: ServerNode, call: ClientCall): void {
    this.host.world.schedule(call.deadline, { kind: 'deadline', node: s.id, call });
  }

  route(s: ServerNode, call: ClientCall, body: ClientOp): void {
    if (call.answered) return;
    const raft = s.proc.raft;
    if (!raft) return call.resolve(failure(s.id, { code: 'crashed', node: s.id }));
    if (body.op === 'query' && body.req.level === 'none') return this.serveNone(s, call, body.req.statements, body.req.freshness);
    if (raft.role === 'leader') {
      call.sawLeader = true;
      return this.serveAtLeader(s, body, { call });
    }
    const leader = raft.leaderId;
    if (leader === null || leader === s.id || !this.host.server(leader)) return this.retryLater(s, call, body);
    call.sawLeader = true;
    const msg: ClientForward = { type: 'ClientRequest', from: s.id, to: leader, id: call.id, body };
    this.forwarded.set(call.id, { call, body, msg });
    this.host.world.send(msg);
  }

  /**
   * The leader a request was forwarded to was down when it arrived, so it never saw it: route it
   * again, as an rqlite node does when its connection to the leader is refused. (Waiting for the
   * deadline left a write hanging for seconds after a new leader was known.) Only the latest
   * forward of a call counts; a request that did reach a leader is never sent twice.
   */
  forwardFailed(msg: ClientForward): void {
    const fwd = this.forwarded.get(msg.id);
    if (!fwd || fwd.msg !== msg) return;
    this.forwarded.delete(msg.id);
    const s = this.host.server(msg.from);
    if (s) this.retryLater(s, fwd.call, fwd.body);
  }

  /** A forwarded request reached its leader, or the leader's answer came back. */
  deliver(s: ServerNode, msg: ClientForward | ClientReply): void {
    if (msg.type === 'ClientRequest') {
      if (this.takenForwards.has(msg)) return;
      this.takenForwards.add(msg);
      this.serveAtLeader(s, msg.body, { to: msg.from, id: msg.id });
      return;
    }
    const fwd = this.forwarded.get(msg.id);
    if (!fwd) return;
    this.forwarded.delete(msg.id);
    if (msg.retry) this.retryLater(s, fwd.call, fwd.body);
    else fwd.call.resolve({ ...msg.answer, via: s.id });
  }

  private retryLater(s: ServerNode, call: ClientCall, body: ClientOp): void {
    if (call.answered || this.now + RETRY_MS > call.deadline) return;
    this.host.world.schedule(this.now + RETRY_MS, { kind: 'retry', node: s.id, call, body });
  }

  /**
   * Answer a request served at `s`, to the client's call there or back to the node that forwarded
   * it. `retry`: the request, which `s` could not take; the call is routed again instead.
   */
  respond(s: ServerNode, to: ReplyTo, a: Answer, retry: ClientOp | null = null): void {
    if (!('call' in to)) return this.host.world.send({ type: 'ClientResponse', from: s.id, to: to.to, id: to.id, answer: a, retry: retry !== null });
    if (retry) this.retryLater(s, to.call, retry);
    else to.call.resolve(a);
  }

  private serveNone(s: ServerNode, call: ClientCall, statements: Statement[], freshness?: number): void {
    const raft = s.proc.raft!;
    if (freshness !== undefined && freshness > 0 && raft.role !== 'leader') {
      const age = this.now - raft.lastLeaderContact;
      if (age > freshness) return call.resolve(failure(s.id, { code: 'stale', node: s.id, age, freshness }));
    }
    call.resolve({ ok: true, node: s.id, result: { results: s.query(statements, this.host.opts.epochMs + this.now) } });
  }

  /** Serve at a node that believes it leads; what it cannot take is answered with `retry`. */
  private serveAtLeader(s: ServerNode, body: ClientOp, to: ReplyTo): void {
    const raft = s.proc.raft;
    if (!raft || raft.role !== 'leader') return this.respond(s, to, failure(s.id, { code: 'not-leader' }), body);
    if (body.op === 'query' && body.req.level === 'weak') {
      return this.respond(s, to, { ok: true, node: s.id, result: { results: s.query(body.req.statements, this.host.opts.epochMs + this.now) } });
    }
    if (body.op === 'query' && body.req.level === 'linearizable') {
      const ctx = this.nextCtx++;
      s.requests.read(ctx, body.req.statements, this.host.opts.epochMs + this.now, to);
      raft.readIndex(ctx);
      s.proc.flush();
      return;
    }
    const data: EntryData =
      body.op === 'execute'
        ? { op: 'execute', statements: this.rewrite(body.req.statements), transaction: body.req.transaction, ts: this.host.opts.epochMs + this.now }
        : { op: 'query', statements: body.req.statements, ts: this.host.opts.epochMs + this.now };
    const res = raft.propose('command', data, this.now);
    if (!res.ok) return this.respond(s, to, failure(s.id, res.refusal), body);
    s.requests.propose(res.index, res.term, to);
    this.flushSoon(s);
  }

  /** Requests arriving at the same instant share one AppendEntries round, as real Raft batches. */
  private flushSoon(s: ServerNode): void {
    if (this.flushPending.has(s.id)) return;
    this.flushPending.add(s.id);
    this.host.world.schedule(this.now, { kind: 'flush', node: s.id });
  }

  /** Non-deterministic SQL is made deterministic once, at the leader, before it enters the log. */
  private rewrite(statements: Statement[]): Statement[] {
    this.env.nowMs = this.host.opts.epochMs + this.now;
    return statements.map((st) => ({ ...st, sql: rewriteSql(st.sql, this.env) }));
  }
}
