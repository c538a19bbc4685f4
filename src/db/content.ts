import type { Database, Statement } from 'sql.js';
import { Hasher } from './hash';
import { readRow } from './values';
import type { SqlValue, TableView } from './types';

// What a node's database holds, read for the hash that compares nodes and for the table browser.

/** The names of the tables the content hash reads, in its order. */
export function userTables(db: Database): string[] {
  const r = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  return (r[0]?.values ?? []).map((v) => String(v[0]));
}

function rowsOf(db: Database, table: string, limit: number): { columns: string[]; rows: SqlValue[][] } {
  const q = `"${table.replace(/"/g, '""')}"`;
  let stmt: Statement;
  try {
    stmt = db.prepare(`SELECT * FROM ${q} ORDER BY rowid LIMIT ${limit}`);
  } catch {
    stmt = db.prepare(`SELECT * FROM ${q} ORDER BY 1 LIMIT ${limit}`); // WITHOUT ROWID
  }
  try {
    const rows: SqlValue[][] = [];
    while (stmt.step()) rows.push(readRow(stmt));
    if (rows.length > 0) return { columns: stmt.getColumnNames(), rows };
  } finally {
    stmt.free();
  }
  const cols = db.exec(`PRAGMA table_info(${q})`);
  return { columns: (cols[0]?.values ?? []).map((v) => String(v[1])), rows: [] };
}

/** The schema rows as the content hash reads them, one string (hashing it whole equals hashing it row by row). */
export function schemaText(db: Database): string {
  const schema = db.exec('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name');
  return (schema[0]?.values ?? []).map((row) => `S${row.map((v) => String(v)).join('\u0001')}\u0002`).join('');
}

/** Hash one row's values as the content hash does. */
export function hashRow(h: Hasher, row: readonly SqlValue[], from = 0): void {
  for (let i = from; i < row.length; i++) {
    const v = row[i];
    if (v === null) h.update('n');
    else if (typeof v === 'number' || typeof v === 'bigint') h.update(`i${v}`);
    else if (typeof v === 'string') h.update(`s${v.length}:${v}`);
    else h.update(`b${Array.from(v).join(',')}`);
    h.update('\u0001');
  }
  h.update('\u0002');
}

/** Hash one table (its name, then every row in rowid order) as the content hash does. */
export function hashTable(h: Hasher, db: Database, table: string): void {
  h.update(`T${table}\u0002`);
  for (const row of rowsOf(db, table, Number.MAX_SAFE_INTEGER).rows) hashRow(h, row);
}

/** Hash of the logical content (schema and rows), equal for a replayed and a restored copy. */
export function contentHash(db: Database): string {
  const h = new Hasher();
  h.update(schemaText(db));
  for (const t of userTables(db)) hashTable(h, db, t);
  return h.digest();
}

/** Each user table with its first `limit` rows and its row count. */
export function tableViews(db: Database, limit: number): TableView[] {
  return userTables(db).map((name) => {
    const { columns, rows } = rowsOf(db, name, limit);
    const count = db.exec(`SELECT count(*) FROM "${name.replace(/"/g, '""')}"`);
    return { name, columns, rows, total: Number(count[0]?.values[0][0] ?? 0) };
  });
}
