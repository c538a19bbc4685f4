/**
 * random() and randomblob() as a node runs them (functions.ts): drawn from the running command's
 * SplitMix64 source, seeded by its log index (a query's by the applied index and its text), so the
 * values are known in advance; randomblob's size read as SQLite reads it, and capped at 1 MB.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { installFunctions } from '../../src/db/functions';
import { RandomSource, seedOf } from '../../src/db/random';
import { MAX_RANDOMBLOB_BYTES } from '../../src/db/size';
import { loadSqlJs } from '../../src/db/sqljs';
import type { SqlParam } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const exact = (v: bigint) => (v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v);

describe('random()', () => {
  it("in a command draws the command's stream, one value per call, exactly as a 64-bit integer", () => {
    const d = NodeDatabase.create(SQL);
    d.execute({ statements: [{ sql: 'CREATE TABLE t(k INTEGER PRIMARY KEY, r)' }], transaction: false, ts: 0, seed: 1 });
    d.execute({ statements: [{ sql: 'INSERT INTO t(r) VALUES (random()), (random())' }], transaction: false, ts: 0, seed: 9 });
    const src = new RandomSource(9);
    expect(d.query([{ sql: 'SELECT r FROM t ORDER BY k' }])[0].values).toEqual([[exact(src.int64())], [exact(src.int64())]]);
    // Without a seed, the command's timestamp seeds it.
    d.execute({ statements: [{ sql: 'INSERT INTO t(r) VALUES (random())' }], transaction: false, ts: 77 });
    expect(d.query([{ sql: 'SELECT r FROM t WHERE k = 3' }])[0].values).toEqual([[exact(new RandomSource(77).int64())]]);
  });

  it('in a query draws from the applied index and the text', () => {
    const d = NodeDatabase.create(SQL);
    const sql = 'SELECT random()';
    const [r] = d.query([{ sql }], undefined, { ts: 0, seed: 12 });
    expect(r.values).toEqual([[exact(new RandomSource(seedOf(`12\u0000${sql}`)).int64())]]);
    expect(r.types).toEqual(['integer']);
  });
});

describe('outside a command or a query', () => {
  it('random() and randomblob() still answer, from the fixed source (the table browser, a hash)', () => {
    const db = new SQL.Database();
    installFunctions(SQL, db);
    expect(db.exec('SELECT typeof(random()), length(randomblob(4))')[0].values).toEqual([['integer', 4]]);
    db.close();
  });
});

describe('randomblob()', () => {
  const blob = (size: string, params?: SqlParam[]) => {
    const d = NodeDatabase.create(SQL);
    d.execute({ statements: [{ sql: 'CREATE TABLE t(b)' }], transaction: false, ts: 0, seed: 1 });
    const r = d.execute({ statements: [{ sql: `INSERT INTO t VALUES (randomblob(${size}))`, params }], transaction: false, ts: 0, seed: 5 });
    return r[0].error ?? d.query([{ sql: 'SELECT hex(b) FROM t' }])[0].values![0][0];
  };

  it("gives the command's bytes", () => {
    expect(blob('3')).toBe(hex(new RandomSource(5).bytes(3)));
    expect(blob('?', [10])).toBe(hex(new RandomSource(5).bytes(10)));
  });

  it('reads its size as SQLite does: whole bytes, at least one', () => {
    const one = hex(new RandomSource(5).bytes(1));
    for (const size of ['0', '-5', 'NULL', "'abc'", '0.5']) expect(blob(size), size).toBe(one);
    expect(blob('2.9')).toBe(hex(new RandomSource(5).bytes(2)));
    expect(blob("'4'")).toBe(hex(new RandomSource(5).bytes(4)));
  });

  it(`builds at most ${MAX_RANDOMBLOB_BYTES} bytes, whatever the size is computed from`, () => {
    const d = NodeDatabase.create(SQL);
    const len = (n: number) => d.query([{ sql: 'SELECT length(randomblob(?))', params: [n] }])[0];
    expect(len(MAX_RANDOMBLOB_BYTES).values).toEqual([[MAX_RANDOMBLOB_BYTES]]);
    expect(len(MAX_RANDOMBLOB_BYTES + 1).error).toBe(
      `randomblob(${MAX_RANDOMBLOB_BYTES + 1}) refused: it would build a value of ${MAX_RANDOMBLOB_BYTES + 1} bytes; at most 1 MB (${MAX_RANDOMBLOB_BYTES} bytes). Use a smaller size.`,
    );
  });
});
