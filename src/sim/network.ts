import type { Prng } from './prng';

export interface NetworkCheckpoint {
  readonly latencyMin: number;
  readonly latencyMax: number;
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly groups: readonly (readonly [string, number])[];
}

/** Link conditions of the simulated network. Reordering follows from random per-message latency. */
export class Network {
  latencyMin = 5;
  latencyMax = 15;
  dropRate = 0;
  duplicateRate = 0;
  /** Partition group of each node; nodes missing from the map are in group 0. */
  private groups = new Map<string, number>();

  constructor(private readonly prng: Prng) {}

  latency(): number {
    return this.prng.int(this.latencyMin, this.latencyMax);
  }

  lose(): boolean {
    return this.dropRate > 0 && this.prng.float() < this.dropRate;
  }

  duplicate(): boolean {
    return this.duplicateRate > 0 && this.prng.float() < this.duplicateRate;
  }

  connected(a: string, b: string): boolean {
    return (this.groups.get(a) ?? 0) === (this.groups.get(b) ?? 0);
  }

  get partitioned(): boolean {
    return this.groups.size > 0;
  }

  /** Each listed group gets its own number; nodes left unlisted stay together in group 0. */
  partition(groups: readonly (readonly string[])[]): void {
    this.groups.clear();
    groups.forEach((g, i) => g.forEach((id) => this.groups.set(id, i + 1)));
  }

  isolate(id: string): void {
    const next = Math.max(0, ...this.groups.values()) + 1;
    this.groups.set(id, next);
  }

  heal(): void {
    this.groups.clear();
  }

  groupOf(id: string): number {
    return this.groups.get(id) ?? 0;
  }

  snapshotGroups(): [string, number][] {
    return [...this.groups.entries()];
  }

  checkpoint(): NetworkCheckpoint {
    return { latencyMin: this.latencyMin, latencyMax: this.latencyMax, dropRate: this.dropRate, duplicateRate: this.duplicateRate, groups: this.snapshotGroups() };
  }

  restore(cp: NetworkCheckpoint): void {
    this.latencyMin = cp.latencyMin;
    this.latencyMax = cp.latencyMax;
    this.dropRate = cp.dropRate;
    this.duplicateRate = cp.duplicateRate;
    // Same insertion order as the run it came from: isolate() reads the largest group number.
    this.groups = new Map(cp.groups);
  }
}
