import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { costReason, estimate, MAX_VISITED_ROWS } from '../../src/db/cost';
import { NodeDatabase } from '../../src/db/database';
import { runawayReason } from '../../src/db/guard';
import { estimateWork } from '../../src/db/plan';
import { rewriteSql } from '../../src/db/rewrite';
import { splitSettings } from '../../src/db/settings';
import { sizeReason } from '../../src/db/size';
import type { Command } from '../../src/db/types';

let SQL: Awaited<ReturnType<typeof initSqlJs>>;
beforeAll(async () => {
  SQL = await initSqlJs();
});

const cmd = (...sql: string[]): Command => ({ statements: sql.map((s) => ({ sql: s })), transaction: false, ts: 0 });
const fill = (table: string, n: number) => `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s LIMIT ${n}) INSERT INTO ${table} SELECT n, 'v' || n, n % 10 FROM s`;
const TABLES = ['a', 'b', 'c', 'd'].map((t) => `CREATE TABLE ${t}(id INTEGER PRIMARY KEY, v TEXT, k INT)`);

/** Four tables of 2,000 rows, as every node of the cluster tests below holds them too. */
function fourTables(): NodeDatabase {
  const db = NodeDatabase.create(SQL);
  const r = db.execute(cmd(...TABLES, ...['a', 'b', 'c', 'd'].map((t) => fill(t, 2000))));
  expect(r.every((x) => x.error === undefined)).toBe(true);
  return db;
}

/** The raw sql.js handle of a NodeDatabase copy, for the side-effect-free checks. */
function rawCopy(db: NodeDatabase) {
  return new SQL.Database(splitSettings(db.export()).file);
}

