import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import type { Command, ExecuteResult, QueryResult, Statement } from '../../src/db/types';

/**
 * Every node must end with the same database, whatever SQL is committed. Each class of the issue
 * "Every node ends with the same database" has a case here: two nodes apply the same log, one of
 * them restored from a snapshot part-way (as a crashed and restarted node is), and must agree.
 */
let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await initSqlJs();
});

type Entry = string | Statement | (string | Statement)[];

const command = (e: Entry, seed: number, ts = Date.UTC(2026, 0, 1)): Command => ({
  statements: (Array.isArray(e) ? e : [e]).map((s) => (typeof s === 'string' ? { sql: s } : s)),
  transaction: false,
  ts,
  seed,
});

/** Apply `log` on a node that runs throughout and on one restored from a snapshot after `restoreAt` entries. */
function twoNodes(log: Entry[], restoreAt: number): { a: NodeDatabase; b: NodeDatabase; ra: ExecuteResult[][]; rb: ExecuteResult[][] } {
  const a = NodeDatabase.create(SQL);
  let b = NodeDatabase.create(SQL);
  const ra: ExecuteResult[][] = [];
  const rb: ExecuteResult[][] = [];
  log.forEach((e, i) => {
    if (i === restoreAt) {
      const snap = b.export();
      b.close();
      b = NodeDatabase.create(SQL, snap);
    }
    // Something else draws from SQLite's process-wide generator between the two nodes' applies.
    NodeDatabase.create(SQL).close();
    ra.push(a.execute(command(e, i + 1)));
    rb.push(b.execute(command(e, i + 1)));
  });
  return { a, b, ra, rb };
}

function agree(log: Entry[], restoreAt = 1): { ra: ExecuteResult[][]; a: NodeDatabase; b: NodeDatabase } {
  const { a, b, ra, rb } = twoNodes(log, restoreAt);
  expect(rb).toEqual(ra);
  expect(b.hash()).toBe(a.hash());
  const dump = (db: NodeDatabase) => db.tables().map((t) => t.rows);
  expect(dump(b)).toEqual(dump(a));
  return { ra, a, b };
}

const q = (db: NodeDatabase, sql: string, env = { ts: 0, seed: 7 }): QueryResult => db.query([{ sql }], undefined, env)[0];

describe('a read does not change its node', () => {
  for (const pragma of ['query_only(1)', 'case_sensitive_like(1)', 'reverse_unordered_selects(1)', 'ignore_check_constraints(1)', 'query_only = 1', 'foreign_keys(1)']) {
    it(`PRAGMA ${pragma} as a query is refused and changes nothing`, () => {
      const db = NodeDatabase.create(SQL);
      db.execute(command('CREATE TABLE t(v CHECK (v > 0))', 1));
      expect(q(db, `PRAGMA ${pragma}`).error).toMatch(/attempt to change database via query operation/);
      expect(q(db, `EXPLAIN PRAGMA ${pragma}`).error).toMatch(/attempt to change database via query operation/);
      expect(db.execute(command('INSERT INTO t VALUES (1)', 2))).toEqual([{ last_insert_id: 1, rows_affected: 1 }]);
      expect(db.execute(command('INSERT INTO t VALUES (-1)', 3))[0].error).toMatch(/CHECK constraint failed/);
      expect(q(db, "SELECT 'a' LIKE 'A'").values).toEqual([[1]]);
    });
  }

  it('reads of settings and schema still work', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v)', 1));
    expect(q(db, 'PRAGMA foreign_keys').values).toEqual([[0]]);
    expect(q(db, 'PRAGMA table_info(t)').values).toHaveLength(2);
    expect(q(db, "SELECT name FROM pragma_table_info('t')").values).toEqual([['k'], ['v']]);
  });

  it('a misspelt query gets SQLite syntax error, not "attempt to change database"', () => {
    const db = NodeDatabase.create(SQL);
    expect(q(db, 'SELEC 1').error).toBe('near "SELEC": syntax error');
    db.execute(command('CREATE TABLE t(v)', 1));
    expect(q(db, 'INSERT INTO t VALUES (1)').error).toMatch(/attempt to change database via query operation/);
  });
});

