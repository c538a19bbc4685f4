import type { EntryData } from './types';

/** When a server compacts its log into a snapshot (the options `snapshotThreshold` and `snapshotLogRatio`). */
export interface SnapshotPolicy {
  /** Entries applied since the last snapshot before a node takes the next one. */
  threshold: number;
  /**
   * Past SNAPSHOT_FREE_BYTES of database, a node also waits until the log since its last snapshot
   * holds this many bytes of SQL per byte of database beyond those: 0 snapshots by entries alone.
   */
  logRatio: number;
}

/**
 * A snapshot is db.export(), a copy of the whole database: its cost grows with the database, not
 * with the writes since the last one. Below this size (16 pages) it costs a fraction of a
 * millisecond and a node snapshots every `threshold` entries exactly: the lessons with small
 * thresholds and small tables count on that.
 */
export const SNAPSHOT_FREE_BYTES = 64 * 1024;

export const DEFAULT_SNAPSHOT_LOG_RATIO = 0.5;

/** Bytes of SQL an entry carries: the measure the byte trigger counts. */
export function entryBytes(data: EntryData): number {
  let n = 0;
  for (const s of data.statements) n += s.sql.length + 8 * (s.params?.length ?? 0);
  return n;
}

/**
 * A number in [0, 1) fixed for each node id, so the nodes of a cluster, which hold databases of
 * the same size, wait for different amounts of log and do not all export at the same index.
 */
export function staggerOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  // FNV-1a alone leaves ids that differ in their last character (n1, n2 …) a hair apart: mix the bits.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * Whether a node that applied `entries` entries and `bytes` bytes of SQL since its last snapshot,
 * which was `snapshotBytes` long, takes a snapshot now. Past SNAPSHOT_FREE_BYTES, the log must
 * also hold `logRatio` × (size − SNAPSHOT_FREE_BYTES) bytes, times 1 to 1.5 by node: the cost of
 * exporting the database is then spread over writes in proportion to its size (constant per
 * write however large the tables grow), and the log stays at most about that fraction of it.
 */
export function snapshotDue(
  p: SnapshotPolicy,
  stagger: number,
  entries: number,
  bytes: number,
  snapshotBytes: number,
): boolean {
  if (entries < p.threshold) return false;
  const over = snapshotBytes - SNAPSHOT_FREE_BYTES;
  if (over <= 0 || p.logRatio <= 0) return true;
  return bytes >= over * p.logRatio * (1 + stagger / 2);
}
