import fc from 'fast-check';
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

/**
 * A statement that fails leaves nothing behind, as in rqlite, where each statement of a request
 * outside a transaction commits alone. SQLite itself keeps the rows a statement wrote before it
 * failed when it kept no statement journal: a STRICT column refusing the second row of a multi-row
 * INSERT inside a transaction (or our savepoint) leaves the first row there.
 */
let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const SCHEMA =
  'CREATE TABLE t(a INTEGER) STRICT; CREATE TABLE u(k INTEGER PRIMARY KEY, v); CREATE TABLE f(k INTEGER PRIMARY KEY ON CONFLICT FAIL, v)';
const command = (sql: string, seed: number): Command => ({
  statements: [{ sql }],
  transaction: false,
  ts: 1_700_000_000_000,
  seed,
});
const ALL = "SELECT 't', a, NULL FROM t UNION ALL SELECT 'u', k, v FROM u UNION ALL SELECT 'f', k, v FROM f";
const rows = (db: NodeDatabase) => db.query([{ sql: 'SELECT a FROM t ORDER BY rowid' }])[0].values ?? [];
const everything = (db: NodeDatabase) => db.query([{ sql: ALL }])[0].values ?? [];

/** rqlite's semantics: plain sql.js in autocommit, each statement of a text alone. */
function reference(texts: string[]): unknown[][] {
  const db: Database = new SQL.Database();
  db.run(SCHEMA);
  for (const sql of texts) {
    try {
      db.run(sql);
    } catch {
      // the error is the result; what the statements before it wrote stays
    }
  }
  const out = db.exec(ALL)[0]?.values ?? [];
  db.close();
  return out;
}

function node(): NodeDatabase {
  const db = NodeDatabase.create(SQL);
  db.execute(command(SCHEMA, 0));
  return db;
}

