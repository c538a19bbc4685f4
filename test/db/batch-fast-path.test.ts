import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_BATCH } from '../../src/db/batch';
import { NodeDatabase } from '../../src/db/database';
import { isBatchable } from '../../src/db/facts';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command, ExecuteResult } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const MAX = '9223372036854775807';
const command = (sql: string, seed: number): Command => ({ statements: [{ sql }], transaction: false, ts: 1_700_000_000_000 + seed, seed });

/** Plain writes (batchable) and a few that are not, among them ways to reach the largest rowid. */
const STATEMENTS = [
  'INSERT INTO t(v) VALUES (1)',
  "INSERT INTO t(v) VALUES ('x')",
  `INSERT INTO t(rowid, v) VALUES (${MAX}, 'max')`,
  `INSERT INTO t(rowid, v) VALUES (${MAX} - 1, 'near'), (NULL, 'next')`,
  'INSERT INTO t(rowid, v) VALUES (4611686018427387904, 2)',
  `UPDATE t SET rowid = ${MAX} WHERE rowid = (SELECT min(rowid) FROM t)`,
  'UPDATE t SET v = v || 1 WHERE rowid % 2 = 0',
  'DELETE FROM t WHERE rowid = (SELECT max(rowid) FROM t)',
  'INSERT INTO u(k, v) VALUES (1, 1)',
  'INSERT OR REPLACE INTO u(k, v) VALUES (1, 2)',
  'INSERT OR FAIL INTO u(k, v) VALUES (2, 1), (1, 3)',
  'INSERT INTO u(k, v) VALUES (last_insert_rowid(), random())',
  'INSERT INTO nosuch VALUES (1)',
  `BEGIN; INSERT INTO t(rowid, v) VALUES (${MAX}, 'unchecked'); COMMIT`,
  'CREATE TABLE IF NOT EXISTS w(a)',
];

/** Apply as a node does (server.ts): runs of at least MIN_BATCH plain commands in one batch. */
function applyBatched(db: NodeDatabase, cmds: Command[], answer: boolean[]): ExecuteResult[][] {
  const out: ExecuteResult[][] = [];
  let open = false;
  for (let i = 0; i < cmds.length; i++) {
    const plain = isBatchable(cmds[i]);
    if (open && !plain) {
      db.endBatch();
      open = false;
    }
    if (!open && plain && cmds.slice(i, i + MIN_BATCH).filter(isBatchable).length >= MIN_BATCH) open = db.beginBatch();
    out.push(db.execute(cmds[i], answer[i]));
  }
  if (open) db.endBatch();
  return out;
}

function fresh(): NodeDatabase {
  const db = NodeDatabase.create(SQL);
  db.execute(command('CREATE TABLE t(v); CREATE TABLE u(k INTEGER PRIMARY KEY, v)', 0));
  return db;
}

const lastRowid = (db: NodeDatabase) => db.query([{ sql: 'SELECT CAST(last_insert_rowid() AS TEXT)' }])[0].values;

describe('a batch of plain writes without per-statement savepoints', () => {
  it('ends exactly as the same commands applied one by one: results, content and last_insert_rowid()', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(STATEMENTS.length - 1), { minLength: MIN_BATCH, maxLength: 24 }), fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), (picks, answer) => {
        const cmds = picks.map((p, i) => command(STATEMENTS[p], i + 1));
        const alone = fresh();
        const batched = fresh();
        const expected = cmds.map((c) => alone.execute(c));
        const got = applyBatched(batched, cmds, answer);
        // A node that does not answer leaves its results out; every answered one is the same.
        got.forEach((r, i) => {
          if (answer[i]) expect(r, `command ${i}: ${cmds[i].statements[0].sql}`).toEqual(expected[i]);
          else expect(r.map((x) => x.error)).toEqual(expected[i].map((x) => x.error));
        });
        expect(batched.hash()).toBe(alone.hash());
        expect(lastRowid(batched)).toEqual(lastRowid(alone));
        alone.close();
        batched.close();
      }),
      { numRuns: 150 },
    );
  });

  it('a batch that reaches the largest rowid is applied again the careful way and refuses that write alone', () => {
    const db = fresh();
    const cmds = ['INSERT INTO t(v) VALUES (1)', 'INSERT INTO t(v) VALUES (2)', `INSERT INTO t(rowid, v) VALUES (${MAX}, 3)`, 'INSERT INTO t(v) VALUES (4)', 'INSERT INTO t(v) VALUES (5)'].map((s, i) => command(s, i + 1));
    const out = applyBatched(db, cmds, cmds.map(() => true));
    expect(out.map((r) => r[0].error ?? r[0].last_insert_id)).toEqual([1, 2, expect.stringMatching(/largest rowid/), 3, 4]);
    expect(db.query([{ sql: 'SELECT v FROM t ORDER BY rowid' }])[0].values).toEqual([[1], [2], [4], [5]]);
  });

  it('a database restored from a snapshot that holds a large rowid starts out careful', () => {
    const db = fresh();
    // Written by a statement the savepoint cannot wrap, so never checked: the snapshot carries it.
    db.execute(command(`BEGIN; INSERT INTO t(rowid, v) VALUES (${MAX}, 1); COMMIT`, 1));
    const copy = NodeDatabase.create(SQL, db.export());
    const cmds = [2, 3, 4, 5].map((i) => command(`INSERT INTO t(rowid, v) VALUES (${i}, ${i})`, i));
    const expected = cmds.map((c) => db.execute(c));
    expect(applyBatched(copy, cmds, cmds.map(() => true))).toEqual(expected);
    expect(copy.hash()).toBe(db.hash());
  });
});

describe('export', () => {
  it('keeps the connection: its settings, functions and prepared statements work on after a snapshot', () => {
    const db = fresh();
    db.execute(command('PRAGMA foreign_keys = ON', 1));
    db.execute(command('INSERT INTO t(v) VALUES (random())', 2));
    const before = lastRowid(db);
    const snap = db.export();
    expect(db.query([{ sql: 'PRAGMA foreign_keys' }])[0].values).toEqual([[1]]);
    expect(db.query([{ sql: 'PRAGMA locking_mode' }])[0].values).toEqual([['exclusive']]);
    expect(lastRowid(db)).toEqual(before);
    // The same next writes on the exporting node and on a copy restored from its snapshot.
    const copy = NodeDatabase.create(SQL, snap);
    const next = [command('INSERT INTO t(v) VALUES (random())', 3), command(`INSERT INTO t(rowid, v) VALUES (${MAX}, 1)`, 4)];
    expect(next.map((c) => db.execute(c))).toEqual(next.map((c) => copy.execute(c)));
    expect(copy.hash()).toBe(db.hash());
  });
});
