/**
 * The pure text-level parts of the state machine: the tokenizer, the read-only check, the runaway
 * and size guards, the constant folder, the content hash and the snapshot settings header. No
 * database is opened here.
 */
import { describe, expect, it } from 'vitest';
import { batchable, preconditionsHold } from '../../src/db/batch';
import { MAX_RECURSION_ROWS, recursiveCtes, runawayReason } from '../../src/db/guard';
import { Hasher } from '../../src/db/hash';
import { fromTable, isReadOnly } from '../../src/db/readonly';
import { splitSettings, withSettings } from '../../src/db/settings';
import { builtValues, constant, MAX_RANDOMBLOB_BYTES, MAX_VALUE_BYTES, sizeReason } from '../../src/db/size';
import { matching, significant, stringValue, tokenize, type Token } from '../../src/db/tokenizer';

const kinds = (sql: string) => significant(tokenize(sql)).map((t) => `${t.kind}:${t.text}`);
const toks = (sql: string): Token[] => significant(tokenize(sql));

describe('tokenizer', () => {
  it('reads identifiers with digits, $ and non-ASCII letters as one word', () => {
    expect(kinds('a1$b _x é2 ü')).toEqual(['word:a1$b', 'word:_x', 'word:é2', 'word:ü']);
  });

  it('reads numbers: decimals, exponents, leading dots and hex', () => {
    expect(kinds('1 1.5 .5 1e3 2E-2 0x1F 7.')).toEqual(['number:1', 'number:1.5', 'number:.5', 'number:1e3', 'number:2E-2', 'number:0x1F', 'number:7.']);
    expect(kinds('a.b')).toEqual(['word:a', 'op:.', 'word:b']);
  });

  it('reads parameters ?, ?N, :name, @name, $name; a lone sigil is an operator', () => {
    expect(kinds('? ?3 :a @b $c')).toEqual(['param:?', 'param:?3', 'param::a', 'param:@b', 'param:$c']);
    expect(kinds(': @')).toEqual(['op::', 'op:@']);
    expect(kinds('$')).toEqual(['op:$']);
  });

  it('reads the two- and three-character operators whole', () => {
    expect(kinds('a->>b||c<<d>>e<=f>=g==h!=i<>j->k<l')).toEqual([
      'word:a', 'op:->>', 'word:b', 'op:||', 'word:c', 'op:<<', 'word:d', 'op:>>', 'word:e', 'op:<=', 'word:f', 'op:>=', 'word:g',
      'op:==', 'word:h', 'op:!=', 'word:i', 'op:<>', 'word:j', 'op:->', 'word:k', 'op:<', 'word:l',
    ]);
  });

  it('runs unterminated literals and comments to the end of the text', () => {
    expect(tokenize("'abc").map((t) => t.kind)).toEqual(['string']);
    expect(tokenize('"abc').map((t) => t.kind)).toEqual(['quoted']);
    expect(tokenize('-- abc').map((t) => t.kind)).toEqual(['comment']);
    expect(tokenize('/* abc').map((t) => t.kind)).toEqual(['comment']);
    expect(tokenize('a -- c\nb').map((t) => `${t.kind}:${t.text}`)).toEqual(['word:a', 'space: ', 'comment:-- c', 'space:\n', 'word:b']);
  });

  it('a doubled quote escapes it, except in [brackets]', () => {
    expect(kinds(`'a''b' "c""d" \`e\`\`f\` [g]]h]`)).toEqual([`string:'a''b'`, `quoted:"c""d"`, 'quoted:`e``f`', 'quoted:[g]', 'op:]', 'word:h', 'op:]']);
    expect(kinds("x'0a' X'0B' x 'y'")).toEqual(["blob:x'0a'", "blob:X'0B'", 'word:x', "string:'y'"]);
  });

  it('keeps start and end offsets of each token', () => {
    expect(tokenize('ab  cd').map((t) => [t.start, t.end])).toEqual([[0, 2], [2, 4], [4, 6]]);
  });

  it('stringValue unescapes a literal, terminated or not', () => {
    const value = (sql: string) => stringValue(tokenize(sql)[0]);
    expect(value("'it''s'")).toBe("it's");
    expect(value("'abc")).toBe('abc');
    expect(value("'")).toBe('');
    expect(value("''")).toBe('');
  });

  it('matching finds the closing parenthesis, or the end of the list', () => {
    const t = toks('f(a, (b), c) d');
    expect(t[matching(t, 1)].text).toBe(')');
    expect(matching(t, 1)).toBe(9);
    expect(matching(toks('f(a, (b)'), 1)).toBe(7);
  });
});

