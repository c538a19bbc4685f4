import type { SqlJsStatic } from 'sql.js';
import { rewriteSql } from '../db/rewrite';
import type { Statement } from '../db/types';
import { isVoter, majority } from '../raft/quorum';
import type { ClusterConfig, Entry, RaftMessage } from '../raft/types';
import { defaultRaftOptions } from '../raft/types';
import { RaftProcess } from '../sim/process';
import type { MemberChange, MemberRole } from '../sim/events';
import { World } from '../sim/world';
import { ClientCall } from './calls';
import { Membership } from './membership';
import { ServerNode } from './server';
import type { Answer, ClientForward, ClientOp, ClusterOptions, EntryData, NetMessage } from './types';

export const defaultClusterOptions: ClusterOptions = {
  nodes: 5,
  seed: 1,
  raft: defaultRaftOptions,
  snapshotThreshold: 1000,
  latency: [5, 15],
  epochMs: Date.UTC(2026, 0, 1),
  queueBatchSize: 128,
  queueFlushMs: 50,
};

const RETRY_MS = 20;

export interface ClusterObserver {
  onApply?(server: ServerNode, entry: Entry): void;
  onEvent?(cluster: Cluster): void;
}

/**
 * The rqlite-like service over a simulated network: servers, client requests with forwarding
 * and consistency levels, and the operator actions (kill, partition, join, transfer …).
 */
export class Cluster {
  readonly world: World<NetMessage>;
  readonly servers = new Map<string, ServerNode>();
  readonly membership: Membership;
  readonly opts: ClusterOptions;
  private observers: ClusterObserver[] = [];
  private nextCallId = 1;
  private nextCtx = 1;
  private forwarded = new Map<number, { call: ClientCall; body: ClientOp }>();
  /**
   * Forwards already taken. rqlite forwards over a connection that never delivers a request twice;
   * proposing a network-duplicated copy would apply one write twice and could answer the client
   * with the second application's result (a cas that "failed" after succeeding). Found by chaos mode.
   */
  private takenForwards = new WeakSet<ClientForward>();
  private queues = new Map<string, { statements: Statement[]; armed: boolean }>();
  private queueSeq = 0;
  private flushPending = new Set<string>();
  /** The last committed configuration recorded as a 'config' event, and its log index. */
  private recordedConfig: ClusterConfig;
  private recordedConfigIndex = 0;

  constructor(
    private readonly SQL: SqlJsStatic,
    options: Partial<ClusterOptions> = {},
  ) {
    this.opts = { ...defaultClusterOptions, ...options, raft: { ...defaultRaftOptions, ...options.raft } };
    this.world = new World<NetMessage>(this.opts.seed);
    [this.world.net.latencyMin, this.world.net.latencyMax] = this.opts.latency;
    this.world.handler = {
      isAlive: (id) => this.servers.get(id)?.alive ?? false,
      deliver: (msg) => this.deliver(msg),
      timer: (node, kind, inc) => this.servers.get(node)?.proc.timer(kind, inc, this.world.now) ?? false,
    };
    this.world.afterEach = () => this.notify();
    this.membership = new Membership(this);
    const ids = Array.from({ length: this.opts.nodes }, (_, i) => `n${i + 1}`);
    this.recordedConfig = { voters: ids, learners: [] };
    for (const id of ids) this.addServer(id, { voters: ids, learners: [] });
    for (const id of ids) this.servers.get(id)!.start();
  }

  get now(): number {
    return this.world.now;
  }

  observe(o: ClusterObserver): void {
    this.observers.push(o);
  }

  addServer(id: string, config: ClusterConfig): ServerNode {
    const server = new ServerNode(
      id,
      (after) => new RaftProcess<NetMessage>(id, this.world, config, this.opts.raft, after),
      this.world,
      this.SQL,
      this.opts.snapshotThreshold,
      {
        onApply: (s, e) => {
          if (e.kind === 'config' && e.config && e.index > this.recordedConfigIndex) this.recordConfig(s, e.index, e.config);
          this.observers.forEach((o) => o.onApply?.(s, e));
        },
        onLeaderStep: (s) => this.membership.onLeaderStep(s),
      },
    );
    this.servers.set(id, server);
    return server;
  }