describe('non-determinism the leader cannot rewrite draws the same on every node', () => {
  it('random() in a column DEFAULT, quoted and bracketed names, randomblob with a computed, negative or bound size', () => {
    const { a } = agree(
      [
        'CREATE TABLE t(k INTEGER PRIMARY KEY, r DEFAULT (random()), b DEFAULT (randomblob(4)))',
        'INSERT INTO t(k) VALUES (1)',
        'INSERT INTO t(k, r) VALUES (2, "random"())',
        'INSERT INTO t(k, r) VALUES (3, [random]())',
        'INSERT INTO t(k, b) VALUES (4, randomblob(-5))',
        'INSERT INTO t(k, b) VALUES (5, randomblob(2 * 3))',
        { sql: 'INSERT INTO t(k, b) VALUES (6, randomblob(?))', params: [8] },
        'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET r = random() WHERE k = NEW.k; END',
        'INSERT INTO t(k) VALUES (7)',
      ],
      3,
    );
    const types = q(a, 'SELECT typeof(r), length(b) FROM t ORDER BY k').values;
    expect(types?.[0]).toEqual(['integer', 4]);
    expect(types?.[3]).toEqual(['integer', 1]);
    expect(types?.[4]).toEqual(['integer', 6]);
    expect(types?.[5]).toEqual(['integer', 8]);
  });

  it('a huge computed randomblob is refused alike', () => {
    const { ra } = agree(['CREATE TABLE t(b)', 'INSERT INTO t VALUES (randomblob(1024 * 1024 * 1024))']);
    expect(ra[1][0].error).toMatch(/randomblob\(1024 \* 1024 \* 1024\) refused/);
  });

  it('a row may not take the largest rowid, after which SQLite would pick rowids at random', () => {
    const { ra } = agree(
      [
        'CREATE TABLE t(x)',
        'INSERT INTO t(rowid, x) VALUES (9223372036854775807, 1)',
        'INSERT INTO t(x) VALUES (2)',
        'INSERT INTO t(rowid, x) VALUES (9223372036854775806, 3), (NULL, 4), (NULL, 5)',
        'INSERT INTO t(x) VALUES (6)',
      ],
      2,
    );
    expect(ra[1][0].error).toMatch(/largest rowid/);
    expect(ra[3][0].error).toMatch(/largest rowid/);
    expect(ra[4][0].error).toBeUndefined();
  });

  it('the largest rowid is refused in a statement that holds CASE … END, and a commented BEGIN still opens a transaction', () => {
    const { ra } = agree([
      'CREATE TABLE t(x)',
      'INSERT INTO t(rowid, x) VALUES (CASE WHEN 1 THEN 9223372036854775807 END, 1), (NULL, 2)',
      '-- open\nBEGIN',
      'INSERT INTO t VALUES (3)',
      'COMMIT',
    ]);
    expect(ra[1][0].error).toMatch(/largest rowid/);
    expect(ra[2][0].error).toBeUndefined();
  });

  it('the largest-rowid check survives a rolled-back CREATE TABLE (found by the fuzzer)', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(command('CREATE TABLE t(x)', 1));
    const tx = { ...command(['CREATE TABLE gone AS SELECT 1 AS a', 'INSERT INTO t(rowid, x) VALUES (9223372036854775807, 1)'], 2), transaction: true };
    expect(db.execute(tx)[1].error).toMatch(/largest rowid/);
    expect(db.execute(command('INSERT INTO t(rowid, x) VALUES (9223372036854775806, 1), (NULL, 2)', 3))[0].error).toMatch(/largest rowid/);
    expect(q(db, 'SELECT count(*) FROM t').values).toEqual([[0]]);
  });

  it('a refused largest rowid leaves last_insert_rowid() as it was, and a snapshot carries it (found by the fuzzer)', () => {
    const { a } = agree(['CREATE TABLE t(x)', 'INSERT INTO t(rowid, x) VALUES (9223372036854775807, 1)', 'INSERT INTO t(x) VALUES (last_insert_rowid())'], 2);
    expect(q(a, 'SELECT CAST(x AS TEXT) FROM t').values).toEqual([['0']]);
  });

  it('the database file name is not shown: it differs from node to node', () => {
    const db = NodeDatabase.create(SQL);
    expect(q(db, 'PRAGMA database_list').error).toMatch(/file name differs/);
    expect(q(db, 'SELECT file FROM pragma_database_list').error).toMatch(/file name differs/);
    expect(db.execute(command('CREATE TABLE t AS SELECT * FROM pragma_database_list', 1))[0].error).toMatch(/file name differs/);
  });
});