describe('read-only statements', () => {
  it('reads: SELECT, WITH … SELECT, VALUES, EXPLAIN, PRAGMA without =, several separated by ;', () => {
    for (const sql of ['SELECT 1', 'with x as (select 1) select * from x', 'VALUES (1)', 'EXPLAIN SELECT 1', 'PRAGMA table_info(t)', 'SELECT 1; SELECT 2', '', ';']) {
      expect(isReadOnly(sql), sql).toBe(true);
    }
  });

  it('writes: any other first word, a WITH that writes, a PRAGMA that sets', () => {
    for (const sql of ['INSERT INTO t VALUES (1)', 'SELECT 1; DELETE FROM t', 'WITH x AS (SELECT 1) DELETE FROM t', 'PRAGMA foreign_keys = 1', "'x'", 'BEGIN']) {
      expect(isReadOnly(sql), sql).toBe(false);
    }
    expect(isReadOnly("SELECT 'delete', \"update\" FROM t")).toBe(true);
    expect(isReadOnly('SELECT a = 1 FROM t')).toBe(true);
  });

  it('fromTable names the one table after the first top-level FROM', () => {
    expect(fromTable('SELECT * FROM t WHERE x = 1')).toBe('t');
    expect(fromTable('SELECT * FROM "my table"')).toBe('my table');
    expect(fromTable('SELECT * FROM "q""t"')).toBe('q"t');
    expect(fromTable('SELECT * FROM `a``b`')).toBe('a`b');
    expect(fromTable('SELECT * FROM [x""y]')).toBe('x""y');
    expect(fromTable('SELECT (SELECT 1 FROM u) FROM t')).toBe('t');
    expect(fromTable('SELECT * FROM t, u')).toBeNull();
    for (const j of ['JOIN', 'natural', 'CROSS', 'left', 'INNER']) expect(fromTable(`SELECT * FROM t ${j} u`), j).toBeNull();
    expect(fromTable('SELECT * FROM (SELECT 1)')).toBeNull();
    expect(fromTable('SELECT 1')).toBeNull();
    expect(fromTable('SELECT * FROM')).toBeNull();
    expect(fromTable('SELECT * FROM t AS x')).toBe('t');
  });
});

describe('runaway recursion guard', () => {
  it('finds each recursive CTE with its top-level LIMIT', () => {
    expect(recursiveCtes('WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM a LIMIT 5), "B" AS (SELECT 1 UNION SELECT 2 FROM B), c AS (SELECT 1) SELECT 1')).toEqual([
      { name: 'a', limit: 5 },
      { name: 'b', limit: null },
    ]);
    expect(recursiveCtes('WITH RECURSIVE a AS (SELECT 1 UNION ALL SELECT x FROM a WHERE x IN (SELECT 1 LIMIT 3) LIMIT ?) SELECT 1')).toEqual([{ name: 'a', limit: Infinity }]);
    // A LIMIT inside a subquery bounds nothing of the recursion…
    expect(recursiveCtes('WITH RECURSIVE a(x) AS (SELECT 1 UNION ALL SELECT x FROM a, (SELECT 1 LIMIT 3)) SELECT 1')).toEqual([{ name: 'a', limit: null }]);
    // …and a CTE that never names itself is not recursive, whatever keyword precedes it.
    expect(recursiveCtes('WITH RECURSIVE a AS (SELECT 1 UNION ALL SELECT x FROM (SELECT 1 LIMIT 3)) SELECT 1')).toEqual([]);
    expect(recursiveCtes('WITH a AS (SELECT 1 UNION SELECT 2) SELECT 1')).toEqual([]);
    expect(recursiveCtes("SELECT 'recursive'")).toEqual([]);
    expect(recursiveCtes('WITH RECURSIVE a')).toEqual([]);
    expect(recursiveCtes('WITH RECURSIVE a AS SELECT')).toEqual([]);
  });

  it('refuses a recursion without LIMIT or with one above the cap, and allows the cap', () => {
    expect(runawayReason('WITH RECURSIVE a AS (SELECT 1 UNION ALL SELECT 1 FROM a) SELECT 1')).toBe(
      'recursive query without LIMIT refused: it could run for ever (add LIMIT n to the recursive part)',
    );
    expect(runawayReason(`WITH RECURSIVE a AS (SELECT 1 UNION ALL SELECT 1 FROM a LIMIT ${MAX_RECURSION_ROWS + 1}) SELECT 1`)).toBe(
      'recursive query LIMIT 1000001 refused: at most 1000000 rows',
    );
    expect(runawayReason(`WITH RECURSIVE a AS (SELECT 1 UNION ALL SELECT 1 FROM a LIMIT ${MAX_RECURSION_ROWS}) SELECT 1`)).toBeNull();
    expect(runawayReason('SELECT 1')).toBeNull();
  });
});

