import { rewriteSql, type RewriteEnv } from '../db/rewrite';
import type { Statement } from '../db/types';
import type { World } from '../sim/world';
import { ClientCall } from './calls';
import type { ServerNode } from './server';
import { failure, type Answer, type ClientForward, type ClientOp, type ClientReply, type ClusterOptions, type EntryData, type NetMessage } from './types';

const RETRY_MS = 20;

export interface RouterCheckpoint {
  readonly nextCallId: number;
  readonly nextCtx: number;
  /** Forwards still on the wire that a leader already took (messages are shared, never copied). */
  readonly taken: readonly ClientForward[];
}

/** What request routing needs from the cluster around it. */
export interface RoutingHost {
  readonly world: World<NetMessage>;
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
   * The counters and the in-flight forwards already taken, or null while a call is still waiting
   * for its answer (a closure a checkpoint cannot copy). A forward whose call was answered is inert:
   * its reply, if one ever comes, resolves nothing, so it is left out.
   */
  checkpoint(): RouterCheckpoint | null {
    if (this.flushPending.size > 0) return null;
    for (const f of this.forwarded.values()) if (!f.call.answered) return null;
    const taken: ClientForward[] = [];
    for (const m of this.host.world.inFlight()) if (m.msg.type === 'ClientRequest' && this.takenForwards.has(m.msg)) taken.push(m.msg);
    return { nextCallId: this.nextCallId, nextCtx: this.nextCtx, taken };
  }

  /** Become the router `cp` recorded, over a world restored from the same checkpoint. */
  restore(cp: RouterCheckpoint): void {
    this.nextCallId = cp.nextCallId;
    this.nextCtx = cp.nextCtx;
    this.forwarded.clear();
    this.flushPending.clear();
    this.takenForwards = new WeakSet(cp.taken);
  }

  private get now(): number {
    return this.host.world.now;
  }

  /** A new call with a deadline `timeout` ms from now; `done` gets exactly one answer. */
  newCall(node: string, timeout: number, done: (a: Answer) => void): ClientCall {
    return new ClientCall(this.nextCallId++, node, this.now + timeout, done);
  }

  /** Answer `call` at its deadline if nothing else has: "timed out" once a leader took it, else "leader not found". */
  armDeadline(s: ServerNode, call: ClientCall): void {
    this.host.world.at(
      call.deadline,
      () => {
        if (call.answered) return;
        call.resolve(failure(s.id, { code: call.sawLeader ? 'timeout' : 'no-leader' }));
      },
      () => call.answered,
    );
  }

  route(s: ServerNode, call: ClientCall, body: ClientOp): void {
    if (call.answered) return;
    const raft = s.proc.raft;
    if (!raft) return call.resolve(failure(s.id, { code: 'crashed', node: s.id }));
    if (body.op === 'query' && body.req.level === 'none') return this.serveNone(s, call, body.req.statements, body.req.freshness);
    if (raft.role === 'leader') {
      call.sawLeader = true;
      return this.serveAtLeader(s, body, (a, retry) => {
        if (retry) this.retryLater(s, call, body);
        else call.resolve(a);
      });
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
      this.serveAtLeader(s, msg.body, (answer, retry) =>
        this.host.world.send({ type: 'ClientResponse', from: s.id, to: msg.from, id: msg.id, answer, retry }),
      );
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
    this.host.world.at(this.now + RETRY_MS, () => this.route(s, call, body), () => call.answered);
  }

  private serveNone(s: ServerNode, call: ClientCall, statements: Statement[], freshness?: number): void {
    const raft = s.proc.raft!;
    if (freshness !== undefined && freshness > 0 && raft.role !== 'leader') {
      const age = this.now - raft.lastLeaderContact;
      if (age > freshness) return call.resolve(failure(s.id, { code: 'stale', node: s.id, age, freshness }));
    }
    call.resolve({ ok: true, node: s.id, result: { results: s.query(statements, this.host.opts.epochMs + this.now) } });
  }

  /** Serve at a node that believes it leads. `retry` means it could not take the request. */
  private serveAtLeader(s: ServerNode, body: ClientOp, reply: (a: Answer, retry: boolean) => void): void {
    // Every write passes here: the replies are written out in place rather than as named closures.
    const raft = s.proc.raft;
    if (!raft || raft.role !== 'leader') return reply(failure(s.id, { code: 'not-leader' }), true);
    if (body.op === 'query' && body.req.level === 'weak') {
      return reply({ ok: true, node: s.id, result: { results: s.query(body.req.statements, this.host.opts.epochMs + this.now) } }, false);
    }
    if (body.op === 'query' && body.req.level === 'linearizable') {
      const ctx = this.nextCtx++;
      s.trackRead(ctx, body.req.statements, this.host.opts.epochMs + this.now, (a) => reply(a, false));
      raft.readIndex(ctx);
      s.proc.flush();
      return;
    }
    const data: EntryData =
      body.op === 'execute'
        ? { op: 'execute', statements: this.rewrite(body.req.statements), transaction: body.req.transaction, ts: this.host.opts.epochMs + this.now }
        : { op: 'query', statements: body.req.statements, ts: this.host.opts.epochMs + this.now };
    const res = raft.propose('command', data, this.now);
    if (!res.ok) return reply(failure(s.id, res.refusal), true);
    s.trackProposal(res.index, res.term, (a) => reply(a, false));
    this.flushSoon(s);
  }

  /** Requests arriving at the same instant share one AppendEntries round, as real Raft batches. */
  private flushSoon(s: ServerNode): void {
    if (this.flushPending.has(s.id)) return;
    this.flushPending.add(s.id);
    this.host.world.at(this.now, () => {
      this.flushPending.delete(s.id);
      s.proc.flush();
    });
  }

  /** Non-deterministic SQL is made deterministic once, at the leader, before it enters the log. */
  private rewrite(statements: Statement[]): Statement[] {
    this.env.nowMs = this.host.opts.epochMs + this.now;
    return statements.map((st) => ({ ...st, sql: rewriteSql(st.sql, this.env) }));
  }
}
