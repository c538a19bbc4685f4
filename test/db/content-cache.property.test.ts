import fc from 'fast-check';
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchableStatements } from '../../src/db/batch';
import { contentHash } from '../../src/db/content';
import { CHECKPOINT_ROWS, ContentHashCache } from '../../src/db/contentCache';
import { NodeDatabase } from '../../src/db/database';
import { unwatchRowids, watchRowids } from '../../src/db/rowidWatch';
import { splitSettings } from '../../src/db/settings';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const MANY = CHECKPOINT_ROWS * 3 + 7;
const SETUP = [
  'CREATE TABLE t(v, w)',
  'CREATE TABLE a(id INTEGER PRIMARY KEY, u UNIQUE, v)',
  `INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${MANY}) SELECT i, 'r' || i FROM n`,
  `INSERT INTO a(u, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${MANY}) SELECT i, i * 2 FROM n`,
];

/**
 * Writes of every kind the update hook sees, and of every kind it does not: a DELETE without
 * WHERE (truncate), REPLACE conflicts, rowid-changing UPDATEs, VACUUM, DDL, WITHOUT ROWID and
 * virtual-looking tables, a column hiding the rowid, TEMP tables, triggers, transactions rolled
 * back, statements that fail halfway. Table `a` sorts before `t`, so a change to it moves every
 * hash state of `t`.
 */
const STATEMENTS = [
  "INSERT INTO t VALUES (total_changes(), 'end')",
  'INSERT INTO t(rowid, v) VALUES (-5, 1)',
  `INSERT INTO t(rowid, v) VALUES (${Math.floor(MANY / 2)} + total_changes() % 3, 'middle')`,
  "INSERT INTO t(rowid, v) VALUES (4611686018427387904, x'00ff')",
  `UPDATE t SET w = w || 'u' WHERE rowid = ${CHECKPOINT_ROWS + 3}`,
  'UPDATE t SET v = NULL WHERE rowid % 17 = 0',
  `UPDATE t SET rowid = rowid + 100000 WHERE rowid = ${CHECKPOINT_ROWS}`,
  'UPDATE a SET id = -id WHERE id = 7',
  'DELETE FROM t WHERE rowid IN (SELECT rowid FROM t ORDER BY rowid LIMIT 1 OFFSET 70)',
  'DELETE FROM a',
  'DELETE FROM t',
  'INSERT OR REPLACE INTO a(u, v) VALUES (3, 99)',
  'REPLACE INTO a(id, u, v) VALUES (1000, 5, 1)',
  'INSERT INTO a(u, v) VALUES (1, 1)',
  'INSERT INTO a(u, v) VALUES (total_changes() + 100000, 2.5)',
  'INSERT OR FAIL INTO a(id, u, v) VALUES (5000, -1, 1), (5001, -1, 2)',
  'BEGIN; INSERT INTO t VALUES (1, 2); UPDATE a SET v = 0; ROLLBACK',
  'SAVEPOINT s; DELETE FROM t WHERE rowid < 50; ROLLBACK TO s; RELEASE s',
  'VACUUM',
  'DROP TABLE IF EXISTS t; CREATE TABLE t(v, w)',
  'CREATE TABLE IF NOT EXISTS b(x)',
  'INSERT INTO b VALUES (1)',
  'ALTER TABLE b ADD COLUMN y DEFAULT 7',
  'CREATE TABLE IF NOT EXISTS wr(k PRIMARY KEY, v) WITHOUT ROWID',
  'INSERT OR IGNORE INTO wr VALUES (total_changes() % 5, 1)',
  'UPDATE wr SET v = v + 1',
  'CREATE TABLE IF NOT EXISTS h(rowid, v)',
  'INSERT INTO h VALUES (total_changes() % 9, 1)',
  'CREATE TEMP TABLE IF NOT EXISTS t(v, w)',
  'INSERT INTO temp.t VALUES (1, 1)',
  'DROP TABLE IF EXISTS temp.t',
  'CREATE TEMP TABLE IF NOT EXISTS a(k PRIMARY KEY, v) WITHOUT ROWID',
  'INSERT OR IGNORE INTO a VALUES (1, 1)',
  'DROP TABLE IF EXISTS temp.a',
  'CREATE TABLE IF NOT EXISTS c(k UNIQUE ON CONFLICT REPLACE, v)',
  'INSERT INTO c VALUES (total_changes() % 2, 1)',
  'CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON b BEGIN INSERT INTO t VALUES (new.x, 0); END',
  'CREATE TRIGGER IF NOT EXISTS td AFTER INSERT ON wr BEGIN DELETE FROM b; END',
  'DROP TRIGGER IF EXISTS td',
  "INSERT INTO t VALUES ('no such function', nosuch())",
];

