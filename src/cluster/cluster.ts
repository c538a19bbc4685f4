import type { SqlJsStatic } from 'sql.js';
import { isVoter } from '../raft/quorum';
import type { ClusterConfig, Entry, RaftMessage } from '../raft/types';
import { defaultRaftOptions } from '../raft/types';
import type { LoggedEvent, MemberChange, MemberRole } from '../sim/events';
import { RaftProcess } from '../sim/process';
import { World, type WorldCheckpoint } from '../sim/world';
import type { CallTag, ClientCall } from './calls';
import { CallCopier, CallReviver, type CallImage, type HostTask, type Revive } from './heldCalls';
import { Membership } from './membership';
import { converged, currentLeader, stableLeader } from './oracle';
import { WriteQueue, type QueueCheckpoint } from './queue';
import { Router, type RouterCheckpoint } from './routing';
import { ServerNode, type ServerCheckpoint } from './server';
import type { HeldRequests } from './heldRequests';
import { DEFAULT_SNAPSHOT_LOG_RATIO } from './snapshotPolicy';
import { failure, type Answer, type ClientOp, type ClusterOptions, type NetMessage } from './types';

export const defaultClusterOptions: ClusterOptions = {
  nodes: 5,
  seed: 1,
  raft: defaultRaftOptions,
  snapshotThreshold: 1000,
  snapshotLogRatio: DEFAULT_SNAPSHOT_LOG_RATIO,
  latency: [5, 15],
  epochMs: Date.UTC(2026, 0, 1),
  queueBatchSize: 128,
  queueFlushMs: 50,
};

export interface ClusterCheckpoint {
  readonly world: WorldCheckpoint<NetMessage, HostTask<number>>;
  readonly router: RouterCheckpoint;
  readonly queue: QueueCheckpoint;
  /** In the order the servers were added: a restore adds the joined ones in the same order. */
  readonly servers: readonly (readonly [string, ServerCheckpoint])[];
  /** The client calls the world's tasks, the router and the servers' held requests name by id. */
  readonly calls: readonly CallImage[];
  /** The requests each server holds, for the servers that hold any. */
  readonly held: readonly (readonly [string, HeldRequests])[];
  readonly recordedConfig: ClusterConfig;
  readonly recordedConfigIndex: number;
}

export interface ClusterObserver {
  onApply?(server: ServerNode, entry: Entry): void;
  onEvent?(cluster: Cluster): void;
}

/**
 * The rqlite-like service over a simulated network: its servers, the mechanisms behind the
 * operator's actions (kill, partition, network settings …), and the entry points of client
 * requests. Routing (routing.ts), queued writes (queue.ts) and membership (membership.ts) are
 * their own modules; the god's-eye questions drivers ask are in oracle.ts.
 */
export class Cluster {
  readonly world: World<NetMessage, HostTask>;
  readonly servers = new Map<string, ServerNode>();
  readonly membership: Membership;
  readonly opts: ClusterOptions;
  private readonly router: Router;
  private readonly queue: WriteQueue;
  private observers: ClusterObserver[] = [];
  /** The last committed configuration recorded as a 'config' event, and its log index. */
  private recordedConfig: ClusterConfig;
  private recordedConfigIndex = 0;