describe('state a snapshot does not carry is refused or carried', () => {
  it('TEMP tables, views and triggers are refused', () => {
    for (const sql of ['CREATE TEMP TABLE x(a)', 'CREATE TEMPORARY VIEW v AS SELECT 1', 'CREATE TABLE temp.x(a)', 'CREATE TABLE "temp".x(a)']) {
      const { ra } = agree(['CREATE TABLE t(a)', sql, 'INSERT INTO t VALUES (1)']);
      expect(ra[1][0].error, sql).toMatch(/TEMP objects refused/);
    }
  });

  it('ATTACH is refused: all nodes share one in-memory file system', () => {
    const a = NodeDatabase.create(SQL);
    const b = NodeDatabase.create(SQL);
    expect(a.execute(command("ATTACH 'shared.db' AS s", 1))[0].error).toMatch(/ATTACH and DETACH refused/);
    expect(a.execute(command("VACUUM INTO 'copy.db'", 2))[0].error).toMatch(/VACUUM INTO refused/);
    expect(q(b, "SELECT * FROM pragma_database_list WHERE name = 's'").error).toBeDefined();
  });

  it('changes() and total_changes() are refused; last_insert_rowid() survives a snapshot', () => {
    const { ra } = agree(
      [
        'CREATE TABLE t(k INTEGER PRIMARY KEY, v)',
        'INSERT INTO t(v) VALUES (1)',
        'INSERT INTO t(v) VALUES (total_changes())',
        'INSERT INTO t(v) VALUES ("changes"())',
        'INSERT INTO t VALUES (100, last_insert_rowid())',
        'UPDATE t SET v = 2',
      ],
      2,
    );
    expect(ra[2][0].error).toMatch(/total_changes\(\) refused/);
    expect(ra[3][0].error).toMatch(/changes\(\) refused/);
    expect(ra[4][0].error).toBeUndefined();
  });

  it('connection settings a committed entry may change travel with the snapshot', () => {
    agree(
      [
        'CREATE TABLE p(id INTEGER PRIMARY KEY)',
        'CREATE TABLE c(p REFERENCES p(id))',
        'PRAGMA foreign_keys = ON',
        'PRAGMA recursive_triggers = ON',
        'INSERT INTO c VALUES (1)',
        'PRAGMA user_version = 5',
      ],
      4,
    );
  });

  it('session and process-wide pragmas are refused in the log', () => {
    for (const p of ['journal_mode = OFF', 'locking_mode = NORMAL', 'case_sensitive_like = 1', 'query_only = 1', 'hard_heap_limit(1000)', 'soft_heap_limit = 1', 'temp_store = MEMORY', 'writable_schema = 1', 'cache_size = 1']) {
      const db = NodeDatabase.create(SQL);
      expect(db.execute(command(`PRAGMA ${p}`, 1))[0].error, p).toMatch(/refused/);
      expect(q(db, `PRAGMA ${p}`).error, p).toBeDefined();
    }
  });
});

describe('batching is equivalent to one by one', () => {
  it('after an attempt to turn the journal off, a batch still rolls back a failed multi-row INSERT', () => {
    const log = ['CREATE TABLE t(k PRIMARY KEY)', 'PRAGMA journal_mode = OFF', 'INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2), (1)', 'INSERT INTO t VALUES (3)', 'INSERT INTO t VALUES (4)', 'INSERT INTO t VALUES (5)'];
    const one = NodeDatabase.create(SQL);
    log.forEach((e, i) => one.execute(command(e, i)));
    const batched = NodeDatabase.create(SQL);
    log.slice(0, 2).forEach((e, i) => batched.execute(command(e, i)));
    expect(batched.beginBatch()).toBe(true);
    log.slice(2).forEach((e, i) => batched.execute(command(e, i + 2)));
    batched.endBatch();
    expect(batched.hash()).toBe(one.hash());
    expect(q(one, 'SELECT k FROM t ORDER BY k').values).toEqual([[1], [3], [4], [5]]);
  });
});

