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
   * For a join, removal or transfer that was taken: whether it has settled (committed as voter /
   * non-voter; removal committed in the proposer's term; the target leads, or the old leader gave
   * up and takes writes again). Every driver waits on this same test.
   */
  settled?: () => boolean;
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
      return {
        problem: null,
        node: res.node,
        settled: () => {
          const cfg = c.membership.committedConfig();
          return cfg !== null && (a.voter ? cfg.voters : cfg.learners).includes(a.node);
        },
      };
    }
    case 'remove': {
      const res = c.membership.remove(a.node);
      if (!res.ok) return { problem: res.problem, node: res.node };
      const proposer = c.servers.get(res.node)!;
      const term = proposer.proc.raft!.term;
      const index = res.index!;
      return {
        problem: null,
        node: res.node,
        settled: () => {
          const r = proposer.proc.raft;
          return r !== null && r.commitIndex >= index && proposer.proc.storage.termAt(index) === term;
        },
      };
    }
    case 'transfer': {
      const res = c.membership.transfer(a.node);
      if (!res.ok) return { problem: res.problem, node: res.node };
      const from = c.servers.get(res.node)!;
      return {
        problem: null,
        node: res.node,
        settled: () => {
          if (c.leader()?.id === a.node) return true;
          const r = from.proc.raft;
          return r !== null && r.role === 'leader' && r.transferTarget === null;
        },
      };
    }
  }
}
