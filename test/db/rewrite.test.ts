import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNonDeterministic, rewriteSql, type RewriteEnv } from '../../src/db/rewrite';
import { tokenize } from '../../src/db/tokenizer';

const env = (): RewriteEnv => {
  let n = 0n;
  return { nowMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678), randomInt64: () => (n += 1n) * -1234567890123n, randomBytes: (k) => new Uint8Array(k).fill(0xab) };
};

describe('tokenizer', () => {
  it('round-trips any text exactly', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(tokenize(s).map((t) => t.text).join('')).toBe(s);
      }),
    );
  });

  it('tells literals, quoted identifiers and comments from code', () => {
    const kinds = tokenize(`SELECT 'a''b', "random", [x], \`y\`, X'0A', 1.5e3, ?1, :p -- c\n/* d */`)
      .filter((t) => t.kind !== 'space')
      .map((t) => `${t.kind}:${t.text}`);
    expect(kinds).toEqual([
      'word:SELECT', "string:'a''b'", 'op:,', 'quoted:"random"', 'op:,', 'quoted:[x]', 'op:,', 'quoted:`y`', 'op:,',
      "blob:X'0A'", 'op:,', 'number:1.5e3', 'op:,', 'param:?1', 'op:,', 'param::p', 'comment:-- c', 'comment:/* d */',
    ]);
  });
});

describe('rewrite of non-deterministic SQL at the leader', () => {
  it.each([
    ['SELECT random()', 'SELECT (-1234567890123)'],
    ['SELECT RANDOM ( /* x */ )', 'SELECT (-1234567890123)'],
    ['SELECT 5-random()', 'SELECT 5-(-1234567890123)'],
    ['SELECT randomblob(3)', "SELECT X'ABABAB'"],
    ['SELECT randomblob(n) FROM t', 'SELECT randomblob(n) FROM t'],
    ['SELECT CURRENT_TIMESTAMP, current_date, Current_Time', "SELECT '2026-01-02 03:04:05', '2026-01-02', '03:04:05'"],
    ["SELECT datetime('now'), date('NOW', '+1 day')", "SELECT datetime('2026-01-02 03:04:05.678'), date('2026-01-02 03:04:05.678', '+1 day')"],
    ["SELECT strftime('%s', 'now')", "SELECT strftime('%s', '2026-01-02 03:04:05.678')"],
    ["SELECT julianday('now'), unixepoch('now'), time('now')", "SELECT julianday('2026-01-02 03:04:05.678'), unixepoch('2026-01-02 03:04:05.678'), time('2026-01-02 03:04:05.678')"],
  ])('%s', (input, expected) => {
    expect(rewriteSql(input, env())).toBe(expected);
  });

  it.each([
    "INSERT INTO t VALUES('random()')",
    'SELECT "random"() FROM t',
    'SELECT random FROM t',
    'SELECT t.random() FROM t',
    '-- random()\nSELECT 1',
    "/* CURRENT_TIMESTAMP */ SELECT 'now'",
    "SELECT upper('now')",
    'CREATE TABLE t(a, ts DEFAULT CURRENT_TIMESTAMP, r DEFAULT (random()))',
    'ALTER TABLE t ADD COLUMN d TEXT DEFAULT CURRENT_DATE',
    // A DEFAULT in a later statement of the text, too.
    'INSERT INTO t VALUES (1); CREATE TABLE u(a, r DEFAULT (random()))',
    'SELECT 1; ALTER TABLE t ADD COLUMN d TEXT DEFAULT CURRENT_DATE',
  ])('leaves %s alone', (input) => {
    expect(rewriteSql(input, env())).toBe(input);
    expect(isNonDeterministic(input)).toBe(false);
  });

  it('keeps comments and spacing byte for byte around a rewrite', () => {
    expect(rewriteSql("INSERT INTO t /* keep */ VALUES (random(),\n  'x')", env())).toBe("INSERT INTO t /* keep */ VALUES ((-1234567890123),\n  'x')");
  });

  it('is the identity on SQL with nothing non-deterministic, and repeatable', () => {
    const words = fc.constantFrom('SELECT', 'a', 'b', '1', "'now'", "'random()'", '(', ')', ',', '+', 'FROM', 't', '"x"', '-- c\n', ' ');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 30 }), (parts) => {
        const sql = parts.join(' ');
        expect(rewriteSql(sql, env())).toBe(sql);
      }),
    );
    const sql = 'SELECT random(), randomblob(4), CURRENT_TIME';
    expect(rewriteSql(sql, env())).toBe(rewriteSql(sql, env()));
  });
});