describe('value size guard', () => {
  it('constant folds + - * / % and parentheses, and gives up on anything else', () => {
    const c = (sql: string) => constant(toks(sql));
    expect(c('1 + 2 * 3')).toBe(7);
    expect(c('(1 + 2) * 3')).toBe(9);
    expect(c('10 - 4 - 3')).toBe(3);
    expect(c('7 / 2')).toBe(3.5);
    expect(c('7 % 4')).toBe(3);
    expect(c('7 / 0')).toBe(0);
    expect(c('7 % 0')).toBe(0);
    expect(c('-3')).toBe(-3);
    expect(c('+3')).toBe(3);
    expect(c('- -3')).toBe(3);
    expect(c('1_000')).toBe(1000);
    expect(c('1e3')).toBe(1000);
    for (const bad of ['x', '1 + x', 'x * 2', '2 * x', '(1', '1 2', '', '- x', '1e400']) expect(c(bad), bad).toBeNull();
  });

  it('measures zeroblob, randomblob, printf and format from their literal arguments', () => {
    expect(builtValues('SELECT zeroblob(10), RandomBlob(2 * 3)').map((v) => [v.bytes, v.call, v.limit])).toEqual([
      [10, 'zeroblob(10)', MAX_VALUE_BYTES],
      [6, 'RandomBlob(2 * 3)', MAX_RANDOMBLOB_BYTES],
    ]);
    expect(builtValues('SELECT zeroblob(-5), zeroblob(2.7)').map((v) => v.bytes)).toEqual([0, 2]);
    expect(builtValues('SELECT zeroblob(n), zeroblob(1, 2), t.zeroblob(9), zeroblob').map((v) => v.bytes)).toEqual([]);
    expect(builtValues("SELECT printf('ab%5dcd', 1)")[0].bytes).toBe(9);
    expect(builtValues("SELECT printf('%-8s|%.3c', 'x', 'y')")[0].bytes).toBe(12);
    expect(builtValues("SELECT format('%*d', 20, 1)")[0].bytes).toBe(20);
    expect(builtValues("SELECT printf('%.*c', -30, 'x')")[0].bytes).toBe(30);
    expect(builtValues("SELECT printf('100%%')")[0].bytes).toBe(4);
    expect(builtValues("SELECT printf('%lld %d', 1, 2)")[0].bytes).toBe(3);
    expect(builtValues("SELECT printf('%*d')")[0].bytes).toBe(1);
    expect(builtValues("SELECT printf('%*d', n, 1)")).toEqual([]);
    expect(builtValues("SELECT printf('%.*d', n, 1)")).toEqual([]);
    expect(builtValues('SELECT printf(fmt, 1)')).toEqual([]);
    expect(builtValues("SELECT printf('%d' || 'x', 1)")).toEqual([]);
    expect(builtValues('SELECT 1')).toEqual([]);
    expect(builtValues('SELECT zeroblob(')).toEqual([]);
  });

  it('refuses a value over its cap with the call as written, shortened past 60 characters', () => {
    expect(sizeReason(`SELECT zeroblob(${MAX_VALUE_BYTES})`)).toBeNull();
    expect(sizeReason(`SELECT zeroblob(${MAX_VALUE_BYTES + 1})`)).toBe(
      `zeroblob(${MAX_VALUE_BYTES + 1}) refused: it would build a value of ${MAX_VALUE_BYTES + 1} bytes; at most 10 MB (${MAX_VALUE_BYTES} bytes). Use a smaller size.`,
    );
    expect(sizeReason(`SELECT randomblob(${MAX_RANDOMBLOB_BYTES + 1})`)).toContain('at most 1 MB (1048576 bytes)');
    const long = `zeroblob(${'1 + '.repeat(20)}${MAX_VALUE_BYTES})`;
    const reason = sizeReason(`SELECT ${long}`)!;
    expect(reason.startsWith(`${long.slice(0, 57)}... refused`)).toBe(true);
    const exactly60 = `zeroblob(${' '.repeat(60 - 'zeroblob()'.length - String(MAX_VALUE_BYTES + 1).length)}${MAX_VALUE_BYTES + 1})`;
    expect(exactly60).toHaveLength(60);
    expect(sizeReason(`SELECT ${exactly60}`)!.startsWith(`${exactly60} refused`)).toBe(true);
  });
});

