import type { Database, Statement } from 'sql.js';
import { hashRow, hashTable, schemaText, userTables } from './content';
import { Hasher, type HasherState } from './hash';
import { ROW_UPDATE, type RowListener } from './rowidWatch';
import { readRow } from './values';
import type { Command } from './types';

// The content hash (content.ts) without reading the whole database each time. It is FNV over the
// schema, then each table's rows in rowid order: a chain, so a change re-hashes from the changed
// row on, never the rows before it. For each table this keeps the hash state at its first row and
// every CHECKPOINT_ROWS rows after; SQLite's update hook (rowidWatch.ts) says which rowids each
// statement touched, and hash() resumes each table from the last saved state before its lowest
// touched rowid. An INSERT at the end of a table re-reads at most CHECKPOINT_ROWS rows. What the
// hook cannot see is hashed whole, exactly as contentHash does (UNSEEN and `opaque` below).

/** Rows between two saved hash states of a table: a change re-reads at most this many rows before it. */
export const CHECKPOINT_ROWS = 64;

/**
 * Statement text that may change rows the update hook never reports: a DELETE without WHERE
 * (SQLite's truncate optimization), a row a REPLACE conflict deletes, VACUUM renumbering rowids,
 * a table dropped and made again with the same text. Matched on the raw text, words in strings and
 * comments included: a false alarm costs one full hash, a miss would give a wrong one. The same words in the schema (a trigger's body, an ON
 * CONFLICT REPLACE constraint) make every write suspect.
 */
const UNSEEN = /\b(delete|replace|vacuum|drop)\b/i;

/** The smallest rowid SQLite allows: a table read from its first row is read from this one. */
const LOWEST_ROWID = -(2n ** 63n);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Of a table's saved states, a checkpoint keeps every SAVED_EVERY-th: a restored copy re-reads at most that many chunks once. */
const SAVED_EVERY = 16;

interface TableCache {
  /** The hash state before the table (its name included), and after its last row. */
  readonly start: HasherState;
  readonly end: HasherState;
  /** The rowid of every CHECKPOINT_ROWS-th row from the first, and the hash state just before it. */
  readonly rowids: readonly bigint[];
  readonly states: readonly HasherState[];
  /** Each of those rows' place in the table (0 for its first row). */
  readonly places: readonly number[];
  /** How many rows the table has and its last row's rowid (null: none); null when not known. */
  readonly tail: { readonly count: number; readonly last: bigint | null } | null;
}

interface SchemaCache {
  readonly main: string;
  readonly temp: string;
  /** The hash state after the schema rows. */
  readonly state: HasherState;
  readonly tables: readonly string[];
  /** Tables whose rows the hook does not follow (WITHOUT ROWID, virtual, a column hiding the rowid): hashed whole each time. */
  readonly opaque: ReadonlySet<string>;
  readonly unseen: boolean;
}

/** What a checkpoint keeps of a cache (NodeDatabase.image): shared, never changed. */
export interface ContentHashState {
  readonly schema: SchemaCache;
  readonly tables: ReadonlyMap<string, TableCache>;
}

function same(a: HasherState, b: HasherState): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => eq(x, b[i]));
}

/**
 * Whether two saved caches hold the same: nodes whose databases are equal mostly saved equal
 * caches, and a checkpoint then keeps one for all of them.
 */
