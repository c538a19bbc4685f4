import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const MAX = '9223372036854775807';
const command = (sql: string, seed: number, transaction = false): Command => ({ statements: [{ sql }], transaction, ts: 1_700_000_000_000 + seed, seed });

/** Plain writes (they may wait), writes that reach the largest rowid, and commands that may not wait. */
const STATEMENTS = [
  'INSERT INTO t(v) VALUES (1)',
  "INSERT INTO t(v) VALUES (random())",
  `INSERT INTO t(rowid, v) VALUES (${MAX}, 'max')`,
  'UPDATE t SET v = v || 1 WHERE rowid % 2 = 0',
  'DELETE FROM t WHERE rowid = (SELECT max(rowid) FROM t)',
  'INSERT INTO u(k, v) VALUES (1, 1)',
  'INSERT INTO u(k, v) VALUES (last_insert_rowid(), total_changes())',
  'INSERT INTO nosuch VALUES (1)',
  'PRAGMA foreign_keys = ON',
  'CREATE TRIGGER IF NOT EXISTS tr AFTER INSERT ON u BEGIN INSERT INTO t(v) VALUES (new.v); END',
  `BEGIN; INSERT INTO t(rowid, v) VALUES (${MAX} - 1, 'unchecked'); COMMIT`,
];

function fresh(): NodeDatabase {
  const db = NodeDatabase.create(SQL);
  db.execute(command('CREATE TABLE t(v); CREATE TABLE u(k INTEGER PRIMARY KEY, v)', 0));
  return db;
}

const READS = [
  (db: NodeDatabase) => db.query([{ sql: 'SELECT rowid, v FROM t ORDER BY rowid' }, { sql: 'SELECT CAST(last_insert_rowid() AS TEXT), total_changes()' }]),
  (db: NodeDatabase) => db.hash(),
  (db: NodeDatabase) => db.tables(),
  (db: NodeDatabase) => NodeDatabase.create(SQL, db.export()).hash(),
  (db: NodeDatabase) => NodeDatabase.fromImage(SQL, db.image()!).query([{ sql: 'SELECT rowid, v FROM t ORDER BY rowid' }]),
];

describe('writes applied later (a follower applies what it does not answer)', () => {
  it('read exactly as the same commands applied at once, whenever anything reads, answers or snapshots', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ pick: fc.nat(STATEMENTS.length - 1), later: fc.boolean(), read: fc.option(fc.nat(READS.length - 1), { freq: 4 }), txn: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        (steps) => {
          const now = fresh();
          const later = fresh();
          steps.forEach((s, i) => {
            const cmd = command(STATEMENTS[s.pick], i + 1, s.txn && s.pick === 0);
            const expected = now.execute(cmd, !s.later);
            if (s.later) later.applyLater(cmd);
            else expect(later.execute(cmd)).toEqual(expected);
            if (s.read !== null) expect(READS[s.read](later)).toEqual(READS[s.read](now));
          });
          for (const read of READS) expect(read(later)).toEqual(read(now));
          now.close();
          later.close();
        },
      ),
      { numRuns: 150 },
    );
  });
});