describe('a failed statement leaves nothing behind', () => {
  it('a multi-row INSERT refused on its second row keeps not even its first', () => {
    const db = node();
    const [r] = db.execute(command("INSERT INTO t VALUES (1), ('x')", 1));
    expect(r.error).toContain('cannot store TEXT value in INTEGER column');
    expect(rows(db)).toEqual([]);
    db.close();
  });

  it('in a text of several statements, those before the failing one stand and those after do not run', () => {
    const db = node();
    const [r] = db.execute(
      command("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2), ('x'); INSERT INTO t VALUES (3)", 1),
    );
    expect(r.error).toContain('cannot store TEXT value');
    expect(rows(db)).toEqual([[1]]);
    db.close();
  });

  it('INSERT OR FAIL keeps the rows before the conflict, as autocommit SQLite keeps them', () => {
    const db = node();
    db.execute(command('INSERT INTO u VALUES (1, 1)', 1));
    const [r] = db.execute(command('INSERT OR FAIL INTO u VALUES (2, 2), (1, 3), (4, 4)', 2));
    expect(r.error).toContain('UNIQUE constraint failed');
    expect(everything(db)).toEqual(
      reference(['INSERT INTO u VALUES (1, 1)', 'INSERT OR FAIL INTO u VALUES (2, 2), (1, 3), (4, 4)']),
    );
    expect(everything(db)).toEqual([
      ['u', 1, 1],
      ['u', 2, 2],
    ]);
    db.close();
  });

  it('an ON CONFLICT ROLLBACK or RAISE(ROLLBACK) in a later statement of a text keeps those before it, as autocommit does', () => {
    const setup =
      "CREATE TABLE g(k INTEGER PRIMARY KEY, v); INSERT INTO g VALUES (1, 0); CREATE TRIGGER no AFTER INSERT ON f WHEN new.v < 0 BEGIN SELECT RAISE(ROLLBACK, 'no'); END";
    const texts = [
      'INSERT INTO t VALUES (1); INSERT OR ROLLBACK INTO g VALUES (1, 1); INSERT INTO t VALUES (2)',
      'INSERT INTO t VALUES (3); INSERT INTO u VALUES (3, 3); INSERT INTO f VALUES (9, -1)',
      'INSERT OR ROLLBACK INTO g VALUES (1, 2)',
    ];
    const db = node();
    const follower = node();
    db.execute(command(setup, 1));
    follower.execute(command(setup, 1));
    const answers = texts.map((sql, i) => {
      follower.applyLater(command(sql, i + 2));
      return db.execute(command(sql, i + 2))[0].error;
    });
    expect(answers).toEqual(['UNIQUE constraint failed: g.k', 'no', 'UNIQUE constraint failed: g.k']);
    expect(everything(db)).toEqual(reference([setup, ...texts]));
    expect(everything(follower)).toEqual(everything(db));
    expect(follower.hash()).toBe(db.hash());
    expect(db.hash()).toBe(NodeDatabase.create(SQL, db.export()).hash());
    expect(everything(db)).toEqual([
      ['t', 1, null],
      ['t', 3, null],
      ['u', 3, 3],
    ]);
    // In a transaction command the rollback ends the whole transaction, as it would in rqlite.
    const [r] = db.execute({
      ...command('INSERT INTO t VALUES (4); INSERT OR ROLLBACK INTO g VALUES (1, 3)', 9),
      transaction: true,
    });
    expect(r.error).toBe('UNIQUE constraint failed: g.k');
    expect(rows(db)).toEqual([[1], [3]]);
    db.close();
    follower.close();
  });

  it('the next statement of the same command answers its own rows, after a failed one that kept or ran again some', () => {
    const texts = [
      "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2), ('x')",
      'INSERT INTO t VALUES (3)',
      'INSERT OR FAIL INTO u VALUES (2, 2), (1, 3)',
      'INSERT INTO u VALUES (5, 5)',
    ];
    const want = [
      { error: 'cannot store TEXT value in INTEGER column t.a' },
      { last_insert_id: 2, rows_affected: 1 },
      { error: 'UNIQUE constraint failed: u.k' },
      { last_insert_id: 5, rows_affected: 1 },
    ];
    const alone = node();
    alone.execute(command('INSERT INTO u VALUES (1, 1)', 1));
    const many = { ...command('', 2), statements: texts.map((sql) => ({ sql })) };
    expect(alone.execute(many)).toEqual(want);
    // The same plain writes answered inside a batch (the OR FAIL keeps its row there too).
    const batched = node();
    batched.execute(command('INSERT INTO u VALUES (1, 1)', 1));
    const plain = { ...many, statements: many.statements.slice(2) };
    expect(batched.beginBatch()).toBe(true);
    expect(batched.execute(plain)).toEqual(want.slice(2));
    batched.endBatch();
    expect(everything(batched)).toEqual(everything(alone).filter(([table]) => table === 'u'));
    alone.close();
    batched.close();
  });

  it('a follower applying the same writes in one batch ends as the leader answering each', () => {
    const texts = [
      'INSERT INTO t VALUES (1)',
      "INSERT INTO t VALUES (2), ('x')",
      'INSERT INTO t VALUES (3)',
      'INSERT INTO t VALUES (4), (5), (6.5)',
      'INSERT INTO t VALUES (7)',
    ];
    const leader = node();
    const follower = node();
    texts.forEach((sql, i) => {
      leader.execute(command(sql, i + 1));
      follower.applyLater(command(sql, i + 1));
    });
    expect(rows(follower)).toEqual([[1], [3], [7]]);
    expect(rows(leader)).toEqual([[1], [3], [7]]);
    expect(follower.hash()).toBe(leader.hash());
    leader.close();
    follower.close();
  });

  it('as a property: answered one by one, or deferred and batched, the rows are those of autocommit SQLite', () => {
    const value = fc.oneof(
      fc.integer({ min: -2, max: 6 }).map(String),
      fc.constant("'x'"),
      fc.constant('2.5'),
      fc.constant('NULL'),
    );
    const verb = fc.constantFrom(
      'INSERT',
      'INSERT OR FAIL',
      'INSERT OR ABORT',
      'INSERT OR IGNORE',
      'INSERT OR REPLACE',
    );
    const insert = fc.oneof(
      fc
        .tuple(verb, fc.array(value, { minLength: 1, maxLength: 3 }))
        .map(([v, vs]) => `${v} INTO t VALUES ${vs.map((x) => `(${x})`).join(', ')}`),
      fc
        .tuple(
          verb,
          fc.constantFrom('u', 'f'),
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
        )
        .map(([v, table, ks]) => `${v} INTO ${table} VALUES ${ks.map((k) => `(${k}, ${k})`).join(', ')}`),
      fc.constantFrom(
        'UPDATE OR FAIL u SET k = k + 1',
        'UPDATE u SET k = k + 1',
        'UPDATE f SET k = k + 1',
        'DELETE FROM u WHERE k > 3',
      ),
    );
    const text = fc.array(insert, { minLength: 1, maxLength: 3 }).map((s) => s.join('; '));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 40 }), (texts) => {
        const want = reference(texts);
        const answered = node();
        const deferred = node();
        texts.forEach((sql, i) => {
          answered.execute(command(sql, i + 1));
          deferred.applyLater(command(sql, i + 1));
        });
        expect(everything(answered)).toEqual(want);
        expect(everything(deferred)).toEqual(want);
        // The content hash kept from the rows each statement touched sees undone rows as gone.
        expect(answered.hash()).toBe(NodeDatabase.create(SQL, answered.export()).hash());
        expect(deferred.hash()).toBe(answered.hash());
        answered.close();
        deferred.close();
      }),
      { numRuns: 100 },
    );
  });
});
