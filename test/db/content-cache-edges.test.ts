/**
 * Edges of the incremental content hash (contentCache.ts) that random writes rarely reach: which
 * touched row it resumes from when several are touched, the saved states after a resumed hash, a
 * quoted name, a command with one unfollowable statement among others, what save() keeps, and an
 * earlier table's change that leaves one of the hash state's two lanes as it was. After each, the
 * cache must still equal contentHash.
 */
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchableStatements } from '../../src/db/batch';
import { contentHash, hashRow, schemaText } from '../../src/db/content';
import { ContentHashCache } from '../../src/db/contentCache';
import { Hasher, type HasherState } from '../../src/db/hash';
import { unwatchRowids, watchRowids } from '../../src/db/rowidWatch';
import { loadSqlJs } from '../../src/db/sqljs';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A raw database watched as a node's is; `run` tells the cache of each statement first, as NodeDatabase does. */
function watched(setup: string[]): { db: Database; cache: ContentHashCache; run(sql: string): void; close(): void } {
  const db = new SQL.Database();
  const cache = new ContentHashCache(db);
  const id = watchRowids(SQL, db, cache);
  const run = (sql: string) => {
    cache.command({ statements: [{ sql }], transaction: false, ts: 0 }, batchableStatements([{ sql }]));
    db.run(sql);
  };
  for (const s of setup) run(s);
  return {
    db,
    cache,
    run,
    close() {
      unwatchRowids(id);
      db.close();
    },
  };
}

// 200 rows at rowids -2000, -1990, …, -10: saved states before rowids -2000, -1360, -720 and -80.
const SPACED = ['CREATE TABLE t(v)', "INSERT INTO t(rowid, v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200) SELECT -2010 + 10 * i, 'r' || i FROM n"];

describe('which rows the incremental hash reads again', () => {
  it('from the lowest row inserted since the last hash, not the first one', () => {
    const w = watched(SPACED);
    try {
      w.cache.hash();
      w.run("INSERT INTO t(rowid, v) VALUES (-5, 'last')");
      w.run("INSERT INTO t(rowid, v) VALUES (-1995, 'in the first chunk')");
      expect(w.cache.hash()).toBe(contentHash(w.db));
    } finally {
      w.close();
    }
  });

  it('from the first row after an UPDATE, whatever is inserted after it', () => {
    const w = watched(SPACED);
    try {
      w.cache.hash();
      w.run("UPDATE t SET v = 'changed' WHERE rowid = -1990");
      w.run("INSERT INTO t(rowid, v) VALUES (-5, 'last')");
      expect(w.cache.hash()).toBe(contentHash(w.db));
    } finally {
      w.close();
    }
  });
});

describe('more of the same', () => {
  it('from the lowest row inserted, when the lower one comes first', () => {
    const w = watched(SPACED);
    try {
      w.cache.hash();
      w.run("INSERT INTO t(rowid, v) VALUES (-1995, 'in the first chunk')");
      w.run("INSERT INTO t(rowid, v) VALUES (-5, 'last')");
      expect(w.cache.hash()).toBe(contentHash(w.db));
    } finally {
      w.close();
    }
  });

  it('from the saved states of the last hash, after a change in a middle chunk moved them', () => {
    const w = watched(SPACED);
    try {
      w.cache.hash();
      w.run("INSERT INTO t(rowid, v) VALUES (-1355, 'second chunk')");
      expect(w.cache.hash()).toBe(contentHash(w.db));
      w.run("INSERT INTO t(rowid, v) VALUES (-705, 'third chunk')");
      expect(w.cache.hash()).toBe(contentHash(w.db));
    } finally {
      w.close();
    }
  });

  it('of a table whose name holds a double quote', () => {
    const w = watched(['CREATE TABLE "q""t"(v)', `INSERT INTO "q""t" VALUES (1), (2)`]);
    try {
      expect(w.cache.hash()).toBe(contentHash(w.db));
      w.run(`INSERT INTO "q""t" VALUES (3)`);
      expect(w.cache.hash()).toBe(contentHash(w.db));
    } finally {
      w.close();
    }
  });

  it('everything, when any statement of a command is one the hook cannot follow', () => {
    const w = watched(SPACED);
    try {
      w.cache.hash();
      const statements = [{ sql: "INSERT INTO t VALUES ('x')" }, { sql: 'DELETE FROM t' }];
      w.cache.command({ statements, transaction: false, ts: 0 }, false);
      for (const { sql } of statements) w.db.run(sql);
      expect(w.cache.hash()).toBe(contentHash(w.db));
    } finally {
      w.close();
    }
  });

  it('save() keeps nothing after a write the hook cannot follow, until the next hash', () => {
    const w = watched(SPACED);
    try {
      w.cache.hash();
      expect(w.cache.save()).not.toBeNull();
      w.run('DELETE FROM t');
      expect(w.cache.save()).toBeNull();
      w.cache.hash();
      expect(w.cache.save()).not.toBeNull();
    } finally {
      w.close();
    }
  });
});

/** Eight letters spread over the alphabet by i (counting in base 36 alone varies too few letters to collide). */
function word(i: number): string {
  let x = Math.imul(i + 1, 0x9e3779b1) >>> 0;
  let y = Math.imul(i + 7, 0x85ebca6b) >>> 0;
  let s = '';
  for (let k = 0; k < 4; k++, x = Math.floor(x / 26), y = Math.floor(y / 26)) s += String.fromCharCode(97 + (x % 26), 97 + (y % 26));
  return s;
}

/**
 * Two 8-letter values for the one row of table `a` after which the hash state agrees in lane
 * `lane` (0 or 1) and differs in the other: a birthday search, found in well under a second.
 */
function halfCollision(before: HasherState, lane: 0 | 1): [string, string] {
  const seen = new Map<number, [string, number]>();
  for (let i = 0; i < 2_000_000; i++) {
    const v = word(i);
    const h = Hasher.from(before);
    hashRow(h, [v]);
    const s = h.state();
    const other = seen.get(s[lane]);
    if (other && other[1] !== s[1 - lane]) return [other[0], v];
    seen.set(s[lane], [v, s[1 - lane]]);
  }
  throw new Error('no collision found');
}

describe('a table after a changed one', () => {
  for (const lane of [0, 1] as const) {
    it(`is read again when the change leaves lane ${lane} of the hash state as it was`, () => {
      const w = watched(['CREATE TABLE a(v TEXT)', 'CREATE TABLE t(v)', "INSERT INTO t VALUES ('after')"]);
      try {
        const [x, y] = halfCollision(new Hasher().update(schemaText(w.db)).update('Ta\u0002').state(), lane);
        w.run(`INSERT INTO a VALUES ('${x}')`);
        const before = w.cache.hash();
        expect(before).toBe(contentHash(w.db));
        w.run(`UPDATE a SET v = '${y}'`);
        expect(w.cache.hash()).toBe(contentHash(w.db));
        expect(w.cache.hash()).not.toBe(before);
      } finally {
        w.close();
      }
    });
  }
});
