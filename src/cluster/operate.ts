import type { Cluster } from './cluster';

/** The operator's actions on a cluster, as the page records them and chaos mode takes them. */
export type OperatorAction =
  | { kind: 'kill'; node: string }
  | { kind: 'restart'; node: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'isolate'; node: string }
  | { kind: 'heal' }
  | { kind: 'network'; drop?: number; duplicate?: number; latency?: [number, number] }
  | { kind: 'join'; node: string; voter: boolean }
  | { kind: 'remove'; node: string }
  | { kind: 'transfer'; node: string };

export interface Operated {
  /** A sentence when the cluster refused the action; null when it was taken. */
  error: string | null;
  /** For a membership change or transfer: the leader that took (or refused) it, if any. */
  node?: string | null;
  /**
   * For a join, removal or transfer that was taken: whether it has settled, by the test the headless
   * scenario runner waits on (committed as voter / non-voter; removal committed in the proposer's
   * term; the target leads, or the old leader gave up and takes writes again).
   */
  settled?: () => boolean;
}

export function operate(c: Cluster, a: OperatorAction): Operated {
  switch (a.kind) {
    case 'kill':
      c.kill(a.node);
      return { error: null };
    case 'restart':
      c.restart(a.node);
      return { error: null };
    case 'partition':
      c.partition(a.groups);
      return { error: null };
    case 'isolate':
      c.isolate(a.node);
      return { error: null };
    case 'heal':
      c.heal();
      return { error: null };
    case 'network':
      c.setNetwork({ drop: a.drop, duplicate: a.duplicate, latency: a.latency });
      return { error: null };
    case 'join': {
      const res = c.membership.join(a.node, a.voter);
      if (!res.ok) return { error: res.error, node: res.node };
      return {
        error: null,
        node: res.node,
        settled: () => {
          const cfg = c.membership.committedConfig();
          return cfg !== null && (a.voter ? cfg.voters : cfg.learners).includes(a.node);
        },
      };
    }
    case 'remove': {
      const res = c.membership.remove(a.node);
      if (!res.ok) return { error: res.error, node: res.node };
      const proposer = c.servers.get(res.node)!;
      const term = proposer.proc.raft!.term;
      const index = res.index!;
      return {
        error: null,
        node: res.node,
        settled: () => {
          const r = proposer.proc.raft;
          return r !== null && r.commitIndex >= index && proposer.proc.storage.termAt(index) === term;
        },
      };
    }
    case 'transfer': {
      const res = c.membership.transfer(a.node);
      if (!res.ok) return { error: res.error, node: res.node };
      const from = c.servers.get(res.node)!;
      return {
        error: null,
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
