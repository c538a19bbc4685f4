import { describe, expect, it } from 'vitest';
import { rows, run } from '../helpers/scenario';

// The snapshot scenario files (12-snapshot-install, 13-restart-from-snapshot) state their own
// expectations; these two build longer runs in code.
describe('§7 snapshots and log compaction', () => {
  it('connection settings such as foreign_keys survive snapshots, on the node that takes one and on the node that installs it', async () => {
    const steps: unknown[] = [
      { waitFor: 'leader' },
      { execute: ['PRAGMA foreign_keys = ON', 'CREATE TABLE p(id INTEGER PRIMARY KEY)', 'CREATE TABLE c(pid INTEGER REFERENCES p(id))'] },
      { kill: 'n3' },
    ];
    for (let i = 1; i <= 12; i++) steps.push({ execute: `INSERT INTO p VALUES (${i})` });
    steps.push({ restart: 'n3' }, { waitFor: 'converged' }, { execute: 'INSERT INTO c VALUES (999)' }, { waitFor: 'converged' }, { query: 'SELECT count(*) FROM c', node: 'n3', level: 'none' });
    const out = await run({ nodes: 3, seed: 1, options: { snapshotThreshold: 5 }, steps });
    expect(out.violations).toEqual([]);
    expect(out.stats.snapshotsRestored).toBeGreaterThan(0);
    expect(out.steps[steps.length - 3].result).toEqual({ results: [{ error: 'FOREIGN KEY constraint failed' }] });
    expect(rows(out, steps.length - 1)).toEqual([[0]]);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
  });

  it('the threshold bounds every log: 300 writes with threshold 50 keep at most 50 entries past each snapshot', async () => {
    const steps: unknown[] = [{ waitFor: 'leader' }, { execute: 'CREATE TABLE t(v)' }];
    for (let i = 0; i < 300; i++)
      steps.push({ execute: [['INSERT INTO t VALUES(?)', i]], queue: i % 3 !== 0 });
    steps.push({ waitFor: 'converged', timeout: 5000 }, { query: 'SELECT count(*) FROM t', level: 'strong' });
    const out = await run({ nodes: 5, seed: 3, options: { snapshotThreshold: 50 }, steps });
    expect(out.violations).toEqual([]);
    expect(rows(out, steps.length - 1)).toEqual([[300]]);
    for (const n of out.nodes) {
      expect(n.snapshotIndex).toBeGreaterThan(0);
      expect(n.lastIndex - n.snapshotIndex).toBeLessThanOrEqual(51);
    }
  });
});
