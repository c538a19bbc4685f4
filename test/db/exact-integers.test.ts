import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { toJson } from '../../src/db/json';
import { loadSqlJs } from '../../src/db/sqljs';
import { readTables, type ResultSet } from '../../src/replay/databases';
import { runScenarioText } from '../../src/store/runScenario';
import { loadMemory, saveMemory } from '../../src/store/tours/memory';
import { getSim, useStore } from '../../src/store/store';
import { ResultTable } from '../../src/ui/ResultView';
import { rows, run } from '../helpers/scenario';

const BIG = 9007199254740993n; // 2^53 + 1: the nearest double is 2^53
const BIG_ROWID = 8623765150774415782n; // a random() value of scenario 07, rounded to …4415000 before

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const cmd = (sql: string) => ({ statements: [{ sql }], transaction: false, ts: 0 });

describe('64-bit integers leave the database exactly', () => {
  it('reads an INTEGER past 2^53 as a bigint, every other value as before', () => {
    const db = NodeDatabase.create(SQL);
    const [r] = db.query([{ sql: 'SELECT 9007199254740993, -9223372036854775808, 9007199254740991, 1e20, 2.5, 9007199254740992' }]);
    expect(r.values).toEqual([[BIG, -9223372036854775808n, 9007199254740991, 1e20, 2.5, 9007199254740992n]]);
    expect(r.types).toEqual(['integer', 'integer', 'integer', 'integer', 'real', 'integer']);
    expect(typeof r.values![0][2]).toBe('number'); // a safe integer stays a number
    expect(typeof r.values![0][3]).toBe('number'); // a REAL, even a whole one, stays a number
  });

  it('keeps last_insert_id, table views and the content hash exact', () => {
    const db = NodeDatabase.create(SQL);
    db.execute(cmd('CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)'));
    expect(db.execute(cmd(`INSERT INTO t VALUES(${BIG_ROWID}, ${BIG})`))).toEqual([{ last_insert_id: BIG_ROWID, rows_affected: 1 }]);
    expect(db.tables()[0].rows).toEqual([[BIG_ROWID, BIG]]);
    const other = NodeDatabase.create(SQL);
    other.execute(cmd('CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)'));
    other.execute(cmd(`INSERT INTO t VALUES(${BIG_ROWID}, ${BIG - 1n})`)); // the same double, another integer
    expect(other.hash()).not.toBe(db.hash());
  });
});

describe('64-bit integers through the cluster, the page and the UI', () => {
  const scenario = {
    nodes: 3,
    seed: 5,
    steps: [
      { waitFor: 'leader' },
      { execute: 'CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)' },
      { execute: `INSERT INTO t VALUES(${BIG_ROWID}, ${BIG})` },
      { waitFor: 'converged' },
      ...['n1', 'n2', 'n3'].map((node) => ({ query: 'SELECT 9007199254740993', node, level: 'none' })),
      ...['n1', 'n2', 'n3'].map((node) => ({ query: 'SELECT id, v FROM t', node, level: 'none' })),
    ],
  };

  it('answers exactly on every node, and prints the digits as JSON', async () => {
    const out = await run(scenario);
    expect((out.steps[2].result as { results: ResultSet[] }).results[0].last_insert_id).toBe(BIG_ROWID);
    for (const i of [4, 5, 6]) expect(rows(out, i)).toEqual([[BIG]]);
    for (const i of [7, 8, 9]) expect(rows(out, i)).toEqual([[BIG_ROWID, BIG]]);
    const text = toJson(out);
    expect(text).toContain(`"values":[[${BIG_ROWID},${BIG}]]`);
    expect(text).toContain(`"last_insert_id":${BIG_ROWID}`);
    expect(() => JSON.parse(text)).not.toThrow(); // still valid JSON
  });

  it('shows the digits in the table browser of every node and in the console result table', async () => {
    await useStore.getState().init(async () => SQL);
    const res = runScenarioText(JSON.stringify(scenario));
    if (!res.ok) throw new Error(res.error);
    for (const node of ['n1', 'n2', 'n3']) expect(readTables(getSim()!, node)).toEqual([{ name: 't', columns: ['id', 'v'], rows: [[BIG_ROWID, BIG]] }]);
    const answer = { columns: ['id', 'v'], types: ['integer', 'integer'], values: [[BIG_ROWID, BIG]] };
    const html = renderToStaticMarkup(createElement(ResultTable, { r: answer, rolledBack: false }));
    expect(html).toContain(`<td>${BIG_ROWID}</td><td>${BIG}</td>`);
    const insert = renderToStaticMarkup(createElement(ResultTable, { r: { last_insert_id: BIG_ROWID, rows_affected: 1 }, rolledBack: false }));
    expect(insert).toContain(`last insert id ${BIG_ROWID}`);
  });
});

describe('a tour saved for a reload', () => {
  it('keeps the exact integers of its results', () => {
    const results = [{ i: 0, ok: true, at: 5, node: 'n1', result: { results: [{ values: [[BIG, 1, { $bigint: 'x' }]] }] }, error: null }];
    saveMemory({ id: 't', index: 1, cursor: 1, vars: {}, results, options: '{}' });
    expect(loadMemory()?.results).toEqual(results);
    saveMemory(null);
  });
});

describe('toJson', () => {
  it('is JSON.stringify for any value without a bigint', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2), (v, space) => {
        expect(toJson(v, space)).toBe(JSON.stringify(v, null, space));
      }),
    );
  });

  it('writes a bigint as its digits, anywhere', () => {
    expect(toJson({ a: [1n, -BIG], b: { c: BIG } })).toBe(`{"a":[1,-${BIG}],"b":{"c":${BIG}}}`);
    expect(toJson([BIG], 1)).toBe(`[\n ${BIG}\n]`);
  });
});
