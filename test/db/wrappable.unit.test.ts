/**
 * Which statements the state machine runs inside its savepoint (largestRowid.ts `wrappable`), and
 * which make it build the largest-rowid check again (`mayChangeTables`). A transaction statement
 * wrapped in a savepoint would fail or be ignored, and a stale check would miss a new table.
 */
import { describe, expect, it } from 'vitest';
import { mayChangeTables, wrappable } from '../../src/db/largestRowid';

const UNWRAPPABLE = ['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT s', 'RELEASE s', 'VACUUM', 'PRAGMA foreign_keys = 1', "ATTACH 'x' AS y", 'DETACH y'];

describe('wrappable', () => {
  it('refuses each statement that ends, opens or cannot run in a transaction, alone or after another', () => {
    for (const sql of UNWRAPPABLE) {
      expect(wrappable(sql), sql).toBe(false);
      expect(wrappable(` ${sql.toLowerCase()}`), sql).toBe(false);
      expect(wrappable(`INSERT INTO t VALUES (1); ${sql}`), sql).toBe(false);
      expect(wrappable(`/* first */ ${sql}`), sql).toBe(false);
    }
  });

  it('wraps plain statements, whatever words they hold after their first', () => {
    for (const sql of ['INSERT INTO t VALUES (1)', 'UPDATE t SET a = CASE WHEN 1 THEN 2 END', 'SELECT 1; DELETE FROM t', 'INSERT INTO t VALUES (1) -- commit', "INSERT INTO t VALUES ('begin')"]) {
      expect(wrappable(sql), sql).toBe(true);
    }
  });

  it('answers alike with or without a comment after it (the fast path and the tokenizer agree), a statement that starts with no word included', () => {
    for (const sql of ['', '(SELECT 1)', '1 VACUUM', "'x' BEGIN", '"t" COMMIT', 'BEGIN', 'INSERT INTO t VALUES (1)']) {
      expect(wrappable(sql), sql).toBe(wrappable(`${sql} -- note`));
    }
    expect(wrappable('')).toBe(true);
    expect(wrappable('1 VACUUM')).toBe(true);
  });
});

describe('mayChangeTables', () => {
  it('is true for CREATE, DROP, ALTER and ROLLBACK as words, in any case', () => {
    for (const sql of ['CREATE TABLE t(a)', 'drop table t', 'ALTER TABLE t ADD b', 'Rollback', 'INSERT INTO t VALUES (1); DROP TABLE u']) {
      expect(mayChangeTables(sql), sql).toBe(true);
    }
  });

  it('is false for a write that names none of them as a word', () => {
    for (const sql of ['INSERT INTO created VALUES (1)', 'UPDATE t SET dropped = 1', 'DELETE FROM altered_rollbacks', 'SELECT 1']) {
      expect(mayChangeTables(sql), sql).toBe(false);
    }
  });
});
