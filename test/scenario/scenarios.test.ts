import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rows, run, runFile, SCENARIO_DIR } from '../helpers/scenario';

describe('every example scenario runs with no invariant violation', () => {
  // Files named *-unsafe switch a safety rule off on purpose; the monitor must catch them instead.
  for (const file of readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json') && !f.includes('unsafe'))) {
    it(file, async () => {
      const out = await runFile(file);
      expect(out.violations).toEqual([]);
      expect(out.events).toBeGreaterThan(0);
    });
  }
});

describe('scenarios modelled on the Raft paper', () => {
  it('§5.2 election: one leader, known to all, every node in the same term', async () => {
    const out = await runFile('01-election.json');
    expect(out.steps[0].ok).toBe(true);
    const leaders = out.nodes.filter((n) => n.role === 'leader');
    expect(leaders).toHaveLength(1);
    expect(out.leader).toBe(leaders[0].id);
    expect(new Set(out.nodes.map((n) => n.term)).size).toBe(1);
  });

  it('§5.3 replication: every node applies the same rows and ends with the same dbHash', async () => {
    const out = await runFile('02-replication.json');
    expect(out.steps.every((s) => s.ok)).toBe(true);
    expect(out.steps[2].result).toEqual({
      results: [
        { last_insert_id: 1, rows_affected: 1 },
        { last_insert_id: 2, rows_affected: 1 },
      ],
    });
    for (const i of [4, 5, 6]) expect(rows(out, i)).toEqual([[1, 'apple'], [2, 'pear']]);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
    expect(out.nodes.every((n) => n.lastApplied === n.commitIndex)).toBe(true);
  });

  it('a follower forwards requests to the leader and the answer names who served it', async () => {
    const out = await runFile('03-follower-forwarding.json');
    expect(out.steps.every((s) => s.ok)).toBe(true);
    for (const s of out.steps.slice(1)) expect(s.node).toBe(out.leader);
    expect(rows(out, 5)).toEqual([[1]]);
  });

  it('§5.4 the minority side of a partition cannot commit; the majority elects and goes on', async () => {
    const out = await runFile('05-minority-partition.json');
    expect(out.steps[3].ok).toBe(false);
    expect(out.steps[5].ok).toBe(true);
    expect(rows(out, 8)).toEqual([['majority']]);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
  });

  it('a failing statement is committed, fails the same way everywhere, and transactions roll back', async () => {
    const out = await runFile('08-failing-statement.json');
    const r2 = out.steps[2].result as { results: { error?: string }[] };
    expect(r2.results[1].error).toBe('near "SELEC": syntax error');
    expect(r2.results).toHaveLength(3);
    const r3 = out.steps[3].result as { results: { error?: string }[] };
    expect(r3.results.some((r) => r.error?.includes('UNIQUE constraint failed'))).toBe(true);
    expect(rows(out, 5)).toEqual([[1, 'a'], [2, 'b']]);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
  });

  it('non-deterministic SQL is rewritten at the leader so every node stores the same values', async () => {
    const out = await runFile('07-nondeterministic-sql.json');
    expect(rows(out, 6)).toEqual(rows(out, 7));
    expect(rows(out, 7)).toEqual(rows(out, 8));
    const [first, second] = rows(out, 6);
    expect(first[4]).toBe('random()');
    expect(second[4]).toBe('now');
    expect(String(first[2])).toMatch(/^2026-01-01 00:00:00/);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
  });

  it('a none read on an isolated follower is stale; freshness and linearizable refuse', async () => {
    const out = await runFile('09-stale-read-none.json');
    expect(out.steps[5].ok).toBe(true);
    expect(rows(out, 7)).toEqual([['old']]);
    expect(out.steps[8].ok).toBe(false);
    expect(out.steps[8].error).toMatch(/stale read/);
    expect(out.steps[9].ok).toBe(false);
    expect(rows(out, 10)).toEqual([['new']]);
  });

  it('queued writes are acknowledged at once and land in one batch', async () => {
    const out = await runFile('10-queued-writes.json');
    expect(out.steps[2].result).toEqual({ results: [], sequence_number: 1 });
    expect(rows(out, 7)).toEqual([[3]]);
  });

  it('with no majority there is no leader and requests fail after their timeout', async () => {
    const out = await runFile('11-no-leader.json');
    expect(out.steps[7]).toMatchObject({ ok: false, error: 'leader not found' });
    expect(out.steps[8]).toMatchObject({ ok: false, error: 'leader not found' });
    expect(out.steps[9].ok).toBe(true);
    expect(out.steps[12].ok).toBe(true);
  });

  it('§5.4.2 crashed followers and candidates catch up after restart', async () => {
    const out = await run({
      nodes: 5,
      seed: 12,
      steps: [
        { waitFor: 'leader' },
        { execute: 'CREATE TABLE t(v)' },
        { kill: 'n2' },
        { kill: 'n3' },
        { waitFor: 'leader' },
        { execute: [["INSERT INTO t VALUES(?)", 1], ["INSERT INTO t VALUES(?)", 2]] },
        { restart: 'n2' },
        { restart: 'n3' },
        { waitFor: 'converged' },
      ],
    });
    expect(out.steps.every((s) => s.ok)).toBe(true);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
    expect(out.nodes.every((n) => n.alive && n.lastApplied === out.nodes[0].lastApplied)).toBe(true);
  });

  it('the leader crashes; a new leader is elected and the old one catches up on restart', async () => {
    const first = await run({ nodes: 3, seed: 1, steps: [{ waitFor: 'leader' }] });
    const old = first.leader!;
    const out = await run({
      nodes: 3,
      seed: 1,
      steps: [
        { waitFor: 'leader' },
        { execute: 'CREATE TABLE t(v)' },
        { kill: 'leader' },
        { waitFor: 'leader' },
        { execute: 'INSERT INTO t VALUES(1)' },
        { restart: old },
        { waitFor: 'converged' },
        { query: 'SELECT count(*) FROM t', node: old, level: 'none' },
      ],
    });
    expect(out.steps[2].node).toBe(old);
    expect(out.steps[3].node).not.toBe(old);
    expect(rows(out, 7)).toEqual([[1]]);
    expect(out.nodes.find((n) => n.id === old)!.term).toBeGreaterThan(1);
  });

  it('Figure 8: an old-term entry on a majority is overwritten, and the current-term rule keeps that safe', async () => {
    const safe = await runFile('06-figure8-safe.json');
    expect(safe.violations).toEqual([]);
    expect(new Set(safe.nodes.map((n) => n.dbHash)).size).toBe(1);
    expect(safe.steps[4].ok).toBe(false);
    const unsafe = await runFile('06-figure8-unsafe.json');
    const kinds = new Set(unsafe.violations.map((v) => (v as { invariant: string }).invariant));
    expect(kinds.has('State Machine Safety')).toBe(true);
    expect(kinds.has('Leader Completeness')).toBe(true);
    expect(new Set(unsafe.nodes.map((n) => n.dbHash)).size).toBe(2);
  });

  it('leader crash: the restarted old leader replays the log into its database', async () => {
    const out = await runFile('04-leader-crash.json');
    expect(out.steps.every((s) => s.ok)).toBe(true);
    expect(out.steps[3].node).toBe('n1');
    expect(rows(out, 8)).toEqual([['before the crash'], ['while n1 was down']]);
    const n1 = out.nodes.find((n) => n.id === 'n1')!;
    expect(n1.role).toBe('follower');
    expect(n1.term).toBeGreaterThan(1);
  });

  it('determinism: the same scenario twice gives identical output', async () => {
    const scenario = {
      nodes: 5,
      seed: 99,
      options: { preVote: true },
      steps: [
        { waitFor: 'leader' },
        { drop: 0.1 },
        { duplicate: 0.1 },
        { execute: 'CREATE TABLE t(v)', timeout: 3000 },
        { execute: "INSERT INTO t VALUES(random())", node: 'any', timeout: 3000 },
        { kill: 'leader' },
        { wait: 1000 },
        { query: 'SELECT * FROM t', node: 'any', level: 'none' },
      ],
    };
    const a = JSON.stringify(await run(scenario));
    const b = JSON.stringify(await run(scenario));
    expect(a).toBe(b);
  });

  it('steps naming "leader" fail cleanly when there is none', async () => {
    const out = await run({ nodes: 3, seed: 3, steps: [{ kill: 'leader' }, { execute: 'SELECT 1' }] });
    expect(out.steps[0]).toMatchObject({ ok: false, error: 'no leader' });
    expect(out.steps[1]).toMatchObject({ ok: false, error: 'no leader' });
  });
});