describe('batching', () => {
  const cmd = (sql: string[], transaction = false) => ({ statements: sql.map((s) => ({ sql: s })), transaction, ts: 0 });

  it('takes plain writes and nothing that could touch the transaction', () => {
    expect(batchable(cmd(['INSERT INTO t VALUES (1)', '  update t SET a = 1', 'DELETE FROM t', 'REPLACE INTO t VALUES (2)']))).toBe(true);
    expect(batchable(cmd(['INSERT INTO t VALUES (1)'], true))).toBe(false);
    expect(batchable(cmd([]))).toBe(false);
    expect(batchable(cmd(['INSERT INTO t VALUES (1)', 'SELECT 1']))).toBe(false);
    for (const sql of ['SELECT 1', 'INSERT INTO t VALUES (1); COMMIT', 'INSERT INTO t SELECT CASE WHEN 1 THEN 2 END', 'INSERTED', 'UPDATE t SET a = 1 -- rollback']) {
      expect(batchable(cmd([sql])), sql).toBe(false);
    }
  });

  it('needs no trigger or ROLLBACK clause, foreign keys off and the default page limit', () => {
    expect(preconditionsHold([0, 0, 4294967294])).toBe(true);
    expect(preconditionsHold(undefined)).toBe(false);
    expect(preconditionsHold([1, 0, 4294967294])).toBe(false);
    expect(preconditionsHold([0, 1, 4294967294])).toBe(false);
    expect(preconditionsHold([0, 0, 1000])).toBe(false);
  });
});

describe('content hash and snapshot header', () => {
  it('Hasher is a deterministic two-lane FNV-1a: known digests, order matters', () => {
    expect(new Hasher().digest()).toBe('811c9dc5cbf29ce4');
    const ab = new Hasher().update('a').update('b').digest();
    expect(ab).toBe(new Hasher().update('ab').digest());
    expect(ab).not.toBe(new Hasher().update('ba').digest());
    expect(ab).toMatch(/^[0-9a-f]{16}$/);
    expect(new Hasher().update('a').digest()).not.toBe(new Hasher().update('b').digest());
    expect(new Hasher().update('\u0000').digest().slice(0, 8)).toBe('050c5d1f');
  });

  it('settings travel in a header before the SQLite file; a bare file has none', () => {
    const file = new Uint8Array([83, 81, 76, 1, 2, 3]);
    const both = withSettings(file, { foreign_keys: 1, automatic_index: 0 });
    expect(Array.from(both.subarray(0, 4))).toEqual([0x52, 0x4c, 0x53, 0x31]);
    const back = splitSettings(both);
    expect(Array.from(back.file)).toEqual(Array.from(file));
    expect(back.settings).toEqual({ foreign_keys: 1, automatic_index: 0 });
    expect(splitSettings(file)).toEqual({ file, settings: {} });
    const short = new Uint8Array([0x52, 0x4c, 0x53, 0x31, 0, 0, 0]);
    expect(splitSettings(short).settings).toEqual({});
    const almost = new Uint8Array([0x52, 0x4c, 0x53, 0x32, 0, 0, 0, 2, 123, 125]);
    expect(splitSettings(almost).file).toBe(almost);
    const offset = new Uint8Array([9, ...both]).subarray(1);
    expect(splitSettings(offset).settings).toEqual({ foreign_keys: 1, automatic_index: 0 });
  });
});
