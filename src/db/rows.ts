// A read on a node's database shaped as rqlite answers it (moved out of database.ts, unchanged).
import type { BindParams, Database } from 'sql.js';
import { fromTable } from './readonly';
import { readRow } from './values';
import type { QueryResult, SqlParam, SqlValue, Statement } from './types';

export function bind(params: SqlParam[] | undefined): BindParams | undefined {
  if (!params || params.length === 0) return undefined;
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function typeOf(v: SqlValue): string {
  if (v === null) return '';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'real';
  if (typeof v === 'string') return 'text';
  return 'blob';
}

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Run one read and shape its rows as rqlite does: columns, declared (or seen) types, values. */
export function readRows(db: Database, s: Statement, maxRows: number): QueryResult {
  const stmt = db.prepare(s.sql);
  try {
    const params = bind(s.params);
    if (params) stmt.bind(params);
    const columns = stmt.getColumnNames();
    const values: SqlValue[][] = [];
    while (stmt.step()) {
      if (values.length >= maxRows) return { error: `query result exceeds ${maxRows} rows` };
      values.push(readRow(stmt));
    }
    const declared = declaredTypes(db, s.sql);
    const types = columns.map((c, i) => declared.get(c.toLowerCase()) || (values.length > 0 ? typeOf(values[0][i]) : ''));
    // rqlite answers a BLOB as base64 text (a Uint8Array would print as {"0":1,"1":2} in JSON).
    const out = values.map((row) => row.map((v) => (v instanceof Uint8Array ? base64(v) : v)));
    return values.length > 0 ? { columns, types, values: out } : { columns, types };
  } finally {
    stmt.free();
  }
}

/**
 * Declared column types of the table a simple `SELECT … FROM t` reads, as rqlite reports them.
 * sql.js exposes no sqlite3_column_decltype, so this reads PRAGMA table_info instead.
 */
function declaredTypes(db: Database, sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const table = fromTable(sql);
  if (!table) return out;
  try {
    const info = db.exec(`PRAGMA table_info("${table.replace(/"/g, '""')}")`);
    for (const row of info[0]?.values ?? []) out.set(String(row[1]).toLowerCase(), String(row[2] ?? '').toLowerCase());
  } catch {
    // not a table we can describe (a table-valued function, say): fall back to the values
  }
  return out;
}
