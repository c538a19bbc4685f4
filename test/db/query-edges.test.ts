/**
 * What a read (NodeDatabase.query) and a snapshot (export) leave behind on a node: nothing a later
 * write or read can tell, even when the read was refused; and where a query runs when the caller
 * names no environment.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ROWS, NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const command = (sql: string, seed = 1): Command => ({
  statements: [{ sql }],
  transaction: false,
  ts: 1_700_000_000_000,
  seed,
});
const one = (d: NodeDatabase, sql: string) => d.query([{ sql }])[0];

describe('a query refused as a write', () => {
  it('changes no setting, not even while its text is checked: a pragma with a value stays unset', () => {
    const d = NodeDatabase.create(SQL);
    for (const sql of ['PRAGMA foreign_keys = ON', 'PRAGMA recursive_triggers = 1']) {
      expect(one(d, sql).error, sql).toMatch(/^attempt to change database via query operation/);
    }
    expect(one(d, 'PRAGMA foreign_keys').values).toEqual([[0]]);
    expect(one(d, 'PRAGMA recursive_triggers').values).toEqual([[0]]);
  });
});

describe('a query with no environment given', () => {
  it('runs at time 0 with seed 0: the same answers as naming them', () => {
    const d = NodeDatabase.create(SQL);
    const sql = [{ sql: "SELECT datetime('now'), random()" }, { sql: 'SELECT random()' }];
    const got = d.query(sql);
    expect(got[0].values?.[0][0]).toBe('1970-01-01 00:00:00');
    expect(got).toEqual(d.query(sql, DEFAULT_MAX_ROWS, { ts: 0, seed: 0 }));
    expect(got).not.toEqual(d.query(sql, DEFAULT_MAX_ROWS, { ts: 0, seed: 1 }));
  });
});

describe('a snapshot between writes', () => {
  it('changes no answer, even after a failed statement whose earlier parts were run again', () => {
    const node = () => {
      const d = NodeDatabase.create(SQL);
      d.execute(command('CREATE TABLE t(a INTEGER) STRICT'));
      // The first INSERT stands (run again after the second one failed), the second leaves nothing.
      expect(
        d.execute(command("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2), ('x')"))[0].error,
      ).toMatch(/cannot store TEXT/);
      return d;
    };
    const snapshotted = node();
    const twin = node();
    snapshotted.export();
    const next = command('INSERT INTO t VALUES (3)', 2);
    expect(snapshotted.execute(next)).toEqual([{ last_insert_id: 2, rows_affected: 1 }]);
    expect(twin.execute(next)).toEqual([{ last_insert_id: 2, rows_affected: 1 }]);
  });
});
