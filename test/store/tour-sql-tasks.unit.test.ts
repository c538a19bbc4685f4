import { describe, expect, it } from 'vitest';
import type { Input } from '../../src/replay/simulation';
import { sqlDoes } from '../../src/store/tours/sqlTask';
import { explainMiss, satisfies } from '../../src/store/tours/tasks';
import type { Task } from '../../src/store/tours/types';

const run = (...sql: string[]) => sql.map((s) => ({ sql: s }));

describe('a tour step asking for an INSERT', () => {
  it('takes an INSERT, a REPLACE, one after a WITH clause, or one among several statements', () => {
    for (const sql of ["INSERT INTO t VALUES(1)", "  -- note\n insert into t values(1)", "REPLACE INTO t VALUES(1)", 'WITH x(v) AS (SELECT 1) INSERT INTO t SELECT v FROM x', "SELECT 1; INSERT INTO t VALUES(2)"]) {
      expect(sqlDoes('insert', run(sql)), sql).toBe(true);
    }
    expect(sqlDoes('insert', run('SELECT 1', 'INSERT INTO t VALUES(2)'))).toBe(true);
  });

  it('does not take the word insert in a comment, a string, a name or a CTE body', () => {
    for (const sql of ['-- insert\nSELECT 1', "/* INSERT */ DELETE FROM t", "UPDATE t SET v = 'insert'", 'SELECT "insert" FROM t', 'CREATE TABLE inserts(v)', 'WITH x AS (SELECT 1) SELECT * FROM x', 'CREATE TRIGGER g AFTER DELETE ON t BEGIN INSERT INTO u VALUES(1); END']) {
      expect(sqlDoes('insert', run(sql)), sql).toBe(false);
    }
  });
});

describe('a tour step asking for something nondeterministic', () => {
  it('takes random(), randomblob(), the time now and CURRENT_TIMESTAMP', () => {
    for (const sql of ['INSERT INTO r VALUES(random())', 'INSERT INTO r VALUES(randomblob(8))', "INSERT INTO r VALUES(datetime('now'))", 'INSERT INTO r VALUES(CURRENT_TIMESTAMP)']) {
      expect(sqlDoes('nondeterministic', run(sql)), sql).toBe(true);
    }
  });

  it('does not take the words in strings or comments, which every node evaluates alike', () => {
    for (const sql of ["INSERT INTO r VALUES('random()')", "INSERT INTO r VALUES('now') -- random()", "INSERT INTO r VALUES('current_timestamp')"]) {
      expect(sqlDoes('nondeterministic', run(sql)), sql).toBe(false);
    }
  });
});

describe('satisfies and explainMiss on a request task', () => {
  const task: Task = { kind: 'request', op: 'execute', sql: 'insert', prompt: 'Send an INSERT.', example: "INSERT INTO notes(body) VALUES('hello')" };
  const input = (sql: string): Input => ({ frame: 0, time: 0, action: { kind: 'request', id: 1, node: 'n1', body: { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } } } });

  it('accepts the example and explains a near miss in words, naming what the step wants', () => {
    expect(satisfies(task, input(task.example), undefined)).toBe(true);
    expect(explainMiss(task, input(task.example), undefined, {})).toBeNull();
    const miss = input("UPDATE notes SET body = 'insert'");
    expect(satisfies(task, miss, undefined)).toBe(false);
    expect(explainMiss(task, miss, undefined, {})).toBe(`This step asks for an INSERT, for instance: ${task.example}`);
  });
});
