import type { Prng } from '../../sim/prng';
import type { Cluster } from '../../cluster/cluster';
import type { Host } from '../host';
import { stepProblemText } from '../problems';
import type { AppliedFault, FaultAction } from './types';
import { formatMs, roundMs } from '../../sim/duration';

/** A node of the run: the ids the cluster started with, whether or not they are members now. */
function liveIds(cluster: Cluster): string[] {
  return [...cluster.servers.values()].filter((s) => s.alive).map((s) => s.id);
}

function pick<T>(prng: Prng, xs: readonly T[]): T {
  return xs[prng.int(0, xs.length - 1)];
}

/**
 * Chooses the next fault from what the cluster looks like now, so that the schedule stays
 * interesting: it kills only while a majority is still up (a cluster that is down for good teaches
 * nothing), restarts what is down, removes one node at a time and later joins it back.
 */
export function randomFault(cluster: Cluster, prng: Prng, removed: ReadonlySet<string>): FaultAction {
  const ids = [...cluster.servers.keys()];
  const live = liveIds(cluster);
  const dead = ids.filter((id) => !live.includes(id));
  const leaderOrAny = (from: string[]): string => (prng.float() < 0.5 ? 'leader' : pick(prng, from));
  const options: [number, () => FaultAction][] = [
    [live.length > Math.floor(ids.length / 2) + 1 ? 2 : 0, () => ({ kind: 'kill', node: leaderOrAny(live) })],
    [dead.length > 0 ? 2.5 : 0, () => ({ kind: 'restart', node: pick(prng, dead) })],
    [1.5, () => ({ kind: 'partition', groups: randomSplit(prng, ids) })],
    [1, () => ({ kind: 'isolate', node: leaderOrAny(ids) })],
    [2.5, () => ({ kind: 'heal' })],
    [1, () => ({ kind: 'drop', p: prng.float() < 0.4 ? 0 : Math.round(prng.float() * 20) / 100 })],
    [1, () => ({ kind: 'duplicate', p: prng.float() < 0.4 ? 0 : Math.round(prng.float() * 20) / 100 })],
    [1, () => ({ kind: 'latency', range: prng.float() < 0.4 ? [5, 15] : [20, prng.int(40, 150)] })],
    [removed.size === 0 && ids.length >= 3 ? 0.7 : 0, () => ({ kind: 'remove', node: pick(prng, ids) })],
    [removed.size > 0 ? 1.5 : 0, () => ({ kind: 'join', node: pick(prng, [...removed]) })],
    [0.7, () => ({ kind: 'transfer', node: pick(prng, ids) })],
  ];
  const total = options.reduce((s, [w]) => s + w, 0);
  let r = prng.float() * total;
  for (const [w, make] of options) {
    if (w === 0) continue;
    r -= w;
    if (r < 0) return make();
  }
  return { kind: 'heal' };
}

/** Shuffle the nodes and cut them into two non-empty sides. */
function randomSplit(prng: Prng, ids: readonly string[]): string[][] {
  const xs = [...ids];
  for (let i = xs.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  const cut = prng.int(1, xs.length - 1);
  return [xs.slice(0, cut).sort(), xs.slice(cut).sort()];
}

/** Carries out one fault. `removed` tracks the nodes taken out of the configuration by the run. */
export function applyFault(host: Host, action: FaultAction, removed: Set<string>): AppliedFault {
  const cluster = host.cluster;
  const at = cluster.now;
  const taken: AppliedFault = { at, kind: action.kind, action, ok: true };
  switch (action.kind) {
    case 'kill':
    case 'restart':
    case 'isolate':
    case 'remove':
    case 'join':
    case 'transfer': {
      const id = action.node === 'leader' ? (cluster.leader()?.id ?? null) : action.node;
      if (id === null) return { ...taken, ok: false, problem: { code: 'leader-unresolved' } };
      return { ...taken, ...applyToNode(host, action.kind, id, removed), node: id };
    }
    case 'partition':
      host.act({ kind: 'partition', groups: action.groups });
      return taken;
    case 'heal':
      host.act({ kind: 'heal' });
      return taken;
    case 'drop':
      host.act({ kind: 'network', drop: action.p });
      return taken;
    case 'duplicate':
      host.act({ kind: 'network', duplicate: action.p });
      return taken;
    case 'latency':
      host.act({ kind: 'network', latency: action.range });
      return taken;
  }
}

function applyToNode(
  host: Host,
  kind: 'kill' | 'restart' | 'isolate' | 'remove' | 'join' | 'transfer',
  id: string,
  removed: Set<string>,
): Pick<AppliedFault, 'ok' | 'by' | 'problem'> {
  const s = host.cluster.servers.get(id);
  if (!s) return { ok: false, problem: { code: 'unknown-node', node: id } };
  // Who proposes a membership change or hands over leadership: the leader at this moment.
  const by = host.cluster.leader()?.id ?? null;
  switch (kind) {
    case 'kill':
      if (!s.alive) return { ok: false, problem: { code: 'already-down', node: id } };
      host.act({ kind: 'kill', node: id });
      return { ok: true };
    case 'restart':
      if (s.alive) return { ok: false, problem: { code: 'already-running', node: id } };
      host.act({ kind: 'restart', node: id });
      return { ok: true };
    case 'isolate':
      host.act({ kind: 'isolate', node: id });
      return { ok: true };
    case 'remove': {
      const { problem } = host.act({ kind: 'remove', node: id });
      if (problem !== null) return { ok: false, problem };
      removed.add(id);
      return { ok: true, by };
    }
    case 'join': {
      const { problem } = host.act({ kind: 'join', node: id, voter: true });
      // A removal that never committed leaves the node a member: nothing to join back.
      if (problem?.code === 'already-member') removed.delete(id);
      if (problem !== null) return { ok: false, problem };
      removed.delete(id);
      return { ok: true, by };
    }
    case 'transfer': {
      const { problem } = host.act({ kind: 'transfer', node: id });
      return problem === null ? { ok: true, by } : { ok: false, problem };
    }
  }
}

/** The sentence for a fault, as the chaos panel shows it. */
export function faultText(f: AppliedFault): string {
  const a = f.action;
  if (f.final) return 'end of chaos: heal, restart every node, join back the removed';
  const id = f.node ?? ('node' in a ? a.node : '');
  if (!f.ok && f.problem) {
    if (f.problem.code === 'leader-unresolved') return `${a.kind} leader: there is no leader`;
    if (f.problem.code === 'unknown-node') return `${a.kind} ${id}: no such node`;
    if (f.problem.code === 'already-down') return `kill ${id}: already down`;
    if (f.problem.code === 'already-running') return `restart ${id}: already running`;
    return `${a.kind === 'transfer' ? 'transfer to' : a.kind} ${id}: ${stepProblemText(f.problem)}`;
  }
  const by = f.by ?? 'no leader';
  switch (a.kind) {
    case 'kill':
    case 'restart':
    case 'isolate':
      return `${a.kind} ${id}`;
    case 'remove':
      return `remove ${id} (proposed by ${by})`;
    case 'join':
      return `join ${id} back (proposed by ${by})`;
    case 'transfer':
      return `transfer leadership ${by} → ${id}`;
    case 'partition':
      return `partition ${a.groups.map((g) => g.join(',')).join(' | ')}`;
    case 'heal':
      return 'heal the network';
    case 'drop':
      return `message loss ${Math.round(a.p * 100)}%`;
    case 'duplicate':
      return `duplication ${Math.round(a.p * 100)}%`;
    case 'latency':
      return `latency ${roundMs(a.range[0])}–${formatMs(a.range[1])}`;
  }
}