export function sameSaved(a: ContentHashState, b: ContentHashState): boolean {
  if (a === b) return true;
  const x = a.schema;
  const y = b.schema;
  const schemas =
    x === y ||
    (x.main === y.main && x.temp === y.temp && same(x.state, y.state) && x.unseen === y.unseen && sameList(x.tables, y.tables, (p, q) => p === q) && x.opaque.size === y.opaque.size && [...x.opaque].every((t) => y.opaque.has(t)));
  if (!schemas || a.tables.size !== b.tables.size) return false;
  for (const [t, c] of a.tables) {
    const d = b.tables.get(t);
    if (!d || !same(c.start, d.start) || !same(c.end, d.end) || !sameList(c.rowids, d.rowids, (p, q) => p === q) || !sameList(c.states, d.states, same)) return false;
    if (!sameList(c.places, d.places, (p, q) => p === q) || c.tail?.count !== d.tail?.count || c.tail?.last !== d.tail?.last) return false;
  }
  return true;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The last index i with rowids[i] <= r, or -1. */
function checkpointAtOrBefore(rowids: readonly bigint[], r: bigint): number {
  let lo = 0;
  let hi = rowids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rowids[mid] <= r) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Tables whose rows the update hook reports, by rowid, with `rowid` naming the rowid. */
function followedTables(db: Database): Set<string> {
  const rowid = db.exec("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND wr = 0");
  let hidden;
  try {
    hidden = db.exec(
      "SELECT DISTINCT m.name FROM sqlite_master m JOIN pragma_table_xinfo(m.name) x WHERE m.type = 'table' AND lower(x.name) IN ('rowid', 'oid', '_rowid_')",
    );
  } catch {
    return new Set(); // a table SQLite cannot describe: follow none
  }
  const out = new Set((rowid[0]?.values ?? []).map((v) => String(v[0])));
  for (const [name] of hidden[0]?.values ?? []) out.delete(String(name));
  return out;
}

/** One connection's content hash, kept up to date from what its statements touched. Equal to contentHash(db) at every call. */
export class ContentHashCache implements RowListener {
  private schema: SchemaCache | null = null;
  /** A statement that was not a plain write ran: the schema may differ. */
  private schemaMayChange = true;
  /** Something the hook cannot see may have changed rows: every table is hashed again. */
  private all = true;
  /** Per table name, the lowest rowid touched since the last hash; null: from its first row. */
  private readonly dirty = new Map<string, bigint | null>();
  private tables = new Map<string, TableCache>();
  /**
   * Per table, its rows from a rowid on, prepared once: preparing the text anew for each hash was a
   * third of what a hash cost (9 nodes at 50 writes/s hash 450 times a second).
   */
  private readonly reads = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  /** Rows matter only while the tables' saved states are trusted (not before the first hash, nor after an unseen change). */
  get listening(): boolean {
    return !this.all;
  }

  /** The update hook's report of one row (watchRowids). */
  row(op: number, table: string, rowid: bigint): void {
    const had = this.dirty.get(table);
    // For an UPDATE the hook names the row's new rowid only: one that changed it removed a row it
    // does not name, anywhere in the table.
    if (op === ROW_UPDATE) this.dirty.set(table, null);
    else if (had === undefined || (had !== null && rowid < had)) this.dirty.set(table, rowid);
  }

  /** Told of each command before it runs; `plain`: a plain write (batch.ts), which cannot change the schema. */
  command(cmd: Command, plain: boolean): void {
    if (!plain) {
      this.schemaMayChange = true;
      // As the runner's prepared writes: nothing is held prepared while the schema may change.
      for (const stmt of this.reads.values()) stmt.free();
      this.reads.clear();
    }
    if (this.all) return;
    if (this.schema?.unseen || cmd.statements.some((s) => UNSEEN.test(s.sql))) this.all = true;
  }

  /** contentHash(db), reading only the rows changed since the last call and those after them. */
  hash(): string {
    const sc = this.currentSchema();
    // A new map, never cleared: a checkpoint may hold the old one (save).
    if (this.all) this.tables = new Map();
    let state = sc.state;
    const next = new Map<string, TableCache>();
    for (const t of sc.tables) {
      if (sc.opaque.has(t)) {
        const h = Hasher.from(state);
        hashTable(h, this.db, t);
        state = h.state();
        continue;
      }
      const had = this.tables.get(t);
      const from = this.dirty.get(t);
      const c = had && same(had.start, state) ? (from === undefined ? had : this.rehash(t, state, had, from)) : this.rehash(t, state, null, null);
      next.set(t, c);
      state = c.end;
    }
    this.tables = next;
    this.dirty.clear();
    this.all = false;
    return Hasher.from(state).digest();
  }

  /** The cache as of the last hash, thinned, if nothing changed since (else null: a restored copy hashes whole once). */
  save(): ContentHashState | null {
    if (!this.schema || this.all || this.schemaMayChange || this.dirty.size > 0) return null;
    const tables = new Map<string, TableCache>();
    const thin = <T>(xs: readonly T[]) => xs.filter((_, i) => i % SAVED_EVERY === 0);
    for (const [t, c] of this.tables) tables.set(t, { start: c.start, end: c.end, rowids: thin(c.rowids), states: thin(c.states), places: thin(c.places), tail: c.tail });
    return { schema: this.schema, tables };
  }

  /** Continue from `save()` of a database whose content this one's equals (restored from its image). */
  restore(saved: ContentHashState): void {
    this.schema = saved.schema;
    this.tables = new Map(saved.tables);
    this.dirty.clear();
    this.all = false;
    this.schemaMayChange = false;
  }

  private currentSchema(): SchemaCache {
    if (this.schema && !this.schemaMayChange) return this.schema;
    const main = schemaText(this.db);
    const tempRows = this.db.exec('SELECT type, name, sql FROM sqlite_temp_master ORDER BY 1, 2')[0]?.values ?? [];
    const temp = JSON.stringify(tempRows);
    this.schemaMayChange = false;
    if (this.schema && this.schema.main === main && this.schema.temp === temp) return this.schema;
    const tables = userTables(this.db);
    // A TEMP table may hide a main one of the same name from the unqualified reads: follow none.
    const followed = tempRows.length === 0 ? followedTables(this.db) : new Set<string>();
    this.schema = {
      main,
      temp,
      state: new Hasher().update(main).state(),
      tables,
      opaque: new Set(tables.filter((t) => !followed.has(t))),
      unseen: UNSEEN.test(main),
    };
    this.all = true;
    return this.schema;
  }

  /**
   * Hash table `t` starting from hash state `start`: from its first row, or, given its cache and
   * the lowest touched rowid (not null), from where that rowid is: past the table's last row (rows
   * added at its end, the common write), from the hash after that row, reading only the new rows;
   * else from the last saved state at or before it.
   */
  private rehash(t: string, start: HasherState, had: TableCache | null, from: bigint | null): TableCache {
    const tail = had?.tail;
    const added = had && from !== null && tail && (tail.last === null || from > tail.last) ? had : null;
    const k = had && !added && from !== null ? checkpointAtOrBefore(had.rowids, from) : -1;
    let h: Hasher;
    let first = LOWEST_ROWID;
    /** The place in the table of the first row read. */
    let base = 0;
    const rowids: bigint[] = [];
    const states: HasherState[] = [];
    const places: number[] = [];
    if (added && tail) {
      rowids.push(...added.rowids);
      states.push(...added.states);
      places.push(...added.places);
      h = Hasher.from(added.end);
      first = from!;
      base = tail.count;
    } else if (had && k >= 0) {
      rowids.push(...had.rowids.slice(0, k));
      states.push(...had.states.slice(0, k));
      places.push(...had.places.slice(0, k));
      h = Hasher.from(had.states[k]);
      first = had.rowids[k];
      base = had.places[k];
    } else {
      h = Hasher.from(start).update(`T${t}\u0002`);
    }
    let stmt = this.reads.get(t);
    if (stmt === undefined) {
      stmt = this.db.prepare(`SELECT rowid, * FROM ${quote(t)} WHERE rowid >= ? ORDER BY rowid`);
      this.reads.set(t, stmt);
    }
    // A safe integer binds as one; past 2^53 as its exact text, which SQLite compares as the number.
    stmt.bind([first >= -MAX_SAFE && first <= MAX_SAFE ? Number(first) : String(first)]);
    let n = 0;
    let last: bigint | null = null;
    try {
      for (; stmt.step(); n++) {
        const row = readRow(stmt);
        last = BigInt(row[0] as number | bigint);
        // A state every CHECKPOINT_ROWS places, and one where a read from a saved state starts (it was cut off above).
        if ((base + n) % CHECKPOINT_ROWS === 0 || (n === 0 && k >= 0)) {
          rowids.push(last);
          states.push(h.state());
          places.push(base + n);
        }
        hashRow(h, row, 1);
      }
    } finally {
      stmt.reset();
    }
    // Read from a saved state and nothing found: the rows from it on are gone, and which row is now
    // the last is not known (the next change reads from a saved state again).
    const lastNow = n > 0 ? last : added ? tail!.last : k >= 0 ? undefined : null;
    return { start, end: h.state(), rowids, states, places, tail: lastNow === undefined ? null : { count: base + n, last: lastNow } };
  }
}
