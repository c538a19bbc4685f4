import type { SqlJsStatic } from 'sql.js';
import type { SqlParam, Statement } from '../../db/types';
import { Cluster } from '../../cluster/cluster';
import { operate, type Operated, type OperatorAction } from '../../cluster/operate';
import type { ServerNode } from '../../cluster/server';
import type { Answer, ClientOp, ClusterOptions, RqliteResponse } from '../../cluster/types';
import { defaultRaftOptions, type ClusterConfig } from '../../raft/types';
import type { Scenario, Step } from './schema';

export interface StepOutput {
  i: number;
  ok: boolean;
  at: number;
  node: string | null;
  result: RqliteResponse | Record<string, unknown> | null;
  error: string | null;
  via?: string;
}

export interface NodeOutput {
  id: string;
  alive: boolean;
  role: string;
  term: number;
  commitIndex: number;
  lastApplied: number;
  firstIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  dbHash: string | null;
  votedFor: string | null;
  member: boolean;
  voter: boolean;
}

export interface ScenarioStats {
  /** Delivered messages by type. */
  delivered: Record<string, number>;
  dropped: number;
  /** AppendEntries answered with a rejection: the rounds a leader spent finding where logs agree. */
  rejectedAppends: number;
  /** Times a node became candidate or leader. */
  elections: number;
  snapshotsRestored: number;
}

export interface ScenarioOutput {
  steps: StepOutput[];
  leader: string | null;
  nodes: NodeOutput[];
  violations: unknown[];
  events: number;
  stats: ScenarioStats;
}

/** Something that watches the cluster (the safety monitor) and reports what it found. */
export interface Monitor {
  violations(): unknown[];
  finish?(): void;
}

export const DEFAULT_WAIT_FOR_TIMEOUT = 10_000;
export const DEFAULT_REQUEST_TIMEOUT = 5_000;

export function clusterOptions(s: Scenario): Partial<ClusterOptions> {
  const o = s.options;
  const [emin, emax] = o.electionTimeout ?? [defaultRaftOptions.electionTimeoutMin, defaultRaftOptions.electionTimeoutMax];
  return {
    nodes: s.nodes,
    seed: s.seed,
    snapshotThreshold: o.snapshotThreshold ?? 1000,
    latency: o.latency ?? [5, 15],
    raft: {
      ...defaultRaftOptions,
      electionTimeoutMin: emin,
      electionTimeoutMax: emax,
      heartbeatInterval: o.heartbeat ?? defaultRaftOptions.heartbeatInterval,
      preVote: o.preVote ?? true,
      fastBacktrack: o.fastBacktrack ?? true,
      checkQuorum: o.checkQuorum ?? true,
      maxEntriesPerAppend: o.maxEntriesPerAppend ?? defaultRaftOptions.maxEntriesPerAppend,
      unsafeCommitOldTerms: o.unsafeCommitOldTerms ?? false,
      unsafeDoubleVote: o.unsafeDoubleVote ?? false,
    },
  };
}

export function toStatements(sql: string | (string | [string, ...SqlParam[]])[]): Statement[] {
  if (typeof sql === 'string') return [{ sql }];
  return sql.map((s) => (typeof s === 'string' ? { sql: s } : { sql: s[0], params: s.slice(1) as SqlParam[] }));
}

export function runScenario(
  scenario: Scenario,
  SQL: SqlJsStatic,
  makeMonitor?: (c: Cluster) => Monitor,
): ScenarioOutput {
  const cluster = new Cluster(SQL, clusterOptions(scenario));
  const o = scenario.options;
  if (o.drop !== undefined) cluster.world.net.dropRate = o.drop;
  if (o.duplicate !== undefined) cluster.world.net.duplicateRate = o.duplicate;
  const monitor = makeMonitor?.(cluster);
  const stats: ScenarioStats = { delivered: {}, dropped: 0, rejectedAppends: 0, elections: 0, snapshotsRestored: 0 };
  cluster.world.listener = (e) => {
    if (e.kind === 'deliver' && e.msg) {
      stats.delivered[e.msg.type] = (stats.delivered[e.msg.type] ?? 0) + 1;
      if (e.msg.type === 'AppendEntriesResp' && !e.msg.success) stats.rejectedAppends++;
    } else if (e.kind === 'drop') stats.dropped++;
    else if (e.kind === 'role' && e.role === 'candidate') stats.elections++;
    else if (e.kind === 'snapshot' && e.action !== 'compact') stats.snapshotsRestored++;
  };
  const steps = scenario.steps.map((step, i) => runStep(cluster, step, i));
  monitor?.finish?.();
  const output: ScenarioOutput = {
    steps,
    leader: cluster.leader()?.id ?? null,
    nodes: [...cluster.servers.values()].map((s) => nodeOutput(s, clusterConfig(cluster))),
    violations: monitor?.violations() ?? [],
    events: cluster.world.eventCount,
    stats: { ...stats, delivered: Object.fromEntries(Object.entries(stats.delivered).sort()) },
  };
  cluster.dispose();
  return output;
}

