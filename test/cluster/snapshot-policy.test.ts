import { describe, expect, it } from 'vitest';
import { entryBytes, SNAPSHOT_FREE_BYTES, snapshotDue, staggerOf, type SnapshotPolicy } from '../../src/cluster/snapshotPolicy';
import type { EntryData } from '../../src/cluster/types';
import { exec, makeCluster, sqljs, waitLeader } from '../helpers/drive';

const policy: SnapshotPolicy = { threshold: 100, logRatio: 0.5 };

describe('when a node snapshots (snapshotPolicy.ts)', () => {
  it('below 64 KiB of database: exactly every `threshold` entries, whatever the bytes', () => {
    expect(snapshotDue(policy, 0.9, 99, 10_000_000, 0)).toBe(false);
    expect(snapshotDue(policy, 0.9, 100, 0, 0)).toBe(true);
    expect(snapshotDue(policy, 0.9, 100, 0, SNAPSHOT_FREE_BYTES)).toBe(true);
  });

  it('past 64 KiB: also once the log holds logRatio × the database beyond them, × 1 to 1.5 by node', () => {
    const size = SNAPSHOT_FREE_BYTES + 1_000_000;
    expect(snapshotDue(policy, 0, 100, 499_999, size)).toBe(false);
    expect(snapshotDue(policy, 0, 100, 500_000, size)).toBe(true);
    expect(snapshotDue(policy, 0.5, 100, 624_999, size)).toBe(false);
    expect(snapshotDue(policy, 0.5, 100, 625_000, size)).toBe(true);
    expect(snapshotDue(policy, 0, 99, 5_000_000, size)).toBe(false);
    // logRatio 0: by entries alone.
    expect(snapshotDue({ threshold: 100, logRatio: 0 }, 0, 100, 0, size)).toBe(true);
  });

  it('every node of a cluster waits a different share, and an entry counts its SQL', () => {
    const ids = Array.from({ length: 9 }, (_, i) => `n${i + 1}`);
    const shares = ids.map(staggerOf);
    expect(new Set(shares).size).toBe(9);
    for (const s of shares) expect(s >= 0 && s < 1).toBe(true);
    const data: EntryData = { op: 'execute', statements: [{ sql: 'INSERT INTO t VALUES (?)', params: [1] }, { sql: 'DELETE FROM t' }], transaction: false, ts: 0 };
    expect(entryBytes(data)).toBe(24 + 8 + 13);
  });

  it('each id’s share is fixed for good: a saved run replays with the same snapshot indexes', () => {
    expect(['n1', 'n2', 'n3', 'node-10'].map(staggerOf)).toEqual([0.6647838952485472, 0.19333982258103788, 0.6039703192654997, 0.2826878654304892]);
  });

  it('a database past 64 KiB: nodes snapshot at different indexes, logs stay within the bound, and all end alike', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 5, snapshotThreshold: 20 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(k INTEGER, v TEXT)').ok).toBe(true);
    const compactions = new Map<string, number[]>();
    let maxShare = 0;
    for (let i = 0; i < 250; i++) {
      expect(exec(c, leader, `INSERT INTO t VALUES (${i}, '${'x'.repeat(1000)}${i}')`).ok).toBe(true);
      for (const s of c.servers.values()) {
        const snap = s.proc.storage.snapshot;
        const seen = compactions.get(s.id) ?? [];
        if (snap.index > 0 && seen[seen.length - 1] !== snap.index) compactions.set(s.id, [...seen, snap.index]);
        const bytes = s.proc.storage.entries.reduce((n, e) => n + (e.kind === 'command' ? entryBytes(e.data as EntryData) : 0), 0);
        if (snap.data.length > SNAPSHOT_FREE_BYTES) maxShare = Math.max(maxShare, bytes / snap.data.length);
      }
    }
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    const lists = [...compactions.values()];
    expect(lists.length).toBe(3);
    // Small at first: every 20 entries on every node alike; then spaced out, and at other indexes.
    for (const l of lists) expect(l.slice(0, 3)).toEqual(lists[0].slice(0, 3));
    const late = lists.map((l) => l.filter((i) => i > 100));
    expect(late.every((l) => l.length > 0)).toBe(true);
    expect(new Set(late.map((l) => l[0])).size).toBe(3);
    expect(Math.max(...lists.map((l) => l.length))).toBeLessThan(250 / 20);
    expect(maxShare).toBeLessThanOrEqual(policyBound(c.opts.snapshotLogRatio));
    expect(new Set([...c.servers.values()].map((s) => s.db!.hash())).size).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});

/** The log's SQL as a share of the database, at most: logRatio × 1.5, plus the 64 KiB left out and one entry's slack. */
function policyBound(ratio: number): number {
  return ratio * 1.5 + 0.05;
}