  /**
   * A configuration entry is applied once it is committed, first by the leader that committed it
   * (it applies in the same step) and later by every other member: only the first application of
   * each index is an event, so a change appears once however many nodes apply it.
   */
  private recordConfig(s: ServerNode, index: number, config: ClusterConfig): void {
    const changes = configChanges(this.recordedConfig, config);
    this.recordedConfig = config;
    this.recordedConfigIndex = index;
    this.world.record({ kind: 'config', node: s.id, changes, config: { voters: [...config.voters], learners: [...config.learners] } });
  }

  /** The live leader in the highest term (a deposed leader cut off in an older term does not count). */
  leader(): ServerNode | null {
    let best: ServerNode | null = null;
    for (const s of this.servers.values()) {
      const r = s.proc.raft;
      if (r && r.role === 'leader' && (!best || r.term > best.proc.raft!.term)) best = s;
    }
    if (!best) return null;
    const raft = best.proc.raft!;
    // A higher term elsewhere means an election that may depose it, unless that node is no longer
    // in its configuration: a removed server's term cannot reach the members, who ignore it.
    for (const id of [...raft.config.voters, ...raft.config.learners]) {
      const r = this.servers.get(id)?.proc.raft;
      if (r && r.term > raft.term) return null;
    }
    return best;
  }

  /** A leader known to a majority of the voters of its configuration. */
  stableLeader(): ServerNode | null {
    const l = this.leader();
    if (!l) return null;
    const raft = l.proc.raft!;
    let n = 0;
    for (const v of raft.config.voters) {
      const r = this.servers.get(v)?.proc.raft;
      if (r && r.term === raft.term && r.leaderId === l.id) n++;
    }
    return n >= majority(raft.config) ? l : null;
  }

  converged(): boolean {
    const l = this.stableLeader();
    if (!l) return false;
    const raft = l.proc.raft!;
    // Quiescent: the leader has committed everything it holds, including an entry of its own term.
    if (raft.commitIndex < raft.lastIndex || raft.storage.termAt(raft.commitIndex) !== raft.term) return false;
    if (raft.lastApplied < raft.commitIndex) return false;
    for (const id of [...raft.config.voters, ...raft.config.learners]) {
      const r = this.servers.get(id)?.proc.raft;
      if (r && r.lastApplied < raft.commitIndex) return false;
    }
    return true;
  }

  // ---- operator actions ----

  kill(id: string): void {
    const s = this.servers.get(id);
    if (s?.alive) s.crash(`node ${id} crashed`);
    this.notify();
  }

  restart(id: string): void {
    const s = this.servers.get(id);
    if (!s || s.alive) return;
    this.world.record({ kind: 'restart', node: id });
    s.start();
    this.notify();
  }

  /** Make a node's election timer fire now (RaftScope's "time out"): it starts an election. */
  timeoutNow(id: string): boolean {
    const s = this.servers.get(id);
    const raft = s?.proc.raft;
    if (!s || !raft || raft.role === 'leader') return false;
    this.world.record({ kind: 'timeout', node: id, timer: 'election', forced: true });
    raft.onElectionTimeout(this.now);
    s.proc.flush();
    this.notify();
    return true;
  }

  partition(groups: string[][]): void {
    this.world.net.partition(groups);
    this.world.record({ kind: 'partition', groups: groups.map((g) => [...g]) });
    this.notify();
  }

  isolate(id: string): void {
    this.world.net.isolate(id);
    this.world.record({ kind: 'partition', node: id, groups: [[id]], isolated: id });
    this.notify();
  }

  heal(): void {
    this.world.net.heal();
    this.world.record({ kind: 'heal' });
    this.notify();
  }