/** Membership as the cluster knows it: the leader's, or else that of the most advanced live log. */
function clusterConfig(cluster: Cluster): ClusterConfig {
  const committed = cluster.membership.committedConfig();
  if (committed) return committed;
  let best: ServerNode | null = null;
  for (const s of cluster.servers.values()) {
    if (s.proc.raft && (!best || s.proc.raft.commitIndex > best.proc.raft!.commitIndex)) best = s;
  }
  return best?.proc.raft?.config ?? { voters: [], learners: [] };
}

function nodeOutput(s: ServerNode, cfg: ClusterConfig): NodeOutput {
  const raft = s.proc.raft;
  const st = s.proc.storage;
  const role = !raft ? 'follower' : raft.role === 'precandidate' ? 'candidate' : raft.role;
  return {
    id: s.id,
    alive: s.alive,
    role,
    term: st.term,
    commitIndex: raft?.commitIndex ?? 0,
    lastApplied: raft?.lastApplied ?? 0,
    firstIndex: st.firstIndex,
    lastIndex: st.lastIndex,
    snapshotIndex: st.snapshot.index,
    dbHash: s.alive && s.db ? s.db.hash() : null,
    votedFor: st.votedFor,
    member: cfg.voters.includes(s.id) || cfg.learners.includes(s.id),
    voter: cfg.voters.includes(s.id),
  };
}

function resolveNode(cluster: Cluster, ref: string | undefined, allowAny: boolean): string | { error: string } {
  const r = ref ?? 'leader';
  if (r === 'leader') return cluster.leader()?.id ?? { error: 'no leader' };
  if (r === 'any' && allowAny) {
    const live = [...cluster.servers.values()].filter((s) => s.alive).map((s) => s.id);
    if (live.length === 0) return { error: 'no live node' };
    return live[cluster.world.prng.int(0, live.length - 1)];
  }
  return r;
}

function out(cluster: Cluster, i: number, node: string | null, ok: boolean, result: StepOutput['result'], error: string | null): StepOutput {
  return { i, ok, at: cluster.now, node, result, error };
}

function runStep(cluster: Cluster, step: Step, i: number): StepOutput {
  const fail = (node: string | null, error: string) => out(cluster, i, node, false, null, error);
  const node = (ref: string | undefined, allowAny = false) => resolveNode(cluster, ref, allowAny);
  switch (step.kind) {
    case 'wait':
      cluster.world.advance(step.wait);
      return out(cluster, i, null, true, null, null);
    case 'waitFor': {
      const timeout = step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT;
      const done = step.waitFor === 'leader' ? () => cluster.stableLeader() !== null : () => cluster.converged();
      const ok = cluster.world.runUntil(done, cluster.now + timeout);
      const leader = cluster.leader()?.id ?? null;
      return ok ? out(cluster, i, leader, true, null, null) : fail(leader, `timed out after ${timeout} ms waiting for ${step.waitFor}`);
    }
    case 'execute':
    case 'query': {
      const target = node(step.node, true);
      if (typeof target !== 'string') return fail(null, target.error);
      const timeout = step.timeout ?? DEFAULT_REQUEST_TIMEOUT;
      const body: ClientOp =
        step.kind === 'execute'
          ? { op: 'execute', req: { statements: toStatements(step.execute), transaction: step.transaction ?? false, queue: step.queue ?? false, timeout } }
          : { op: 'query', req: { statements: toStatements(step.query), level: step.level ?? 'weak', freshness: step.freshness, timeout } };
      let answer: Answer | null = null;
      cluster.request(target, body, (a) => (answer = a));
      cluster.world.runUntil(() => answer !== null, cluster.now + timeout + 1);
      const a = answer as Answer | null;
      if (!a) return fail(target, 'request timed out');
      const res = a.ok ? out(cluster, i, a.node, true, a.result, null) : fail(a.node, a.error);
      if (a.via) res.via = a.via;
      return res;
    }
    case 'kill':
    case 'restart': {
      const id = node(step.kind === 'kill' ? step.kill : step.restart);
      if (typeof id !== 'string') return fail(null, id.error);
      const s = cluster.servers.get(id);
      if (!s) return fail(id, `unknown node ${id}`);
      if (step.kind === 'kill' && !s.alive) return fail(id, `${id} is already down`);
      if (step.kind === 'restart' && s.alive) return fail(id, `${id} is already running`);
      if (step.kind === 'kill') cluster.kill(id);
      else cluster.restart(id);
      return out(cluster, i, id, true, null, null);
    }
    case 'partition': {
      const groups: string[][] = [];
      for (const g of step.partition) {
        const ids: string[] = [];
        for (const ref of g) {
          const id = node(ref);
          if (typeof id !== 'string') return fail(null, id.error);
          ids.push(id);
        }
        groups.push(ids);
      }
      cluster.partition(groups);
      return out(cluster, i, null, true, null, null);
    }
    case 'isolate': {
      const id = node(step.isolate);
      if (typeof id !== 'string') return fail(null, id.error);
      cluster.isolate(id);
      return out(cluster, i, id, true, null, null);
    }
    case 'heal':
      cluster.heal();
      return out(cluster, i, null, true, null, null);
    case 'drop':
    case 'duplicate':
    case 'latency':
      cluster.setNetwork(step.kind === 'drop' ? { drop: step.drop } : step.kind === 'duplicate' ? { duplicate: step.duplicate } : { latency: step.latency });
      return out(cluster, i, null, true, null, null);
    case 'join':
    case 'remove':
    case 'transfer':
    case 'snapshot':
      return runMembershipStep(cluster, step, i);
  }
}

