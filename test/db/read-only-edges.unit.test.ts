/**
 * Edges of readonly.ts found by mutation testing: which WITH statements go to the read path, and
 * which table a single-table query names (an alias that only looks like a join word, a bracketed
 * name holding `[[`).
 */
import { describe, expect, it } from 'vitest';
import { fromTable, isReadOnly } from '../../src/db/readonly';

describe('isReadOnly', () => {
  it('refuses a WITH statement that holds any writing keyword, the ones SQLite would reject after a WITH included', () => {
    const bodies = [
      'INSERT INTO t SELECT * FROM x',
      'UPDATE t SET a = 1',
      'DELETE FROM t',
      'REPLACE INTO t SELECT * FROM x',
      'CREATE TABLE u(a)',
      'DROP TABLE t',
      'ALTER TABLE t ADD b',
      "ATTACH 'f' AS g",
      'DETACH g',
      'VACUUM',
      'REINDEX t',
    ];
    for (const body of bodies) expect(isReadOnly(`WITH x AS (SELECT 1) ${body}`), body).toBe(false);
    expect(isReadOnly('WITH x AS (SELECT 1) SELECT * FROM x')).toBe(true);
  });
});

describe('fromTable', () => {
  it('an alias that begins or ends like a join word is still one table', () => {
    expect(fromTable('SELECT * FROM t leftovers')).toBe('t');
    expect(fromTable('SELECT * FROM t selfjoin')).toBe('t');
    expect(fromTable('SELECT * FROM t crossed WHERE 1')).toBe('t');
  });

  it('a bracketed name is taken as written: `[[` inside brackets is no escape', () => {
    expect(fromTable('SELECT * FROM [a[[b]')).toBe('a[[b');
    expect(fromTable('SELECT * FROM "a[[b"')).toBe('a[[b');
  });
});
