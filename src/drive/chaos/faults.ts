import type { Prng } from '../../sim/prng';
import type { Cluster } from '../../cluster/cluster';
import type { ChaosHost } from './host';
import type { AppliedFault, FaultAction } from './types';

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
export function applyFault(host: ChaosHost, action: FaultAction, removed: Set<string>): AppliedFault {
  const cluster = host.cluster;
  const at = cluster.now;
  const done = (ok: boolean, text: string): AppliedFault => ({ at, kind: action.kind, ok, text });
  const resolve = (ref: string): string | null => (ref === 'leader' ? (cluster.leader()?.id ?? null) : ref);
  switch (action.kind) {
    case 'kill':
    case 'restart':
    case 'isolate':
    case 'remove':
    case 'join':
    case 'transfer': {
      const id = resolve(action.node);
      if (id === null) return done(false, `${action.kind} leader: there is no leader`);
      return applyToNode(host, action.kind, id, removed, done);
    }
    case 'partition':
      host.act({ kind: 'partition', groups: action.groups });
      return done(true, `partition ${action.groups.map((g) => g.join(',')).join(' | ')}`);
    case 'heal':
      host.act({ kind: 'heal' });
      return done(true, 'heal the network');
    case 'drop':
      host.act({ kind: 'network', drop: action.p });
      return done(true, `message loss ${Math.round(action.p * 100)}%`);
    case 'duplicate':
      host.act({ kind: 'network', duplicate: action.p });
      return done(true, `duplication ${Math.round(action.p * 100)}%`);
    case 'latency':
      host.act({ kind: 'network', latency: action.range });
      return done(true, `latency ${action.range[0]}–${action.range[1]} ms`);
  }
}

function applyToNode(
  host: ChaosHost,
  kind: 'kill' | 'restart' | 'isolate' | 'remove' | 'join' | 'transfer',
  id: string,
  removed: Set<string>,
  done: (ok: boolean, text: string) => AppliedFault,
): AppliedFault {
  const s = host.cluster.servers.get(id);
  if (!s) return done(false, `${kind} ${id}: no such node`);
  // Who proposes a membership change or hands over leadership: the leader at this moment.
  const by = host.cluster.leader()?.id ?? 'no leader';
  switch (kind) {
    case 'kill':
      if (!s.alive) return done(false, `kill ${id}: already down`);
      host.act({ kind: 'kill', node: id });
      return done(true, `kill ${id}`);
    case 'restart':
      if (s.alive) return done(false, `restart ${id}: already running`);
      host.act({ kind: 'restart', node: id });
      return done(true, `restart ${id}`);
    case 'isolate':
      host.act({ kind: 'isolate', node: id });
      return done(true, `isolate ${id}`);
    case 'remove': {
      const error = host.act({ kind: 'remove', node: id });
      if (error !== null) return done(false, `remove ${id}: ${error}`);
      removed.add(id);
      return done(true, `remove ${id} (proposed by ${by})`);
    }
    case 'join': {
      const error = host.act({ kind: 'join', node: id, voter: true });
      // A removal that never committed leaves the node a member: nothing to join back.
      if (error !== null && /already a member/.test(error)) removed.delete(id);
      if (error !== null) return done(false, `join ${id}: ${error}`);
      removed.delete(id);
      return done(true, `join ${id} back (proposed by ${by})`);
    }
    case 'transfer': {
      const error = host.act({ kind: 'transfer', node: id });
      return error === null ? done(true, `transfer leadership ${by} → ${id}`) : done(false, `transfer to ${id}: ${error}`);
    }
  }
}