const TRANSIENT = /not leader|leader not found|already in progress|not yet committed|transfer in progress/;

/** Retry an operator action while the refusal is one that time cures (an election, a change in flight). */
function retrying(cluster: Cluster, deadline: number, action: OperatorAction): Operated {
  for (;;) {
    const res = operate(cluster, action);
    if (res.error === null || !TRANSIENT.test(res.error) || cluster.now + 20 > deadline) return res;
    cluster.world.advance(20);
  }
}

function runMembershipStep(cluster: Cluster, step: Step & { kind: 'join' | 'remove' | 'transfer' | 'snapshot' }, i: number): StepOutput {
  const fail = (node: string | null, error: string) => out(cluster, i, node, false, null, error);
  if (step.kind === 'snapshot') {
    const id = resolveNode(cluster, step.snapshot, false);
    if (typeof id !== 'string') return fail(null, id.error);
    const s = cluster.servers.get(id);
    if (!s || !s.alive) return fail(id, `${id} is down`);
    return out(cluster, i, id, true, { snapshotIndex: s.snapshot() }, null);
  }
  const timeout = step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT;
  const deadline = cluster.now + timeout;
  if (step.kind === 'join') {
    const voter = step.voter ?? true;
    const res = retrying(cluster, deadline, { kind: 'join', node: step.join, voter });
    if (res.error !== null) return fail(res.node ?? null, res.error);
    const ok = cluster.world.runUntil(res.settled!, deadline);
    return ok ? out(cluster, i, step.join, true, null, null) : fail(step.join, `${step.join} did not become a ${voter ? 'voter' : 'non-voter'} within ${timeout} ms`);
  }
  if (step.kind === 'remove') {
    const id = resolveNode(cluster, step.remove, false);
    if (typeof id !== 'string') return fail(null, id.error);
    const res = retrying(cluster, deadline, { kind: 'remove', node: id });
    if (res.error !== null) return fail(id, res.error);
    const ok = cluster.world.runUntil(res.settled!, deadline);
    if (ok) cluster.servers.get(id)!.removed = true;
    return ok ? out(cluster, i, id, true, null, null) : fail(id, `removal of ${id} was not committed within ${timeout} ms`);
  }
  const target = resolveNode(cluster, step.transfer, false);
  if (typeof target !== 'string') return fail(null, target.error);
  const res = retrying(cluster, deadline, { kind: 'transfer', node: target });
  if (res.error !== null) return fail(res.node ?? null, res.error);
  cluster.world.runUntil(res.settled!, deadline);
  if (cluster.leader()?.id === target) return out(cluster, i, target, true, null, null);
  return fail(target, `leadership transfer to ${target} failed: it did not take over (lagging, unreachable or down)`);
}
