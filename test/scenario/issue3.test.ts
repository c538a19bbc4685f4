import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioOutput } from '../../src/drive/scenario/run';
import { rows, run, runFile, SCENARIO_DIR } from '../helpers/scenario';

const load = (file: string): { steps: unknown[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as { steps: unknown[] } & Record<
    string,
    unknown
  >;

const live = (out: ScenarioOutput) => out.nodes.filter((n) => n.alive);
const hashes = (out: ScenarioOutput, ids: string[]) =>
  new Set(out.nodes.filter((n) => ids.includes(n.id)).map((n) => n.dbHash));

describe('§7 snapshots and log compaction', () => {
  it('a follower that missed compacted entries is caught up by InstallSnapshot and keeps the matching suffix', async () => {
    const out = await runFile('12-snapshot-install.json');
    expect(out.violations).toEqual([]);
    expect(out.steps.every((s) => s.ok)).toBe(true);
    expect(out.stats.delivered.InstallSnapshot).toBeGreaterThan(0);
    expect(out.stats.snapshotsRestored).toBeGreaterThan(0);
    for (const n of out.nodes) {
      expect(n.snapshotIndex).toBeGreaterThan(0);
      expect(n.firstIndex).toBe(n.snapshotIndex + 1);
      expect(n.lastApplied).toBe(n.lastIndex);
    }
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
    expect(rows(out, out.steps.length - 1)).toEqual([[30]]);
  });

  it('a restarted node rebuilds its database from its snapshot and replays only the suffix', async () => {
    const out = await runFile('13-restart-from-snapshot.json');
    expect(out.violations).toEqual([]);
    const n2 = out.nodes.find((n) => n.id === 'n2')!;
    expect(n2.snapshotIndex).toBeGreaterThan(0);
    expect(n2.firstIndex).toBe(n2.snapshotIndex + 1);
    expect(out.stats.snapshotsRestored).toBe(1);
    expect(rows(out, out.steps.length - 1)).toEqual([[15]]);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
  });

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

describe('§6 membership changes, one server at a time', () => {
  it('a joining node catches up as a non-voter then votes; voter:false stays a non-voter; a removed node is out', async () => {
    const out = await runFile('14-join-and-remove.json');
    expect(out.violations).toEqual([]);
    expect(out.steps.every((s) => s.ok)).toBe(true);
    const byId = new Map(out.nodes.map((n) => [n.id, n]));
    expect(byId.get('n4')).toMatchObject({ member: true, voter: true });
    expect(byId.get('n5')).toMatchObject({ member: true, voter: false });
    expect(byId.get('n2')).toMatchObject({ member: false, voter: false });
    expect(rows(out, 6)).toEqual([['before the join']]);
    expect(rows(out, 7)).toEqual([['before the join']]);
    expect(hashes(out, ['n1', 'n3', 'n4', 'n5']).size).toBe(1);
    // n2 never learns of the write made after it left.
    expect(byId.get('n2')!.commitIndex).toBeLessThan(byId.get('n1')!.commitIndex);
  });

  it('a removed node that keeps timing out does not disturb the cluster', async () => {
    const file = load('14-join-and-remove.json');
    const base = await run(file);
    const out = await run({
      ...file,
      steps: [
        ...file.steps,
        { wait: 5000 },
        { execute: "INSERT INTO t VALUES('later')" },
        { waitFor: 'converged' },
      ],
    });
    expect(out.violations).toEqual([]);
    expect(out.leader).toBe(base.leader);
    const members = out.nodes.filter((n) => n.member);
    expect(new Set(members.map((n) => n.term))).toEqual(
      new Set([base.nodes.find((n) => n.id === base.leader)!.term]),
    );
    expect(out.stats.elections).toBe(base.stats.elections);
  });

  it('a leader that removes itself steps down once the change commits, and the rest elect a new leader', async () => {
    const out = await runFile('15-leader-removes-itself.json');
    expect(out.violations).toEqual([]);
    expect(out.steps.every((s) => s.ok)).toBe(true);
    const first = out.steps[0].node;
    expect(out.steps[2].node).toBe(first);
    expect(out.leader).not.toBe(first);
    expect(out.nodes.find((n) => n.id === first)).toMatchObject({ member: false, role: 'follower' });
    const rest = out.nodes.filter((n) => n.id !== first);
    expect(new Set(rest.map((n) => n.dbHash)).size).toBe(1);
  });
});

describe('§9.6 pre-vote', () => {
  it('with pre-vote a node back from a partition does not raise the term or depose the leader', async () => {
    const on = await runFile('16-prevote-on.json');
    const off = await runFile('17-prevote-off.json');
    for (const out of [on, off]) expect(out.violations).toEqual([]);
    const leaderBefore = on.steps[0].node;
    expect(on.leader).toBe(leaderBefore);
    expect(new Set(on.nodes.map((n) => n.term))).toEqual(new Set([1]));
    // Without it, the isolated node's inflated term forces the healthy leader out.
    expect(Math.max(...off.nodes.map((n) => n.term))).toBeGreaterThan(5);
    expect(off.stats.elections).toBeGreaterThan(on.stats.elections);
  });
});

describe('§3.10 of the dissertation: leadership transfer', () => {
  it('hands leadership to an up-to-date target at once, and a transfer to a dead node fails cleanly', async () => {
    const out = await runFile('18-leadership-transfer.json');
    expect(out.violations).toEqual([]);
    expect(out.steps[2]).toMatchObject({ ok: true, node: 'n2' });
    expect(out.steps[3]).toMatchObject({ ok: true, node: 'n2' });
    expect(out.steps[2].at - out.steps[1].at).toBeLessThan(100);
    expect(out.steps[5].ok).toBe(false);
    expect(out.steps[5].error).toMatch(/transfer to n3 failed/);
    // The leader takes writes again after giving up.
    expect(out.steps[6]).toMatchObject({ ok: true, node: 'n2' });
    expect(out.leader).toBe('n2');
    expect(new Set(live(out).map((n) => n.dbHash)).size).toBe(1);
  });
});

describe('fast backtracking', () => {
  it('a follower 500 entries behind needs a handful of rounds with the hint, hundreds without', async () => {
    const on = await runFile('19-fast-backtrack-on.json');
    const off = await runFile('19-fast-backtrack-off.json');
    for (const out of [on, off]) {
      expect(out.violations).toEqual([]);
      expect(new Set(live(out).map((n) => n.dbHash)).size).toBe(1);
    }
    expect(on.stats.rejectedAppends).toBeLessThan(10);
    expect(off.stats.rejectedAppends).toBeGreaterThan(400);
  });
});