const HOSTILE: [string, string, RegExp][] = [
  ['endless recursion', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', /recursive query without LIMIT refused/],
  ['3-table cross join', 'SELECT count(*) FROM a, b, c', /would visit about 8004002000 rows, more than the 2000000 .* WHERE on an indexed column/],
  ['4-table cross join', 'SELECT count(*) FROM a, b, c, d', /would visit about 16008004002000 rows/],
  ['zeroblob(2e9)', 'SELECT length(zeroblob(2e9))', /zeroblob\(2e9\) refused: it would build a value of 2000000000 bytes; at most 10 MB/],
  ['zeroblob of a constant product', 'SELECT zeroblob(1000 * 1000 * 1000)', /would build a value of 1000000000 bytes/],
  ['printf width', "SELECT printf('%1000000000d', 1)", /would build a value of 1000000000 bytes; at most 10 MB/],
  ['printf * precision', "SELECT format('%.*c', 1000000000, 'x')", /would build a value of 1000000000 bytes/],
  ['randomblob(1e9)', 'SELECT randomblob(1000000000)', /randomblob\(1000000000\) refused: .* at most 1 MB/],
  ['group_concat over a cross join', 'SELECT length(group_concat(a.v || b.v)) FROM a, b', /would visit about 4002000 rows/],
  ['a large value on every row', 'SELECT length(group_concat(zeroblob(1000000))) FROM a', /would build about 2000000000 bytes \(1000000 per row over about 2000 rows\); at most 100 MB/],
  ['correlated scan per row', 'SELECT (SELECT count(*) FROM b WHERE b.v = a.v) FROM a', /would visit about 4002000 rows/],
];

describe('runaway and hostile SQL', () => {
  it.each(HOSTILE)('refuses %s before it runs, in a query and in a write', (_name, sql, reason) => {
    const db = fourTables();
    // The pure checks name the reason without running anything…
    const raw = rawCopy(db);
    const before = runawayReason(sql) ?? sizeReason(sql) ?? costReason(raw, sql);
    raw.close();
    expect(before).toMatch(reason);
    // …and both paths answer with exactly that reason.
    expect(db.query([{ sql }])).toEqual([{ error: before }]);
    db.execute(cmd('CREATE TABLE out(x)'));
    const hash = db.hash();
    const r = db.execute(cmd(`INSERT INTO out ${sql}`, 'INSERT INTO out VALUES (1)'));
    expect(r[0]).toEqual({ error: expect.stringMatching(reason) as unknown });
    expect(r[1]).toEqual({ last_insert_id: 1, rows_affected: 1 });
    expect(db.hash()).not.toBe(hash);
    expect(db.query([{ sql: 'SELECT count(*) FROM out' }])[0].values).toEqual([[1]]);
    db.close();
  });

  it('checks each statement of a string just before it runs, seeing what earlier ones built', () => {
    const db = fourTables();
    const r = db.execute(cmd('CREATE TABLE x AS SELECT * FROM a; CREATE TABLE y(v); SELECT count(*) FROM x, b, c; CREATE TABLE z(v)'));
    expect(r[0].error).toMatch(/would visit about 8004002000 rows/);
    const tables = db.query([{ sql: "SELECT name FROM sqlite_master WHERE name IN ('x', 'y', 'z') ORDER BY name" }]);
    expect(tables[0].values).toEqual([['x'], ['y']]);
    // A statement failing as it runs stops the string there, as db.run does.
    const u = db.execute(cmd('CREATE TABLE m(v UNIQUE); INSERT INTO m SELECT 1; INSERT INTO m SELECT 1; CREATE TABLE n(v)'));
    expect(u[0].error).toMatch(/UNIQUE constraint failed/);
    expect(db.query([{ sql: "SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM sqlite_master WHERE name = 'n')" }])[0].values).toEqual([[1, 0]]);
    db.close();
  });

  it('estimates a join through a non-unique index by its largest group of equal keys', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd('CREATE TABLE a(id INTEGER PRIMARY KEY, v TEXT, k INT)', 'CREATE TABLE b(id INTEGER PRIMARY KEY, v TEXT, k INT)', 'CREATE INDEX bk ON b(k)', fill('a', 2000)));
    // Every b row has the same key: the index is no better than a scan, the join is 2,000 × 2,000.
    db.execute(cmd('INSERT INTO b SELECT id, v, 7 FROM a', 'UPDATE a SET k = 7'));
    const raw = rawCopy(db);
    expect(estimate(raw, 'SELECT count(*) FROM a JOIN b ON a.k = b.k')).toEqual({ visited: 4_002_000, produced: 4_000_000 });
    raw.close();
    expect(db.query([{ sql: 'SELECT count(*) FROM a JOIN b ON a.k = b.k' }])[0].error).toMatch(/would visit about 4002000 rows/);
    db.close();
  });

  it('runs ordinary queries: a primary-key join of two 5,000-row tables, an indexed lookup, a bounded recursion', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd(TABLES[0], TABLES[1], 'CREATE INDEX bk ON b(k)', fill('a', 5000), fill('b', 5000)));
    const raw = rawCopy(db);
    const join = 'SELECT count(*), sum(a.k + b.k) FROM a JOIN b ON b.id = a.id';
    expect(estimate(raw, join)).toEqual({ visited: 10_000, produced: 5000 });
    expect(costReason(raw, join)).toBeNull();
    raw.close();
    expect(db.query([{ sql: join }])[0].values).toEqual([[5000, 45_000]]);
    expect(db.query([{ sql: 'SELECT id FROM b WHERE k = 3 ORDER BY id LIMIT 2' }])[0].values).toEqual([[3], [13]]);
    expect(db.query([{ sql: 'SELECT v FROM a WHERE id = 4321' }])[0].values).toEqual([['v4321']]);
    const cte = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000) SELECT count(*), sum(x) FROM c';
    expect(db.query([{ sql: cte }])[0].values).toEqual([[1000, 500_500]]);
    expect(db.execute(cmd(`INSERT INTO a(v) SELECT printf('%08d', x) FROM (${cte.replace('count(*), sum(x)', 'x')})`))).toEqual([{ last_insert_id: 6000, rows_affected: 1000 }]);
    db.close();
  });

  it('leaves an oversized randomblob unrewritten at the leader, so every node refuses it', () => {
    const env = { nowMs: 0, randomInt64: () => 1n, randomBytes: (n: number) => new Uint8Array(n) };
    expect(rewriteSql('SELECT randomblob(1000000000)', env)).toBe('SELECT randomblob(1000000000)');
    expect(rewriteSql('SELECT randomblob(2)', env)).toBe("SELECT X'0000'");
    expect(sizeReason('SELECT randomblob(1048576)')).toBeNull();
  });

  it('counts a recursive CTE by its LIMIT and its step, and nests sibling loops', () => {
    const sizes = { resolve: (n: string) => n, knows: (n: string) => n === 't' || n === 'c', loopRows: (t: string) => (t === 't' ? 50 : 1), recursionLimit: () => 1000 };
    const rows = [
      { id: 2, parent: 0, detail: 'CO-ROUTINE c' },
      { id: 5, parent: 2, detail: 'SETUP' },
      { id: 6, parent: 5, detail: 'SCAN CONSTANT ROW' },
      { id: 17, parent: 2, detail: 'RECURSIVE STEP' },
      { id: 18, parent: 17, detail: 'SCAN c' },
      { id: 19, parent: 17, detail: 'SCAN t' },
      { id: 26, parent: 0, detail: 'SCAN c' },
      { id: 27, parent: 0, detail: 'SCAN t' },
    ];
    // setup 1 + 1000 steps × (1 + 50) + outer loops 1000 + 1000 × 50
    expect(estimateWork(rows, sizes)).toEqual({ visited: 1 + 51_000 + 1000 + 50_000, produced: 50_000 });
    expect(MAX_VISITED_ROWS).toBe(2_000_000);
  });
});