  /** `start` false: the servers are made but not started, for a cluster about to be `restore`d. */
  constructor(
    private readonly SQL: SqlJsStatic,
    options: Partial<ClusterOptions> = {},
    start = true,
  ) {
    this.opts = { ...defaultClusterOptions, ...options, raft: { ...defaultRaftOptions, ...options.raft } };
    this.world = new World<NetMessage, HostTask>(this.opts.seed);
    [this.world.net.latencyMin, this.world.net.latencyMax] = this.opts.latency;
    this.world.handler = {
      isAlive: (id) => this.servers.get(id)?.alive ?? false,
      deliver: (msg) => this.deliver(msg),
      timer: (node, kind, inc) => this.servers.get(node)?.proc.timer(kind, inc, this.world.now) ?? false,
      undeliverable: (msg) => {
        if (msg.type === 'ClientRequest') this.router.forwardFailed(msg);
      },
    };
    this.world.afterEach = () => this.notify();
    const host = { world: this.world, opts: this.opts, server: (id: string) => this.servers.get(id) };
    this.router = new Router(host);
    this.queue = new WriteQueue(this.world, this.opts, this.router, host.server);
    this.world.tasks = {
      run: (task) => (task.kind === 'queue' ? this.queue.run(task.node) : this.router.run(task)),
      inert: Router.inert,
    };
    this.membership = new Membership({
      get now() {
        return host.world.now;
      },
      leader: () => this.leader(),
      server: host.server,
      addServer: (id, config) => this.addServer(id, config),
    });
    const ids = Array.from({ length: this.opts.nodes }, (_, i) => `n${i + 1}`);
    this.recordedConfig = { voters: ids, learners: [] };
    for (const id of ids) this.addServer(id, { voters: ids, learners: [] });
    if (start) for (const id of ids) this.servers.get(id)!.start();
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
      { threshold: this.opts.snapshotThreshold, logRatio: this.opts.snapshotLogRatio },
      {
        onApply: (s, e) => {
          if (e.kind === 'config' && e.config && e.index > this.recordedConfigIndex) this.recordConfig(s, e.index, e.config);
          this.observers.forEach((o) => o.onApply?.(s, e));
        },
        onLeaderStep: (s) => this.membership.onLeaderStep(s),
        reply: (s, to, a) => this.router.respond(s, to, a),
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

  // ---- the oracle, for drivers and checkers (see oracle.ts) ----

  leader(): ServerNode | null {
    return currentLeader(this.servers);
  }

  stableLeader(): ServerNode | null {
    return stableLeader(this.servers);
  }

  converged(): boolean {
    return converged(this.servers);
  }

  isVoter(id: string): boolean {
    const l = this.leader();
    return l !== null && isVoter(l.proc.raft!.config, id);
  }

  // ---- the mechanisms behind operator actions (operate.ts decides and refuses) ----

  kill(id: string): void {
    const s = this.servers.get(id);
    if (s?.alive) s.crash();
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

  /**
   * Send a request to `node` as an rqlite client would; `done` gets exactly one answer. With a
   * `tag`, a checkpoint taken while the call waits copies it, and `restore` asks for `done` again by it.
   */
  request(node: string, body: ClientOp, done: (a: Answer) => void, tag: CallTag | null = null): ClientCall {
    const call = this.router.newCall(node, body.req.timeout, done, tag);
    const s = this.servers.get(node);
    const request = { call: call.id, op: body.op, ...(body.op === 'query' ? { level: body.req.level } : {}), sql: body.req.statements.map((st) => st.sql) };
    this.world.record({ kind: 'client', node, request });
    if (!s || !s.alive) {
      call.resolve(failure(node, { code: 'node-down', node }));
      return call;
    }
    this.router.armDeadline(s, call);
    if (body.op === 'execute' && body.req.queue) {
      const sequence = this.queue.enqueue(s, body.req.statements);
      call.resolve({ ok: true, node, result: { results: [], sequence_number: sequence } });
      return call;
    }
    this.router.route(s, call, body);
    return call;
  }

  private deliver(msg: NetMessage): void {
    const s = this.servers.get(msg.to);
    if (!s) return;
    if (msg.type === 'ClientRequest' || msg.type === 'ClientResponse') this.router.deliver(s, msg);
    else s.proc.deliver(msg as RaftMessage);
  }

  notify(): void {
    for (const o of this.observers) o.onEvent?.(this);
  }

  /**
   * Everything the cluster's future depends on, between two steps: the world without its log, each
   * server's disk, Raft state, database and held requests, routing and the write queue, and the
   * client calls still waiting. Null while a waiting call was made without a tag (its host's
   * callback cannot be named again) or a database cannot be copied: try again at a later step.
   * `restore` on a cluster built with the same options resumes exactly here.
   */
  checkpoint(): ClusterCheckpoint | null {
    const calls = new CallCopier();
    const router = this.router.checkpoint(calls);
    const world = router === null ? null : this.world.checkpoint((t) => calls.task(t));
    if (router === null || world === null) return null;
    const servers: [string, ServerCheckpoint][] = [];
    const held: [string, HeldRequests][] = [];
    for (const [id, s] of this.servers) {
      const cp = s.checkpoint();
      const h = s.requests.image(calls);
      if (!cp || h === undefined) return null;
      servers.push([id, cp]);
      if (h) held.push([id, h]);
    }
    const queue = this.queue.checkpoint();
    return { world, router, queue, servers, calls: calls.images, held, recordedConfig: this.recordedConfig, recordedConfigIndex: this.recordedConfigIndex };
  }

  /**
   * Resume from `cp` (taken from a cluster with the same options); the world's log becomes `log`
   * (taken over). `lazy`: each database is opened when first used (NodeDatabase.fromImage).
   * `revive` gives the listener of each tagged call still waiting for its answer.
   */
  restore(cp: ClusterCheckpoint, log: LoggedEvent<NetMessage>[], lazy = false, revive: Revive | null = null): void {
    const calls = new CallReviver(cp.calls, revive);
    this.world.restore(cp.world, log, (t) => calls.task(t));
    for (const [id, scp] of cp.servers) {
      const s = this.servers.get(id) ?? this.addServer(id, { voters: [], learners: [] });
      s.restore(scp, lazy);
    }
    for (const [id, h] of cp.held) this.servers.get(id)!.requests.restore(h, calls);
    this.router.restore(cp.router, calls);
    this.queue.restore(cp.queue);
    this.recordedConfig = cp.recordedConfig;
    this.recordedConfigIndex = cp.recordedConfigIndex;
  }

  /** Free every node's sql.js database: the wasm heap is shared and not garbage-collected. */
  dispose(): void {
    for (const s of this.servers.values()) s.dispose();
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
