/**
 * rewriteSql (rewrite.ts) at its edges: what a column DEFAULT keeps (a nested call, a signed
 * CURRENT_TIMESTAMP), calls it must not mistake for random()/randomblob(), the randomblob size cap,
 * the form a drawn value is written in, and SQL cut short (the leader must not throw on it: the
 * nodes report SQLite's syntax error). Each pins a rule that mutation testing found unchecked.
 */
import { describe, expect, it } from 'vitest';
import { isNonDeterministic, rewriteSql, type RewriteEnv } from '../../src/db/rewrite';
import { MAX_RANDOMBLOB_BYTES } from '../../src/db/size';

/** Draws `values` in turn (then 7); bytes are all 0xAB; the clock is 2026-01-02 03:04:05.678 UTC. */
const env = (...values: bigint[]): RewriteEnv => ({
  nowMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  randomInt64: () => values.shift() ?? 7n,
  randomBytes: (k) => new Uint8Array(k).fill(0xab),
});

describe('a column DEFAULT is evaluated where the row is written, so it is left as written', () => {
  it('the whole parenthesised expression, past the nested calls inside it', () => {
    const sql = 'CREATE TABLE t(a, r DEFAULT (abs(1) + random()), s DEFAULT ((1) * random()))';
    expect(rewriteSql(sql, env())).toBe(sql);
  });

  it('a signed CURRENT_TIMESTAMP or CURRENT_DATE (SQLite accepts DEFAULT -term and +term)', () => {
    const sql = 'CREATE TABLE t(a DEFAULT -CURRENT_TIMESTAMP, b DEFAULT +CURRENT_DATE)';
    expect(rewriteSql(sql, env())).toBe(sql);
    expect(isNonDeterministic(sql)).toBe(false);
  });

  it('only the DEFAULT itself: the statements around it in the same text are rewritten', () => {
    expect(rewriteSql('CREATE TABLE t(a DEFAULT (random())); INSERT INTO t VALUES (random())', env(5n))).toBe(
      'CREATE TABLE t(a DEFAULT (random())); INSERT INTO t VALUES (5)',
    );
    // …and the one before it.
    expect(rewriteSql('SELECT random(); CREATE TABLE u(a DEFAULT 1)', env(5n))).toBe(
      'SELECT 5; CREATE TABLE u(a DEFAULT 1)',
    );
  });

  it('but nothing else of a CREATE TABLE: a query it copies rows from is rewritten', () => {
    expect(rewriteSql('CREATE TABLE t AS SELECT random() AS r, CURRENT_DATE AS d', env(5n))).toBe(
      "CREATE TABLE t AS SELECT 5 AS r, '2026-01-02' AS d",
    );
  });
});

describe('only the calls the leader can compute are rewritten', () => {
  it('random() with arguments is left for SQLite to refuse (wrong number of arguments)', () => {
    expect(rewriteSql('SELECT random(1)', env())).toBe('SELECT random(1)');
  });

  it('randomblob of anything but one literal number is left for the nodes to draw alike', () => {
    for (const sql of ['SELECT randomblob(4 + 1)', 'SELECT randomblob(4, 5)']) expect(rewriteSql(sql, env()), sql).toBe(sql);
  });

  it("'now' is read only as the argument of a date function still open, not after it closed", () => {
    expect(rewriteSql("SELECT date('2020-01-01'), 'now'", env())).toBe("SELECT date('2020-01-01'), 'now'");
  });

  it('a call of another function on a number is not a randomblob', () => {
    expect(rewriteSql('SELECT abs(3), CURRENT_DATE', env())).toBe("SELECT abs(3), '2026-01-02'");
  });

  it("a parameter named :now, $now or @now is the caller's value, not 'now'", () => {
    for (const p of [':now', '$now', '@now']) {
      const sql = `SELECT date(${p}), CURRENT_TIME`;
      expect(rewriteSql(sql, env()), p).toBe(`SELECT date(${p}), '03:04:05'`);
    }
  });

  it(`randomblob of exactly ${MAX_RANDOMBLOB_BYTES} bytes is rewritten; one byte more is left for every node to refuse`, () => {
    const at = rewriteSql(`SELECT randomblob(${MAX_RANDOMBLOB_BYTES})`, env());
    expect(at).toBe(`SELECT X'${'AB'.repeat(MAX_RANDOMBLOB_BYTES)}'`);
    const over = `SELECT randomblob(${MAX_RANDOMBLOB_BYTES + 1})`;
    expect(rewriteSql(over, env())).toBe(over);
  });
});

describe('the value drawn, as written into the log', () => {
  it('a non-negative draw is written bare, a negative one in parentheses (so 5-random() never reads as 5--…)', () => {
    expect(rewriteSql('SELECT random(), 5-random()', env(42n, -3n))).toBe('SELECT 42, 5-(-3)');
  });
});

describe('isNonDeterministic: whether the leader would rewrite the SQL', () => {
  it.each(['SELECT random()', 'SELECT randomblob(3)', 'SELECT CURRENT_TIMESTAMP', "SELECT date('now')"])(
    '%s: yes',
    (sql) => {
      expect(isNonDeterministic(sql)).toBe(true);
    },
  );
});

describe('SQL cut short is returned as it is, without throwing', () => {
  it.each([
    '/* random() */',
    '-- CURRENT_DATE',
    'SELECT random(',
    'SELECT randomblob(',
    'SELECT randomblob(4',
    'CREATE TABLE now(a DEFAULT',
    'CREATE TABLE now(a DEFAULT -',
    'CREATE TABLE t(a DEFAULT (random(',
  ])('%s', (sql) => {
    expect(rewriteSql(sql, env())).toBe(sql);
  });
});