const cmd = (sql: string, seed = 0): Command => ({
  statements: [{ sql }],
  transaction: false,
  ts: 1_700_000_000_000 + seed,
  seed,
});

function run(db: Database, cache: ContentHashCache, sql: string): void {
  cache.command(cmd(sql), batchableStatements([{ sql }]));
  try {
    db.run(sql);
  } catch {
    // a failing statement: whatever it changed before failing is what the hash must see
  }
}

/** A raw sql.js database watched as a node's is, its cache, and a way to stop watching. */
function watched(): { db: Database; cache: ContentHashCache; close(): void } {
  const db = new SQL.Database();
  const cache = new ContentHashCache(db);
  const id = watchRowids(SQL, db, cache);
  for (const s of SETUP) run(db, cache, s);
  return {
    db,
    cache,
    close() {
      unwatchRowids(id);
      db.close();
    },
  };
}

/** What `fn` gives, and how many rows statements read meanwhile: every row a hash reads is one step() of a statement. */
function counting<T>(db: Database, fn: () => T): { value: T; steps: number } {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as { step(): boolean };
  const step = proto.step;
  let steps = 0;
  proto.step = function (this: unknown) {
    steps++;
    return step.call(this);
  };
  try {
    const value = fn();
    return { value, steps };
  } finally {
    proto.step = step;
  }
}

/** contentHash of a node's database, read from scratch off its export. */
function fromScratch(node: NodeDatabase): string {
  const raw = new SQL.Database(splitSettings(node.export()).file);
  try {
    return contentHash(raw);
  } finally {
    raw.close();
  }
}

