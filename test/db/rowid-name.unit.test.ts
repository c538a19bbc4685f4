/**
 * How the largest-rowid check names a table's rowid (largestRowid.ts `rowidName`): through the first
 * alias no column hides, else through the INTEGER PRIMARY KEY, else not at all (then no statement can
 * set the rowid by name either).
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowidName } from '../../src/db/largestRowid';
import { loadSqlJs } from '../../src/db/sqljs';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

function nameFor(columns: string, table = 't'): string | null {
  const db = new SQL.Database();
  db.run(`CREATE TABLE "${table.replace(/"/g, '""')}"(${columns})`);
  return rowidName(db, table);
}

describe('rowidName', () => {
  it('takes the first of _rowid_, rowid, oid that no column hides, whatever its case', () => {
    expect(nameFor('v')).toBe('_rowid_');
    expect(nameFor('_rowid_, v')).toBe('rowid');
    expect(nameFor('"_ROWID_", "RowId", v')).toBe('oid');
    expect(nameFor('rowid, v')).toBe('_rowid_');
    expect(nameFor('_rowid_, v', "it's")).toBe('rowid');
  });

  it('with every alias hidden, takes the INTEGER PRIMARY KEY under its own name, quoted', () => {
    expect(nameFor('_rowid_, rowid, oid, id INTEGER PRIMARY KEY')).toBe('"id"');
    expect(nameFor('_rowid_, rowid, oid, "my""id" integer PRIMARY KEY')).toBe('"my""id"');
    expect(nameFor('_rowid_, rowid, oid, id INTEGER PRIMARY KEY', "it's")).toBe('"id"');
  });

  it('with every alias hidden, finds none without a one-column INTEGER PRIMARY KEY', () => {
    expect(nameFor('_rowid_, rowid, oid')).toBeNull();
    expect(nameFor('_rowid_, rowid, oid, id INT PRIMARY KEY')).toBeNull();
    expect(nameFor('_rowid_, rowid, oid, a INTEGER, b INTEGER, PRIMARY KEY (a, b)')).toBeNull();
  });
});
