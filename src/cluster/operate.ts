import type { Cluster } from './cluster';
import type { Problem } from './errors';

/** The operator's actions on a cluster: what the page records as inputs, and what drivers take. */
export type OperatorAction =
  | { kind: 'kill'; node: string }
  | { kind: 'restart'; node: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'isolate'; node: string }
  | { kind: 'heal' }
  | { kind: 'network'; drop?: number; duplicate?: number; latency?: [number, number] }
  | { kind: 'join'; node: string; voter: boolean }
  | { kind: 'remove'; node: string }
  | { kind: 'transfer'; node: string }
  /** Make a follower's election timer fire now. */
  | { kind: 'timeoutNow'; node: string }
  /** Compact a node's log into a snapshot of its database now. */
  | { kind: 'snapshot'; node: string }
  /** Lose one message in flight; `id` is its World.inFlight id (a logged event's msgId). */
  | { kind: 'drop'; id: number };

export interface Operated {
  /** Why the cluster refused the action; null when it was taken. */
  problem: Problem | null;
  /** For a membership change or transfer: the leader that took (or refused) it, if any. */
  node?: string | null;
  /**
   * For a join, removal or transfer that was taken: what it waits for to settle, as data (a
   * checkpoint keeps it while it waits). `isSettled` is the test every driver waits on.
   */
  settle?: Settle;
}

/** What a join, removal or transfer waits for (`isSettled`). */
export type Settle =
  | { readonly kind: 'join'; readonly node: string; readonly voter: boolean }
  | { readonly kind: 'remove'; readonly proposer: string; readonly term: number; readonly index: number }
  | { readonly kind: 'transfer'; readonly target: string; readonly from: string };

/**
 * Whether `s` has settled: the node committed as voter / non-voter; the removal committed in the
 * proposer's term; the target leads, or the old leader gave up and takes writes again.
 */
export function isSettled(c: Cluster, s: Settle): boolean {
  switch (s.kind) {
    case 'join': {
      const cfg = c.membership.committedConfig();
      return cfg !== null && (s.voter ? cfg.voters : cfg.learners).includes(s.node);
    }
    case 'remove': {
      const proposer = c.servers.get(s.proposer)!;
      const r = proposer.proc.raft;
      return r !== null && r.commitIndex >= s.index && proposer.proc.storage.termAt(s.index) === s.term;
    }
    case 'transfer': {
      if (c.leader()?.id === s.target) return true;
      const r = c.servers.get(s.from)!.proc.raft;
      return r !== null && r.role === 'leader' && r.transferTarget === null;
    }
  }
}

const TAKEN: Operated = { problem: null };

export function operate(c: Cluster, a: OperatorAction): Operated {
  switch (a.kind) {
    case 'kill':
      c.kill(a.node);
      return TAKEN;
    case 'restart':
      c.restart(a.node);
      return TAKEN;
    case 'partition':
      c.partition(a.groups);
      return TAKEN;
    case 'isolate':
      c.isolate(a.node);
      return TAKEN;
    case 'heal':
      c.heal();
      return TAKEN;
    case 'network':
      c.setNetwork({ drop: a.drop, duplicate: a.duplicate, latency: a.latency });
      return TAKEN;
    case 'timeoutNow': {
      const raft = c.servers.get(a.node)?.proc.raft;
      if (!raft) return { problem: { code: 'down', node: a.node } };
      if (raft.role === 'leader') return { problem: { code: 'already-leader', node: a.node } };
      c.timeoutNow(a.node);
      return TAKEN;
    }
    case 'snapshot': {
      const s = c.servers.get(a.node);
      if (!s || !s.alive) return { problem: { code: 'down', node: a.node } };
      const before = s.proc.storage.snapshot.index;
      if (s.snapshot() === before) return { problem: { code: 'nothing-to-snapshot', node: a.node, index: before } };
      return TAKEN;
    }
    case 'drop':
      return c.world.dropInFlight(a.id) ? TAKEN : { problem: { code: 'message-gone' } };
    case 'join': {
      const res = c.membership.join(a.node, a.voter);
      if (!res.ok) return { problem: res.problem, node: res.node };
      return { problem: null, node: res.node, settle: { kind: 'join', node: a.node, voter: a.voter } };
    }
    case 'remove': {
      const res = c.membership.remove(a.node);
      if (!res.ok) return { problem: res.problem, node: res.node };
      const term = c.servers.get(res.node)!.proc.raft!.term;
      return { problem: null, node: res.node, settle: { kind: 'remove', proposer: res.node, term, index: res.index! } };
    }
    case 'transfer': {
      const res = c.membership.transfer(a.node);
      if (!res.ok) return { problem: res.problem, node: res.node };
      return { problem: null, node: res.node, settle: { kind: 'transfer', target: a.node, from: res.node } };
    }
  }
}