describe('the incremental content hash (contentCache.ts) equals the full one', () => {
  it('after any mix of writes, DDL and transactions, hashed after every step or only now and then', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(STATEMENTS.length - 1), fc.boolean()), { minLength: 1, maxLength: 30 }),
        (steps) => {
          const w = watched();
          try {
            expect(w.cache.hash()).toBe(contentHash(w.db));
            for (const [pick, check] of steps) {
              run(w.db, w.cache, STATEMENTS[pick]);
              if (check) expect(w.cache.hash(), STATEMENTS[pick]).toBe(contentHash(w.db));
            }
            expect(w.cache.hash()).toBe(contentHash(w.db));
          } finally {
            w.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  // Each way a row changes without the update hook saying so, on its own: hash, write, hash.
  const UNSEEN_WRITES: [string, string[], string][] = [
    ['a DELETE without WHERE (truncate)', [], 'DELETE FROM a'],
    [
      'a DELETE without WHERE in a trigger',
      [
        'CREATE TABLE b(x)',
        'INSERT INTO b VALUES (1), (2)',
        'CREATE TRIGGER td AFTER INSERT ON t BEGIN DELETE FROM b; END',
      ],
      'INSERT INTO t VALUES (1, 1)',
    ],
    ['a REPLACE conflict', [], "INSERT OR REPLACE INTO a(u, v) VALUES (1, 'new')"],
    [
      'an ON CONFLICT REPLACE constraint',
      ['CREATE TABLE c(k UNIQUE ON CONFLICT REPLACE, v)', 'INSERT INTO c VALUES (1, 1), (2, 2)'],
      'INSERT INTO c VALUES (1, 3)',
    ],
    ['an UPDATE that moves a rowid down', [], `UPDATE t SET rowid = -1 WHERE rowid = ${MANY - 1}`],
    ['an UPDATE that moves a rowid up', [], 'UPDATE a SET id = 100000 WHERE id = 2'],
    ['VACUUM renumbering rowids', ['DELETE FROM t WHERE rowid % 2 = 0'], 'VACUUM'],
    [
      'a table dropped and made again',
      [],
      "DROP TABLE t; CREATE TABLE t(v, w); INSERT INTO t VALUES (1, 'again')",
    ],
    [
      'a WITHOUT ROWID table',
      ['CREATE TABLE wr(k PRIMARY KEY, v) WITHOUT ROWID', 'INSERT INTO wr VALUES (1, 1)'],
      'UPDATE wr SET v = 2',
    ],
    // ORDER BY rowid then orders by the column, while the hook names the real rowids.
    [
      'a column named rowid',
      [
        'CREATE TABLE h(rowid, v)',
        `INSERT INTO h(oid, rowid, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${MANY}) SELECT 100000 + i, i, 'h' FROM n`,
      ],
      `INSERT INTO h(oid, rowid, v) VALUES (200000, ${CHECKPOINT_ROWS / 2}.5, 'between')`,
    ],
    [
      'a TEMP table hiding a main one',
      ['CREATE TEMP TABLE a(k PRIMARY KEY, v) WITHOUT ROWID'],
      'INSERT INTO a VALUES (1, 1)',
    ],
    ['a column added', [], 'ALTER TABLE a ADD COLUMN z DEFAULT 3'],
  ];
  for (const [what, setup, write] of UNSEEN_WRITES) {
    it(`sees ${what}`, () => {
      const w = watched();
      try {
        for (const s of setup) run(w.db, w.cache, s);
        expect(w.cache.hash()).toBe(contentHash(w.db));
        run(w.db, w.cache, write);
        expect(w.cache.hash()).toBe(contentHash(w.db));
      } finally {
        w.close();
      }
    });
  }

  it('re-reads only from the saved state before a touched row: an INSERT at the end reads few rows', () => {
    const w = watched();
    try {
      w.cache.hash();
      run(w.db, w.cache, "INSERT INTO t VALUES (0, 'end')");
      const { value: got, steps } = counting(w.db, () => w.cache.hash());
      expect(got).toBe(contentHash(w.db));
      expect(steps).toBeGreaterThan(0);
      expect(steps).toBeLessThanOrEqual(CHECKPOINT_ROWS + 2);
    } finally {
      w.close();
    }
  });
});

describe('the incremental content hash resumes a table at any rowid, and prepares its reads once', () => {
  it('resumes exactly from saved states whose rowids lie past 2^53 at either end of the range', () => {
    const w = watched();
    try {
      // Rows only at the extremes: every saved state of the table is at a rowid a JS number cannot hold.
      run(w.db, w.cache, 'CREATE TABLE big(v)');
      run(
        w.db,
        w.cache,
        `INSERT INTO big(rowid, v) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n LIMIT ${MANY}) SELECT -9223372036854775808 + i, i FROM n`,
      );
      run(
        w.db,
        w.cache,
        `INSERT INTO big(rowid, v) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n LIMIT ${MANY}) SELECT 9223372036854775807 - i, -i FROM n`,
      );
      expect(w.cache.hash()).toBe(contentHash(w.db));
      for (const sql of [
        `UPDATE big SET v = 'low' WHERE rowid = -9223372036854775808 + ${CHECKPOINT_ROWS * 2 + 1}`,
        `INSERT INTO big(rowid, v) VALUES (-9223372036854775808 + ${MANY + 3}, 'a gap filled')`,
        `INSERT INTO big(rowid, v) VALUES (9223372036854775807 - ${MANY + 5}, 'high')`,
        `UPDATE big SET v = 'top' WHERE rowid = 9223372036854775807`,
        `INSERT INTO big(rowid, v) VALUES (${2 ** 53} + 1, 'just past 2^53')`,
      ]) {
        run(w.db, w.cache, sql);
        expect(w.cache.hash(), sql).toBe(contentHash(w.db));
      }
    } finally {
      w.close();
    }
  });

  it("prepares a table's read once across writes, and again after the schema may have changed", () => {
    const w = watched();
    try {
      const db = w.db as Database & { prepare(sql: string): unknown };
      const prepare = db.prepare.bind(db);
      const prepared: string[] = [];
      db.prepare = (sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      };
      w.cache.hash();
      for (let i = 0; i < 5; i++) {
        run(w.db, w.cache, `INSERT INTO t VALUES (${i}, 'row')`);
        expect(w.cache.hash()).toBe(contentHash(w.db));
      }
      expect(prepared.filter((q) => q.includes('FROM "t" WHERE rowid >= ?'))).toHaveLength(1);
      run(w.db, w.cache, 'ALTER TABLE t ADD COLUMN x DEFAULT 3');
      run(w.db, w.cache, "INSERT INTO t VALUES (1, 'after', 4)");
      expect(w.cache.hash()).toBe(contentHash(w.db));
      expect(prepared.filter((q) => q.includes('FROM "t" WHERE rowid >= ?'))).toHaveLength(2);
    } finally {
      w.close();
    }
  });

  it('reads only the new rows when rows are added past the last one', () => {
    const w = watched();
    try {
      w.cache.hash();
      const reads: number[] = [];
      for (const sql of [
        "INSERT INTO t VALUES (1, 'a')",
        "INSERT INTO t VALUES (2, 'b'), (3, 'c')",
        "INSERT INTO t(rowid, v) VALUES (1000000, 'far')",
      ]) {
        run(w.db, w.cache, sql);
        const { value: got, steps } = counting(w.db, () => w.cache.hash());
        reads.push(steps);
        expect(got).toBe(contentHash(w.db));
      }
      // Each row added, and the step that finds no more.
      expect(reads).toEqual([2, 3, 2]);
    } finally {
      w.close();
    }
  });
});

describe("a node's hash() through applies, batches and divergence", () => {
  it('equals the full hash of its export; two nodes agree exactly when their full hashes do', () => {
    const plain = STATEMENTS.filter((s) => batchableStatements([{ sql: s }]));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pick: fc.nat(STATEMENTS.length - 1),
            later: fc.boolean(),
            diverge: fc.nat(9),
            restore: fc.nat(7),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        (steps) => {
          const x = NodeDatabase.create(SQL);
          let y = NodeDatabase.create(SQL);
          try {
            for (const s of SETUP) for (const n of [x, y]) expect(n.execute(cmd(s))[0].error).toBeUndefined();
            steps.forEach(({ pick, later, diverge, restore }, i) => {
              // Now and then y goes back to a checkpoint of itself (a fork): its saved hash states come along.
              const image = restore === 0 ? y.image() : null;
              if (image) {
                y.close();
                y = NodeDatabase.fromImage(SQL, image);
              }
              const c = cmd(STATEMENTS[pick], i + 1);
              x.execute(c);
              if (later) y.applyLater(c);
              else y.execute(c);
              // Now and then one node takes a write the other does not: the content diverges.
              if (diverge === 0) y.applyLater(cmd(plain[i % plain.length], 1000 + i));
              if (i % 3 === 2) {
                const [hx, hy] = [fromScratch(x), fromScratch(y)];
                expect(x.hash()).toBe(hx);
                expect(y.hash()).toBe(hy);
                expect(x.hash() === y.hash()).toBe(hx === hy);
              }
            });
            expect(x.hash()).toBe(fromScratch(x));
            expect(y.hash()).toBe(fromScratch(y));
          } finally {
            x.close();
            y.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a copy restored from an image resumes from the saved hash states, and reads few rows for an INSERT', () => {
    const x = NodeDatabase.create(SQL);
    try {
      for (const s of SETUP) x.execute(cmd(s));
      x.execute(
        cmd(
          `INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${CHECKPOINT_ROWS * 40}) SELECT i, 'more' FROM n`,
        ),
      );
      x.hash();
      const image = x.image()!;
      expect(image.content).not.toBeNull();
      const y = NodeDatabase.fromImage(SQL, image);
      try {
        y.execute(cmd("INSERT INTO t VALUES (1, 'after')"));
        const proto = Object.getPrototypeOf(new SQL.Database().prepare('SELECT 1')) as { step(): boolean };
        const step = proto.step;
        let steps = 0;
        proto.step = function (this: unknown) {
          steps++;
          return step.call(this);
        };
        let got: string;
        try {
          got = y.hash();
        } finally {
          proto.step = step;
        }
        expect(got).toBe(fromScratch(y));
        expect(steps).toBeLessThanOrEqual(CHECKPOINT_ROWS * 16 + 2);
        expect(steps).toBeGreaterThan(0);
      } finally {
        y.close();
      }
      // Written since its last hash: nothing saved, the copy hashes whole once.
      x.execute(cmd("INSERT INTO t VALUES (2, 'unhashed')"));
      expect(x.image()!.content).toBeNull();
    } finally {
      x.close();
    }
  });

  it('a restored copy starts from a full hash and then follows its own writes', () => {
    const x = NodeDatabase.create(SQL);
    try {
      for (const s of SETUP) x.execute(cmd(s));
      const before = x.hash();
      const y = NodeDatabase.create(SQL, x.export());
      try {
        expect(y.hash()).toBe(before);
        y.execute(cmd("INSERT INTO t VALUES (1, 'after')"));
        expect(y.hash()).toBe(fromScratch(y));
        expect(y.hash()).not.toBe(before);
      } finally {
        y.close();
      }
    } finally {
      x.close();
    }
  });
});
