import type { Simulation } from './simulation';

/** One statement's result in rqlite's shape, loose enough for both execute and query answers. */
export interface ResultSet {
  columns?: string[];
  types?: string[];
  values?: unknown[][];
  error?: string;
  last_insert_id?: number;
  rows_affected?: number;
}

export interface TableData {
  name: string;
  columns: string[];
  rows: unknown[][];
}

const ROW_LIMIT = 200;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function read(sim: Simulation, node: string, sql: string): ResultSet | null {
  const s = sim.cluster.servers.get(node);
  if (!s || !s.alive) return null;
  const [r] = s.query([{ sql }]) as ResultSet[];
  return r ?? null;
}

/** A live node's tables and their first rows, read straight from its sql.js database. */
export function readTables(sim: Simulation, node: string): TableData[] | null {
  const list = read(sim, node, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  if (!list || list.error) return null;
  return (list.values ?? []).map(([name]) => {
    const n = String(name);
    // PRAGMA gives the columns even for an empty table, where SELECT * may return none.
    const info = read(sim, node, `PRAGMA table_info(${quoteIdent(n)})`);
    const columns = (info?.values ?? []).map((row) => String(row[1]));
    const r = read(sim, node, `SELECT * FROM ${quoteIdent(n)} LIMIT ${ROW_LIMIT}`);
    return { name: n, columns, rows: r?.values ?? [] };
  });
}

/** Table → column names, from the leader (or any live node): what the SQL editor completes. */
export function readSchema(sim: Simulation, node: string | null): Record<string, string[]> {
  const target = node ?? [...sim.cluster.servers.values()].find((s) => s.alive)?.id;
  if (!target) return {};
  const tables = readTables(sim, target) ?? [];
  return Object.fromEntries(tables.map((t) => [t.name, t.columns]));
}

export function rowKey(row: readonly unknown[]): string {
  return JSON.stringify(row);
}
