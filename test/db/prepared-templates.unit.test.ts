/** PreparedTemplates (prepared.ts): a shape is prepared once per connection, and the kept statements stay bounded. */
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PreparedTemplates } from '../../src/db/prepared';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Template } from '../../src/db/template';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A connection whose prepare and free calls are counted. */
function counted(): { db: Database; prepares: () => number; frees: () => number } {
  const db = new SQL.Database();
  db.run('CREATE TABLE t(v, shape)');
  let frees = 0;
  const prepare = db.prepare.bind(db);
  const spy = vi.spyOn(db, 'prepare').mockImplementation((sql, params) => {
    const stmt = prepare(sql, params);
    const free = stmt.free.bind(stmt);
    stmt.free = () => {
      frees++;
      return free();
    };
    return stmt;
  });
  return { db, prepares: () => spy.mock.calls.length, frees: () => frees };
}

/** Shape `n`: its own text, one value bound. */
const shape = (n: number, v: number): Template => ({ sql: `INSERT INTO t(v, shape) VALUES (?, ${n})`, values: [v] });
const rows = (db: Database) => db.exec('SELECT v, shape FROM t ORDER BY rowid')[0]?.values ?? [];

describe('PreparedTemplates', () => {
  it('prepares a shape once and binds each write of it, alongside other shapes', () => {
    const { db, prepares, frees } = counted();
    const p = new PreparedTemplates(db);
    p.run(shape(1, 10));
    p.run(shape(1, 11));
    p.run(shape(2, 20));
    p.run(shape(1, 12));
    expect(rows(db)).toEqual([[10, 1], [11, 1], [20, 2], [12, 1]]);
    expect(prepares()).toBe(2);
    expect(frees()).toBe(0);
    db.close();
  });

  it('keeps at most 64 shapes: the 65th frees them all, and an earlier shape is prepared again', () => {
    const { db, prepares, frees } = counted();
    const p = new PreparedTemplates(db);
    for (let n = 1; n <= 64; n++) p.run(shape(n, n));
    expect(prepares()).toBe(64);
    expect(frees()).toBe(0);
    p.run(shape(65, 65));
    expect(frees()).toBe(64);
    p.run(shape(65, 66));
    p.run(shape(1, 1));
    expect(prepares()).toBe(66);
    expect(rows(db)).toHaveLength(67);
    db.close();
  });

  it('clear() frees every kept statement; the next write of a shape prepares it again', () => {
    const { db, prepares, frees } = counted();
    const p = new PreparedTemplates(db);
    p.run(shape(1, 1));
    p.run(shape(2, 2));
    p.clear();
    expect(frees()).toBe(2);
    p.run(shape(1, 3));
    expect(prepares()).toBe(3);
    expect(rows(db)).toEqual([[1, 1], [2, 2], [3, 1]]);
    db.close();
  });

  it('a write that fails throws SQLite\'s message, keeps the shape, and the next write of it succeeds', () => {
    const { db, prepares } = counted();
    db.run('CREATE UNIQUE INDEX tv ON t(v)');
    const p = new PreparedTemplates(db);
    p.run(shape(1, 1));
    expect(() => p.run(shape(1, 1))).toThrow('UNIQUE constraint failed: t.v');
    p.run(shape(1, 2));
    expect(prepares()).toBe(1);
    expect(rows(db)).toEqual([[1, 1], [2, 1]]);
    expect(() => p.run({ sql: 'INSERT INTO nosuch VALUES (?)', values: [1] })).toThrow('no such table: nosuch');
    db.close();
  });
});