  setNetwork(change: { drop?: number; duplicate?: number; latency?: [number, number] }): void {
    const net = this.world.net;
    if (change.drop !== undefined) net.dropRate = change.drop;
    if (change.duplicate !== undefined) net.duplicateRate = change.duplicate;
    if (change.latency) [net.latencyMin, net.latencyMax] = change.latency;
    this.world.record({ kind: 'network', drop: net.dropRate, duplicate: net.duplicateRate, latency: [net.latencyMin, net.latencyMax] });
  }

  // ---- client requests ----

  /** Send a request to `node` as an rqlite client would; `done` gets exactly one answer. */
  request(node: string, body: ClientOp, done: (a: Answer) => void): ClientCall {
    const call = new ClientCall(this.nextCallId++, node, this.now + body.req.timeout, done);
    const s = this.servers.get(node);
    const request = { op: body.op, ...(body.op === 'query' ? { level: body.req.level } : {}), sql: body.req.statements.map((st) => st.sql) };
    this.world.record({ kind: 'client', node, request });
    if (!s || !s.alive) {
      call.resolve({ ok: false, node, error: `node ${node} is not reachable (down)` });
      return call;
    }
    this.world.at(call.deadline, () => {
      if (call.answered) return;
      const error = call.sawLeader ? 'request timed out' : 'leader not found';
      call.resolve({ ok: false, node, error });
    });
    if (body.op === 'execute' && body.req.queue) {
      this.enqueue(s, body.req.statements);
      this.queueSeq++;
      call.resolve({ ok: true, node, result: { results: [], sequence_number: this.queueSeq } });
      return call;
    }
    this.route(s, call, body);
    return call;
  }

  private route(s: ServerNode, call: ClientCall, body: ClientOp): void {
    if (call.answered) return;
    const raft = s.proc.raft;
    if (!raft) return call.resolve({ ok: false, node: s.id, error: `node ${s.id} crashed` });
    if (body.op === 'query' && body.req.level === 'none') return this.serveNone(s, call, body.req.statements, body.req.freshness);
    if (raft.role === 'leader') {
      call.sawLeader = true;
      return this.serveAtLeader(s, body, (a, retry) => {
        if (retry) this.retryLater(s, call, body);
        else call.resolve(a);
      });
    }
    const leader = raft.leaderId;
    if (leader === null || leader === s.id || !this.servers.has(leader)) return this.retryLater(s, call, body);
    call.sawLeader = true;
    this.forwarded.set(call.id, { call, body });
    this.world.send({ type: 'ClientRequest', from: s.id, to: leader, id: call.id, body });
  }

  private retryLater(s: ServerNode, call: ClientCall, body: ClientOp): void {
    if (call.answered || this.now + RETRY_MS > call.deadline) return;
    this.world.at(this.now + RETRY_MS, () => this.route(s, call, body));
  }

  private serveNone(s: ServerNode, call: ClientCall, statements: Statement[], freshness?: number): void {
    const raft = s.proc.raft!;
    if (freshness !== undefined && freshness > 0 && raft.role !== 'leader') {
      const age = this.now - raft.lastLeaderContact;
      if (age > freshness) {
        const heard = Number.isFinite(age) ? `${age} ms ago` : 'never';
        return call.resolve({
          ok: false, node: s.id,
          error: `stale read: ${s.id} last heard from a leader ${heard}, more than the freshness of ${freshness} ms`,
        });
      }
    }
    call.resolve({ ok: true, node: s.id, result: { results: s.query(statements) } });
  }

  /** Serve at a node that believes it leads. `retry` means it could not take the request. */
  private serveAtLeader(s: ServerNode, body: ClientOp, reply: (a: Answer, retry: boolean) => void): void {
    const raft = s.proc.raft;
    if (!raft || raft.role !== 'leader') return reply({ ok: false, node: s.id, error: 'not leader' }, true);
    const answer = (a: Answer) => reply(a, false);
    if (body.op === 'query' && body.req.level === 'weak') {
      return answer({ ok: true, node: s.id, result: { results: s.query(body.req.statements) } });
    }
    if (body.op === 'query' && body.req.level === 'linearizable') {
      const ctx = this.nextCtx++;
      s.trackRead(ctx, body.req.statements, answer);
      raft.readIndex(ctx);
      s.proc.flush();
      return;
    }
    const data: EntryData =
      body.op === 'execute'
        ? { op: 'execute', statements: this.rewrite(body.req.statements), transaction: body.req.transaction, ts: this.opts.epochMs + this.now }
        : { op: 'query', statements: body.req.statements };
    const res = raft.propose('command', data, this.now);
    if (!res.ok) return reply({ ok: false, node: s.id, error: res.error }, true);
    s.trackProposal(res.index, res.term, answer);
    this.flushSoon(s);
  }