describe('reads are deterministic', () => {
  it("a query's now is the time it is served at, random() is seeded, localtime is UTC", () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const a = NodeDatabase.create(SQL);
      const b = NodeDatabase.create(SQL);
      const env = { ts: Date.UTC(2026, 0, 1), seed: 42 };
      expect(q(a, "SELECT datetime('now'), CURRENT_TIMESTAMP", env).values).toEqual([['2026-01-01 00:00:00', '2026-01-01 00:00:00']]);
      expect(q(a, "SELECT datetime('now', 'localtime'), datetime(0, 'unixepoch', 'localtime'), datetime('2026-01-01', 'utc')", env).values).toEqual([
        ['2026-01-01 00:00:00', '1970-01-01 00:00:00', '2026-01-01 00:00:00'],
      ]);
      expect(q(a, 'SELECT random(), hex(randomblob(8))', env)).toEqual(q(b, 'SELECT random(), hex(randomblob(8))', env));
      expect(a.execute(command("CREATE TABLE t AS SELECT time('now', 'localtime') AS x", 1, 0))).toEqual([{}]);
      expect(q(a, 'SELECT x FROM t').values).toEqual([['00:00:00']]);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});

describe('no SQL hangs or crashes the run', () => {
  const endless = [
    'WITH RECURSIVE "c"(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM "c") SELECT count(*) FROM "c"',
    'WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
    'WITH c(x) AS MATERIALIZED (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT -1) SELECT count(*) FROM c',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10 OFFSET 1000000000000) SELECT count(*) FROM c',
    'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000000000, 10) SELECT count(*) FROM c',
    'SELECT (WITH [c](x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM [c]) SELECT count(*) FROM c)',
  ];
  for (const sql of endless) {
    it(`refuses ${sql.slice(0, 70)}`, () => {
      const db = NodeDatabase.create(SQL);
      expect(q(db, sql).error).toMatch(/recursive query/);
      expect(db.execute(command(`CREATE TABLE t AS ${sql}`, 1))[0].error).toMatch(/recursive query/);
    });
  }

  it('refuses an endless recursive view, and a trigger that reads it', () => {
    const db = NodeDatabase.create(SQL);
    const r = db.execute(
      command(
        [
          'CREATE TABLE t(x)',
          'CREATE TABLE log(n)',
          'CREATE VIEW v AS WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c',
          'CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log SELECT count(*) FROM v; END',
          'INSERT INTO t VALUES (1)',
        ],
        1,
      ),
    );
    expect(r[2].error).toMatch(/recursive query/);
    expect(r[3].error).toBeUndefined();
    expect(r[4].error).toMatch(/no such table: main.v/);
  });

  it('a bounded recursive view still runs', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(command('CREATE VIEW v AS WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100) SELECT x FROM c', 1));
    expect(q(db, 'SELECT count(*) FROM v').values).toEqual([[100]]);
  });

  it('deep nesting is an error result, not a stack overflow', () => {
    const db = NodeDatabase.create(SQL);
    for (const sql of [
      `SELECT ${'('.repeat(20000)}1${')'.repeat(20000)}`,
      `SELECT ${'- '.repeat(40000)}1`,
      `SELECT randomblob(${'('.repeat(20000)}1${')'.repeat(20000)})`,
      `SELECT printf('%.*c', ${'- '.repeat(40000)}1, 'x')`,
    ]) {
      expect(db.execute(command(sql, 1))[0].error).toMatch(/nested \d+ levels deep/);
      expect(q(db, sql).error).toMatch(/nested \d+ levels deep/);
    }
  });

  it('process-wide pragmas are refused as a query and through the log', () => {
    const db = NodeDatabase.create(SQL);
    expect(q(db, 'PRAGMA hard_heap_limit(1000)').error).toMatch(/whole process/);
    expect(q(db, 'PRAGMA hard_heap_limit').error).toMatch(/whole process/);
    expect(db.execute(command('PRAGMA hard_heap_limit = 1000', 1))[0].error).toMatch(/whole process/);
    expect(q(db, 'SELECT 1').values).toEqual([[1]]);
  });
});

describe('rqlite fidelity', () => {
  it('a BLOB comes back as base64, as rqlite answers it', () => {
    const db = NodeDatabase.create(SQL);
    expect(q(db, "SELECT x'0102ff', typeof(x'01')")).toEqual({ columns: ["x'0102ff'", "typeof(x'01')"], types: ['blob', 'text'], values: [['AQL/', 'blob']] });
  });
});
