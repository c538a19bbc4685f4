/** templateOf (template.ts) on the INSERT … VALUES shapes it takes apart and the texts it leaves alone. */
import { describe, expect, it } from 'vitest';
import { templateOf } from '../../src/db/template';

describe('templateOf', () => {
  it('takes out the literals of a plain INSERT … VALUES that bind exactly, and keeps the rest in the text', () => {
    expect(templateOf("INSERT INTO t(k, v) VALUES (5, 'value-5')")).toEqual({ sql: 'INSERT INTO t(k, v) VALUES (?, ?)', values: [5, 'value-5'] });
    expect(templateOf("insert into t values (1,'a''b'),(2, NULL), (-3, -'x')")).toEqual({ sql: 'insert into t values (?,?),(?, NULL), (-?, -?)', values: [1, "a'b", 2, 3, 'x'] });
    // Past 2^31-1 sql.js binds a REAL (a BigInt as text), and a NUL ends the text SQLite reads: they stay.
    expect(templateOf("INSERT INTO t VALUES (2147483648, 'a\u0000b', 'c')")).toEqual({ sql: "INSERT INTO t VALUES (2147483648, 'a\u0000b', ?)", values: ['c'] });
    expect(templateOf('INSERT INTO "values"([values]) VALUES (1)')).toEqual({ sql: 'INSERT INTO "values"([values]) VALUES (?)', values: [1] });
    expect(templateOf('REPLACE INTO t /* c */ VALUES (1, -- x\n 2)')).toEqual({ sql: 'REPLACE INTO t /* c */ VALUES (?, -- x\n ?)', values: [1, 2] });
  });

  it('leaves alone what is not one INSERT of literal rows', () => {
    for (const sql of [
      'INSERT INTO t VALUES (1) RETURNING *',
      'INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING',
      'INSERT INTO t SELECT 1',
      'INSERT INTO t SELECT * FROM (VALUES (1))',
      'WITH c AS (SELECT 1) INSERT INTO t VALUES (1)',
      "INSERT INTO t VALUES ('abc",
      'INSERT INTO t VALUES (1 + 2)',
      'INSERT INTO t VALUES (abs(1))',
      'INSERT INTO t VALUES (+1)',
      'INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)',
      'INSERT INTO t VALUES (NULL)',
      'INSERT INTO t VALUES (1.5)',
      'INSERT INTO t VALUES (1e3)',
      'INSERT INTO t VALUES (0x10)',
      'INSERT INTO t VALUES (1_000)',
      "INSERT INTO t VALUES (x'00')",
      'INSERT INTO t VALUES (TRUE)',
      'INSERT INTO t VALUES (1)\u00a0',
      'INSERT INTO t(a, VALUES (1)',
      'INSERT INTO t VALUES (1) /* open',
      'UPDATE t SET v = 1',
      'INSERT INTO t DEFAULT VALUES',
    ]) expect(templateOf(sql), sql).toBeNull();
  });
});

