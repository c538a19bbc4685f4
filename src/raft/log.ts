import type { ClusterConfig, Entry, Snapshot } from './types';

/**
 * The persisted part of a node: what survives a crash. The simulator keeps this object across a
 * restart and hands it to the new RaftNode, so writing a field here is "fsync".
 */
export class PersistentState {
  term = 0;
  votedFor: string | null = null;
  /** Entries after the snapshot: entries[0] has index snapshot.index + 1. */
  entries: Entry[] = [];
  snapshot: Snapshot;
  /**
   * How many times entries were taken off the end or replaced (not appended, not compacted): a
   * checker that found a prefix of two logs identical knows it still is while neither count moved.
   */
  edits = 0;

  constructor(initialConfig: ClusterConfig) {
    this.snapshot = { index: 0, term: 0, config: initialConfig, data: new Uint8Array(0) };
  }

  get firstIndex(): number {
    return this.snapshot.index + 1;
  }

  get lastIndex(): number {
    return this.snapshot.index + this.entries.length;
  }

  lastTerm(): number {
    const n = this.entries.length;
    return n > 0 ? this.entries[n - 1].term : this.snapshot.term;
  }

  /** Term at index, or -1 when the index is compacted away or beyond the log. */
  termAt(index: number): number {
    if (index === this.snapshot.index) return this.snapshot.term;
    const e = this.entry(index);
    return e ? e.term : -1;
  }

  entry(index: number): Entry | undefined {
    return this.entries[index - this.snapshot.index - 1];
  }

  slice(from: number, toExclusive: number): Entry[] {
    const base = this.snapshot.index + 1;
    return this.entries.slice(Math.max(0, from - base), Math.max(0, toExclusive - base));
  }

  append(e: Entry): void {
    this.entries.push(e);
  }

  truncateFrom(index: number): void {
    this.edits++;
    this.entries.length = Math.max(0, index - this.snapshot.index - 1);
  }

  /** Latest configuration in the log at or before index (Raft uses configs as soon as appended). */
  configAt(index: number): ClusterConfig {
    for (let i = Math.min(index, this.lastIndex); i > this.snapshot.index; i--) {
      const e = this.entry(i)!;
      if (e.kind === 'config' && e.config) return e.config;
    }
    return this.snapshot.config;
  }

  /** Drop the log prefix up to index, which the host has captured in `data`. */
  compact(index: number, data: Uint8Array): void {
    if (index <= this.snapshot.index || index > this.lastIndex) return;
    const term = this.termAt(index);
    const config = this.configAt(index);
    this.entries = this.entries.slice(index - this.snapshot.index);
    this.snapshot = { index, term, config, data };
  }

  /** Install a snapshot from the leader, keeping a log suffix that agrees with it. */
  installSnapshot(snap: Snapshot): void {
    this.edits++;
    if (this.termAt(snap.index) === snap.term) {
      this.entries = this.entries.slice(snap.index - this.snapshot.index);
    } else {
      this.entries = [];
    }
    this.snapshot = snap;
  }
}
