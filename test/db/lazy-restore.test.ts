/**
 * A database restored lazily (NodeDatabase.fromImage with `lazy`, what a replay that remakes
 * dropped history uses): nothing is opened until something runs or reads SQL, writes handed to
 * applyLater wait without opening it, and once opened it is in every way the database an eager
 * restore gives: rows, settings, last_insert_rowid(), content hash, answers.
 */
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';
import { bytesOf } from '../../src/db/fileBytes';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const command = (sql: string, seed: number): Command => ({ statements: [{ sql }], transaction: false, ts: 1_700_000_000_000 + seed, seed });

/** A database with rows, a setting and a last_insert_rowid() that only the image carries. */
function image() {
  const d = NodeDatabase.create(SQL);
  d.execute(command('PRAGMA foreign_keys = 1', 1));
  d.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT DEFAULT (hex(randomblob(4))))', 2));
  for (let i = 0; i < 20; i++) d.execute(command(`INSERT INTO t(k) VALUES (${1000 + i * 7})`, 3 + i));
  const img = d.image()!;
  d.close();
  return img;
}

/** What a client could read of a database, and its content hash. */
function state(d: NodeDatabase): string {
  const q = d.query([{ sql: 'SELECT last_insert_rowid(), (SELECT foreign_keys FROM pragma_foreign_keys)' }, { sql: 'SELECT * FROM t ORDER BY k' }]);
  return JSON.stringify([q, d.hash()]);
}

/** The tables a database holds, and its content hash. */
function state2(d: NodeDatabase): string {
  return JSON.stringify([d.query([{ sql: 'SELECT name FROM sqlite_master ORDER BY name' }]), d.hash()]);
}

describe('a database restored lazily', () => {
  it('opens nothing until used; plain writes handed to applyLater wait without opening it', () => {
    const d = NodeDatabase.fromImage(SQL, image(), true);
    expect(d.opened).toBe(false);
    d.applyLater(command("INSERT INTO t(k, v) VALUES (5, 'a')", 50));
    expect(d.opened).toBe(false);
    d.hash();
    expect(d.opened).toBe(true);
    d.close();
  });

  it('untouched, its image is the one it was restored from; with writes waiting, it opens to take one', () => {
    const img = image();
    const d = NodeDatabase.fromImage(SQL, img, true);
    expect(d.image()).toBe(img);
    expect(d.opened).toBe(false);
    d.applyLater(command("INSERT INTO t(k, v) VALUES (6, 'b')", 51));
    const next = d.image()!;
    expect(d.opened).toBe(true);
    const eager = NodeDatabase.fromImage(SQL, img);
    eager.applyLater(command("INSERT INTO t(k, v) VALUES (6, 'b')", 51));
    expect(state(NodeDatabase.fromImage(SQL, next))).toBe(state(eager));
    for (const x of [d, eager]) x.close();
  });

  it('a new database is opened on first use too, and its image is a real export, not the stand-in', () => {
    const fresh = NodeDatabase.create(SQL);
    expect(fresh.opened).toBe(false);
    const img = fresh.image()!;
    expect(fresh.opened).toBe(true);
    // The file and the settings header a fresh connection exports (not the empty stand-in).
    expect(img.bytes.length).toBeGreaterThan(0);
    const read = NodeDatabase.create(SQL);
    expect(read.query([{ sql: 'SELECT count(*) FROM sqlite_master' }])[0]).toMatchObject({ values: [[0]] });
    expect(read.opened).toBe(true);
    expect([...bytesOf(read.image()!.bytes)]).toEqual([...bytesOf(img.bytes)]);
    const written = NodeDatabase.create(SQL);
    written.applyLater(command('CREATE TABLE u(x)', 60));
    expect(state2(written)).toBe(state2(NodeDatabase.fromImage(SQL, written.image()!)));
    const early = NodeDatabase.create(SQL);
    expect(early.openNow()).toBe(true);
    expect(early.opened).toBe(true);
    expect(early.openNow()).toBe(false);
    // openNow opens only a new database: a lazy restore keeps waiting for its first use.
    const restored = NodeDatabase.fromImage(SQL, img, true);
    expect(restored.openNow()).toBe(false);
    expect(restored.opened).toBe(false);
    for (const x of [fresh, read, written, early, restored]) x.close();
  });

  it('closed unopened, it frees nothing and refuses to be used', () => {
    const d = NodeDatabase.fromImage(SQL, image(), true);
    d.close();
    expect(() => d.hash()).toThrow(/closed/);
  });

  it('answers, reads and hashes exactly as one restored at once, whatever comes first', () => {
    const img = image();
    const ops = fc.array(
      fc.oneof(
        fc.record({ later: fc.integer({ min: 1, max: 2000 }) }),
        fc.record({ execute: fc.integer({ min: 1, max: 2000 }) }),
        fc.record({ read: fc.constant(true) }),
        fc.record({ ddl: fc.constant(true) }),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(ops, (list) => {
        const out: string[][] = [[], []];
        [true, false].forEach((lazy, which) => {
          const d = NodeDatabase.fromImage(SQL, img, lazy);
          list.forEach((op, i) => {
            const seed = 100 + i;
            if ('later' in op) d.applyLater(command(`INSERT OR IGNORE INTO t(k) VALUES (${op.later})`, seed));
            else if ('execute' in op) out[which].push(JSON.stringify(d.execute(command(`INSERT OR REPLACE INTO t(k) VALUES (${op.execute})`, seed))));
            else if ('ddl' in op) out[which].push(JSON.stringify(d.execute(command(`CREATE TABLE IF NOT EXISTS u${i}(x)`, seed))));
            else out[which].push(state(d));
          });
          out[which].push(state(d));
          d.close();
        });
        expect(out[0]).toEqual(out[1]);
      }),
      { numRuns: 40 },
    );
  });
});
