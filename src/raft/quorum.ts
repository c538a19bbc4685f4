import type { ClusterConfig, NodeId } from './types';

export function isVoter(config: ClusterConfig, id: NodeId): boolean {
  return config.voters.includes(id);
}

export function isMember(config: ClusterConfig, id: NodeId): boolean {
  return config.voters.includes(id) || config.learners.includes(id);
}

export function majority(config: ClusterConfig): number {
  return Math.floor(config.voters.length / 2) + 1;
}

/** Largest index that a majority of voters has reached (the leader's own match included). */
export function quorumIndex(config: ClusterConfig, matchOf: (id: NodeId) => number): number {
  const n = config.voters.length;
  if (n === 0) return 0;
  // Asked on every acknowledgement: an insertion sort (descending) of a handful of numbers in a
  // reused array, rather than a new array and a sort with a comparator each time.
  const m = scratch;
  for (let i = 0; i < n; i++) {
    const v = matchOf(config.voters[i]);
    let j = i;
    while (j > 0 && m[j - 1] < v) {
      m[j] = m[j - 1];
      j--;
    }
    m[j] = v;
  }
  return m[majority(config) - 1];
}

const scratch: number[] = [];

export function sameConfig(a: ClusterConfig, b: ClusterConfig): boolean {
  const eq = (x: readonly NodeId[], y: readonly NodeId[]) =>
    x.length === y.length && x.every((v) => y.includes(v));
  return eq(a.voters, b.voters) && eq(a.learners, b.learners);
}