  /** Requests arriving at the same instant share one AppendEntries round, as real Raft batches. */
  private flushSoon(s: ServerNode): void {
    if (this.flushPending.has(s.id)) return;
    this.flushPending.add(s.id);
    this.world.at(this.now, () => {
      this.flushPending.delete(s.id);
      s.proc.flush();
    });
  }

  private rewrite(statements: Statement[]): Statement[] {
    const prng = this.world.prng;
    const env = { nowMs: this.opts.epochMs + this.now, randomInt64: () => prng.int64(), randomBytes: (n: number) => prng.bytes(n) };
    return statements.map((st) => ({ ...st, sql: rewriteSql(st.sql, env) }));
  }

  private enqueue(s: ServerNode, statements: Statement[]): void {
    let q = this.queues.get(s.id);
    if (!q) this.queues.set(s.id, (q = { statements: [], armed: false }));
    q.statements.push(...statements);
    const flush = () => {
      q.armed = false;
      if (q.statements.length === 0) return;
      const batch = q.statements.splice(0, q.statements.length);
      const req = { statements: batch, transaction: false, queue: false, timeout: 10_000 };
      const call = new ClientCall(this.nextCallId++, s.id, this.now + req.timeout, () => {});
      this.route(s, call, { op: 'execute', req });
    };
    if (q.statements.length >= this.opts.queueBatchSize) flush();
    else if (!q.armed) {
      q.armed = true;
      this.world.at(this.now + this.opts.queueFlushMs, flush);
    }
  }

  private deliver(msg: NetMessage): void {
    const s = this.servers.get(msg.to);
    if (!s) return;
    if (msg.type === 'ClientRequest') {
      if (this.takenForwards.has(msg)) return;
      this.takenForwards.add(msg);
      this.serveAtLeader(s, msg.body, (answer, retry) =>
        this.world.send({ type: 'ClientResponse', from: s.id, to: msg.from, id: msg.id, answer, retry }),
      );
    } else if (msg.type === 'ClientResponse') {
      const fwd = this.forwarded.get(msg.id);
      if (!fwd) return;
      this.forwarded.delete(msg.id);
      if (msg.retry) this.retryLater(s, fwd.call, fwd.body);
      else fwd.call.resolve({ ...msg.answer, via: s.id });
    } else {
      s.proc.deliver(msg as RaftMessage);
    }
  }

  notify(): void {
    for (const o of this.observers) o.onEvent?.(this);
  }

  /** Free every node's sql.js database: the wasm heap is shared and not garbage-collected. */
  dispose(): void {
    for (const s of this.servers.values()) s.dispose();
  }

  isVoter(id: string): boolean {
    const l = this.leader();
    return l !== null && isVoter(l.proc.raft!.config, id);
  }
}

/** Who joined, left, was promoted or demoted between two configurations. */
export function configChanges(prev: ClusterConfig, next: ClusterConfig): MemberChange[] {
  const role = (c: ClusterConfig, id: string): MemberRole | null => (c.voters.includes(id) ? 'voter' : c.learners.includes(id) ? 'non-voter' : null);
  const ids = [...new Set([...prev.voters, ...prev.learners, ...next.voters, ...next.learners])];
  const out: MemberChange[] = [];
  for (const id of ids) {
    const from = role(prev, id);
    const to = role(next, id);
    if (from !== to) out.push({ node: id, from, to });
  }
  return out;
}
