import type { Simulation } from './simulation';
import { toJson } from '../db/json';

/** One statement's result in rqlite's shape, loose enough for both execute and query answers. */
export interface ResultSet {
  columns?: string[];
  types?: string[];
  values?: unknown[][];
  error?: string;
  last_insert_id?: number | bigint;
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

let schemaCache: { ddl: string; schema: Record<string, string[]>; db: object | null; version: number } = { ddl: '', schema: {}, db: null, version: -1 };

/**
 * Table → column names, from the leader (or any live node): what the SQL editor completes.
 * Asked after every applied write, so it reads only the DDL text and re-reads columns when it changed.
 */
export function readSchema(sim: Simulation, node: string | null): Record<string, string[]> {
  const target = node ?? [...sim.cluster.servers.values()].find((s) => s.alive)?.id;
  if (!target) return schemaCache.schema;
  // The same database at the same schema cookie: nothing to read (the console asks after every
  // answer, 50 a second while a class writes, and each read is a whole query on the node).
  const stamp = sim.cluster.servers.get(target)?.schemaStamp() ?? null;
  if (stamp && stamp.db === schemaCache.db && stamp.version === schemaCache.version) return schemaCache.schema;
  // A fresh cluster's databases are opened when first used: the editor's first read of an empty
  // one (the page's start) does not open it.
  if (stamp?.blank) {
    schemaCache = { ddl: '', schema: {}, db: stamp.db, version: stamp.version };
    return schemaCache.schema;
  }
  const ddl = read(sim, target, "SELECT group_concat(sql, ';') FROM sqlite_master WHERE type = 'table'");
  const text = String(ddl?.values?.[0]?.[0] ?? '');
  const seen = { db: stamp?.db ?? null, version: stamp?.version ?? -1 };
  if (text === schemaCache.ddl) {
    schemaCache = { ...schemaCache, ...seen };
    return schemaCache.schema;
  }
  const names = read(sim, target, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  const schema: Record<string, string[]> = {};
  for (const [name] of names?.values ?? []) {
    const info = read(sim, target, `PRAGMA table_info(${quoteIdent(String(name))})`);
    schema[String(name)] = (info?.values ?? []).map((row) => String(row[1]));
  }
  schemaCache = { ddl: text, schema, ...seen };
  return schema;
}

export function rowKey(row: readonly unknown[]): string {
  return toJson(row);
}
