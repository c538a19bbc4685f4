/**
 * Runaway SQL committed through a 3-node cluster: each refusal is a failing entry, the same on every
 * node, and the cluster carries on. The node-level refusals are in runaway.test.ts (split out so a
 * mutation run of src/db can name the fast node-level file without these scenario runs).
 */
import { describe, expect, it } from 'vitest';
import { run, runFile } from '../helpers/scenario';

const fill = (table: string, n: number) => `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s LIMIT ${n}) INSERT INTO ${table} SELECT n, 'v' || n, n % 10 FROM s`;
const TABLES = ['a', 'b', 'c', 'd'].map((t) => `CREATE TABLE ${t}(id INTEGER PRIMARY KEY, v TEXT, k INT)`);

describe('runaway SQL in a cluster', () => {
  const hostile = [
    'INSERT INTO out SELECT count(*) FROM a, b, c',
    'INSERT INTO out SELECT length(group_concat(a.v || b.v)) FROM a, b',
    'INSERT INTO out WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c',
    'INSERT INTO out VALUES (zeroblob(2000000000))',
    'INSERT INTO out VALUES (randomblob(1000000000))',
    "INSERT INTO out VALUES (printf('%.*c', 1000000000, 'x'))",
  ];

  it.each(hostile)('commits %s as a failing entry on 3 nodes and carries on', async (sql) => {
    const out = await run({
      nodes: 3,
      seed: 11,
      steps: [
        { waitFor: 'leader', timeout: 10000 },
        { execute: ['CREATE TABLE out(x)', ...TABLES.slice(0, 3), fill('a', 2000), fill('b', 2000), fill('c', 2000)] },
        { execute: sql, node: 'any' },
        { execute: 'INSERT INTO out VALUES (42)' },
        { query: 'SELECT x FROM out', level: 'strong' },
        { waitFor: 'converged', timeout: 10000 },
      ],
    });
    expect(out.steps.map((s) => s.ok)).toEqual([true, true, true, true, true, true]);
    const refused = out.steps[2].result as { results: { error?: string }[] };
    expect(refused.results).toEqual([{ error: expect.stringMatching(/refused/) as unknown }]);
    expect(out.steps[3].result).toEqual({ results: [{ last_insert_id: 1, rows_affected: 1 }] });
    expect((out.steps[4].result as { results: { values: unknown[][] }[] }).results[0].values).toEqual([[42]]);
    expect(new Set(out.nodes.map((n) => n.dbHash)).size).toBe(1);
    expect(out.nodes.every((n) => n.lastApplied === out.nodes[0].lastApplied)).toBe(true);
    expect(out.violations).toEqual([]);
  });

  it('scenarios/21-runaway-sql.json: three refusals in one committed command, each for its own statement', async () => {
    // The file states the rest (the cluster carries on, the primary-key join runs); one statement
    // error per step is all its expectations can check.
    const out = await runFile('21-runaway-sql.json');
    const refused = (out.steps[2].result as { results: { error?: string }[] }).results.map((r) => r.error);
    expect(refused).toEqual([
      expect.stringMatching(/would visit about 8004002000 rows/),
      expect.stringMatching(/without LIMIT refused/),
      expect.stringMatching(/randomblob\(1000000000\) refused: it would build a value of 1000000000 bytes/),
    ]);
  });
});
