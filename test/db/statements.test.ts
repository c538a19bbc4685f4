import { describe, expect, it } from 'vitest';
import { admissionRefusal } from '../../src/db/admission';
import { wrappable } from '../../src/db/largestRowid';
import { isReadOnly } from '../../src/db/readonly';
import { splitStatements } from '../../src/db/statements';
import { buildOp } from '../../src/store/sql';

const settings = { level: 'weak' as const, transaction: false, queue: false, timeout: 5000 };

describe('statements are split by the SQL tokenizer', () => {
  it('splits at a `;` in code only', () => {
    expect(splitStatements('/* a; b */ SELECT 1')).toEqual(['/* a; b */ SELECT 1']);
    expect(splitStatements("SELECT 'a;b'")).toEqual(["SELECT 'a;b'"]);
    expect(splitStatements('SELECT 1 --; not a split\n, 2')).toEqual(['SELECT 1 --; not a split\n, 2']);
    expect(splitStatements('SELECT 1 -- a trailing note; not a split')).toEqual(['SELECT 1']);
    expect(splitStatements('SELECT "a;b", [c;d], `e;f` FROM t')).toEqual(['SELECT "a;b", [c;d], `e;f` FROM t']);
    expect(splitStatements("SELECT 1; SELECT 'x;y';\n SELECT 3 ;")).toEqual(['SELECT 1', "SELECT 'x;y'", 'SELECT 3']);
  });

  it('leaves out pieces with nothing but spaces and comments', () => {
    expect(splitStatements(' ; ;; -- only a comment\n /* and another */ ')).toEqual([]);
    expect(splitStatements('SELECT 1; -- done')).toEqual(['SELECT 1']);
  });

  it("keeps a trigger's body in its statement, as SQLite does", () => {
    const trigger = 'CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = CASE WHEN 1 THEN 2 END; INSERT INTO u VALUES(1); END';
    expect(splitStatements(`${trigger}; SELECT 1`)).toEqual([trigger, 'SELECT 1']);
    expect(splitStatements('create trigger x after delete on t begin delete from u; end;')).toEqual(['create trigger x after delete on t begin delete from u; end']);
    const body = 'TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END';
    for (const prefix of ['EXPLAIN CREATE', 'EXPLAIN QUERY PLAN CREATE', 'CREATE TEMPORARY']) {
      expect(splitStatements(`${prefix} ${body}; SELECT 3`), prefix).toEqual([`${prefix} ${body}`, 'SELECT 3']);
    }
    // Only CREATE … TRIGGER holds a body: other statements naming a trigger end at their `;`.
    expect(splitStatements('DROP TRIGGER tr; SELECT 1')).toEqual(['DROP TRIGGER tr', 'SELECT 1']);
    expect(splitStatements('CREATE TABLE a(v); CREATE TABLE b(v)')).toEqual(['CREATE TABLE a(v)', 'CREATE TABLE b(v)']);
  });

  it('the console sends what the tokenizer splits, on the read path only when every statement reads', () => {
    expect(buildOp('/* a; b */ SELECT 1', settings)).toEqual({ op: 'query', req: { statements: [{ sql: '/* a; b */ SELECT 1' }], level: 'weak', timeout: 5000, freshness: undefined } });
    expect(buildOp("SELECT 'a;b'; -- c;", settings)?.req.statements).toEqual([{ sql: "SELECT 'a;b'" }]);
    const op = buildOp("INSERT INTO t VALUES('x;y'); SELECT 1", settings);
    expect(op?.op).toBe('execute');
    expect(op?.req.statements).toEqual([{ sql: "INSERT INTO t VALUES('x;y')" }, { sql: 'SELECT 1' }]);
    expect(buildOp(' -- nothing\n', settings)).toBeNull();
  });

  it('the nodes split alike: what reads, what may be wrapped, what is refused', () => {
    expect(isReadOnly("SELECT ';DELETE FROM t'")).toBe(true);
    expect(isReadOnly('/* ; */ SELECT 1; DELETE FROM t')).toBe(false);
    expect(wrappable("INSERT INTO t VALUES('; BEGIN')")).toBe(true);
    expect(wrappable('INSERT INTO t VALUES(1); BEGIN')).toBe(false);
    expect(admissionRefusal("SELECT '; ATTACH x AS y'", 'query')).toBeNull();
    expect(admissionRefusal("SELECT 1; ATTACH 'x' AS y", 'log')).not.toBeNull();
  });
});
