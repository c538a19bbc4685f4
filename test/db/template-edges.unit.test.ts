/** templateOf (template.ts) at the edges of its scanner: SQLite's whitespace, comments, quotes, words and limits. */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { templateOf } from '../../src/db/template';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe('templateOf at the edges of its scan', () => {
  it('reads every digit, and every identifier character, as SQLite does', () => {
    expect(templateOf('INSERT INTO t VALUES (0, 9, 10, 19, 2147483647)')).toEqual({ sql: 'INSERT INTO t VALUES (?, ?, ?, ?, ?)', values: [0, 9, 10, 19, 2147483647] });
    // A word that only begins with VALUES is a name (any ASCII letter, `_`, a digit or a non-ASCII character after it).
    for (const name of ['valuesz', 'VALUESZ', 'values_t', 'values1', 'valuesé', 'valuesx'])
      expect(templateOf(`INSERT INTO ${name} VALUES (1)`), name).toEqual({ sql: `INSERT INTO ${name} VALUES (?)`, values: [1] });
    // A quoted name VALUES is no keyword either.
    expect(templateOf("INSERT INTO 'values' VALUES (1)")).toEqual({ sql: "INSERT INTO 'values' VALUES (?)", values: [1] });
    expect(templateOf('INSERT INTO `values` VALUES (1)')).toEqual({ sql: 'INSERT INTO `values` VALUES (?)', values: [1] });
  });

  it('skips the five whitespace characters and both comment forms around and after every literal', () => {
    const sql = "INSERT INTO t VALUES\t(1\t,2\n,3\f,4\r,5 -- c\n,6-- d\n,7/* e */,/* f */8 /*/ g */, '*a')\r\n,\f(9, 10, 11, 12, 13, 14, 15, 16, 17) -- end";
    expect(templateOf(sql)).toEqual({
      sql: "INSERT INTO t VALUES\t(?\t,?\n,?\f,?\r,? -- c\n,?-- d\n,?/* e */,/* f */? /*/ g */, ?)\r\n,\f(?, ?, ?, ?, ?, ?, ?, ?, ?) -- end",
      values: [1, 2, 3, 4, 5, 6, 7, 8, '*a', 9, 10, 11, 12, 13, 14, 15, 16, 17],
    });
    expect(templateOf("\n INSERT INTO t VALUES ('x')")).toEqual({ sql: "\n INSERT INTO t VALUES (?)", values: ['x'] });
    expect(templateOf("INSERT INTO t VALUES (- 1, -\t'x')")).toEqual({ sql: 'INSERT INTO t VALUES (- ?, -\t?)', values: [1, 'x'] });
    // And the text it gives binds to the same row as the literal text inserts.
    const db = new SQL.Database();
    db.run('CREATE TABLE t(a, b, c, d, e, f, g, h, i)');
    const t = templateOf(sql);
    db.run(sql);
    if (t) db.run(t.sql, t.values as (number | string)[]);
    const rows = db.exec('SELECT * FROM t')[0].values;
    expect(rows).toHaveLength(4);
    expect(rows.slice(2)).toEqual(rows.slice(0, 2));
    db.close();
  });

  it('leaves alone a VALUES that is not the rows inserted, or text that is no plain INSERT', () => {
    for (const sql of [
      'INSERT INTO t SELECT 1 UNION ALL VALUES (2)',
      'INSERT INTO t SELECT~1 UNION ALL VALUES (2)',
      'INSERT INTO t SELECT[a] FROM u UNION ALL VALUES (2)',
      'INSERT INTO t SELECT (1)',
      // Not an INSERT: a view may not hold parameters, so its VALUES must stay literal.
      'CREATE VIEW v AS VALUES (1)',
      "CREATE VIEW v AS VALUES ('insert')",
      // A VALUES inside an unterminated comment is no keyword.
      'INSERT INTO t /* VALUES (1)',
      // No VALUES keyword at all.
      'INSERT INTO t(a) VALUE (1)',
      // Text SQLite does not know: an illegal character, a `/` that opens no comment, a word where `(` belongs.
      'INSERT INTO values\u007f VALUES (1)',
      'INSERT INTO t VALUES (1 /x*/, 2)',
      'INSERT INTO t VALUES x1)',
      'INSERT INTO t VALUES (1, TRUE)',
    ]) expect(templateOf(sql), sql).toBeNull();
  });

  it('binds at most 100 values; more stay in the text', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => i).join(', ');
    expect(templateOf(`INSERT INTO t VALUES (${list(100)})`)?.values).toHaveLength(100);
    expect(templateOf(`INSERT INTO t VALUES (${list(101)})`)).toBeNull();
  });

  it('an unterminated quoted name before VALUES leaves the text alone', () => {
    expect(templateOf('INSERT INTO "t VALUES (1)')).toBeNull();
  });
});
