import type { Database, SqlValue, Statement } from 'sql.js';

/**
 * Connection settings that change what statements do. They live in the connection, not in the
 * database file, so db.export() (which reopens the connection) and a snapshot installed on another
 * node would silently drop them, and nodes would then apply the same entries differently. A
 * snapshot therefore carries them in a small header before the SQLite file.
 */
const SETTINGS = [
  'foreign_keys',
  'recursive_triggers',
  'reverse_unordered_selects',
  'ignore_check_constraints',
  'legacy_alter_table',
  'automatic_index',
  'defer_foreign_keys',
] as const;
/** Settings with a number rather than on/off. */
const NUMBERS = ['max_page_count'] as const;
/** Not a pragma: the connection's last_insert_rowid(), which a reopened connection forgets. */
const LAST_ROWID = 'last_insert_rowid';

type Settings = Record<string, number | string>;

const MAGIC = [0x52, 0x4c, 0x53, 0x31]; // "RLS1"

const PRAGMAS = [...SETTINGS, ...NUMBERS];

/**
 * What a fresh connection of this build of SQLite reads for each setting (test/db/settings.unit.test.ts
 * holds readSettings of a fresh connection to these).
 */
export const FRESH_SETTINGS: Record<(typeof PRAGMAS)[number], number> = {
  foreign_keys: 0,
  recursive_triggers: 0,
  reverse_unordered_selects: 0,
  ignore_check_constraints: 0,
  legacy_alter_table: 0,
  automatic_index: 1,
  defer_foreign_keys: 0,
  max_page_count: 4294967294,
};
/**
 * Every setting and last_insert_rowid() in one statement (a snapshot reads them on every node), the
 * rowid as text: past 2^53 a JS number would lose its last digits.
 */
const READ_SETTINGS = `SELECT ${PRAGMAS.map((name) => `(SELECT * FROM pragma_${name})`).join(', ')}, CAST(last_insert_rowid() AS TEXT)`;

/**
 * READ_SETTINGS prepared once per connection: parsing it anew was about two thirds of reading the
 * settings, which every checkpoint does on every node (9 a second on a 9-node run as it plays, and
 * again on a reload's replay). Reset after each read, it holds no lock; sql.js frees it with the
 * connection.
 */
const prepared = new WeakMap<Database, Statement>();

export function readSettings(db: Database): Settings {
  const out: Settings = {};
  let st = prepared.get(db);
  if (!st) {
    st = db.prepare(READ_SETTINGS);
    prepared.set(db, st);
  }
  let row: SqlValue[];
  try {
    row = st.step() ? st.get() : [];
  } finally {
    st.reset();
  }
  PRAGMAS.forEach((name, i) => {
    if (typeof row[i] === 'number') out[name] = row[i];
  });
  const rowid = row[PRAGMAS.length];
  if (typeof rowid === 'string' && rowid !== '0') out[LAST_ROWID] = rowid;
  return out;
}

/**
 * The statements that give a fresh connection the settings `s` (run in one call, with the
 * connection's own pragmas: connection.ts): only those that differ from a fresh
 * connection's own (FRESH_SETTINGS), since setting a default again changes nothing. Nearly every snapshot
 * carries the defaults, and each pragma run was a statement parsed and stepped on every restore
 * (a fork's nine, each dropped chunk of history a replay reads back).
 */
export function settingsSql(s: Settings): string[] {
  const sql: string[] = [];
  for (const name of SETTINGS) {
    const v = s[name];
    if (typeof v === 'number' && (v ? 1 : 0) !== FRESH_SETTINGS[name]) sql.push(`PRAGMA ${name} = ${v ? 1 : 0}`);
  }
  for (const name of NUMBERS) {
    const v = s[name];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v !== FRESH_SETTINGS[name]) sql.push(`PRAGMA ${name} = ${v}`);
  }
  const rowid = s[LAST_ROWID];
  if (typeof rowid === 'string') sql.push(...lastInsertRowidSql(rowid));
  return sql;
}

/** Statements that set the connection's last_insert_rowid() (given as text, exact): the only way is an insert. */
function lastInsertRowidSql(rowid: string): string[] {
  if (!/^-?\d{1,19}$/.test(rowid)) return [];
  // One row into a table that lives only for these statements.
  return ['CREATE TEMP TABLE raftlite_rowid(x)', `INSERT INTO raftlite_rowid(rowid) VALUES (${rowid})`, 'DROP TABLE raftlite_rowid'];
}

/** Set the connection's last_insert_rowid() (given as text, exact). */
export function setLastInsertRowid(db: Database, rowid: string): void {
  const sql = lastInsertRowidSql(rowid);
  if (sql.length > 0) db.run(sql.join('; '));
}

export function withSettings(file: Uint8Array, s: Settings): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(s));
  const out = new Uint8Array(8 + json.length + file.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, json.length);
  out.set(json, 8);
  out.set(file, 8 + json.length);
  return out;
}

/** Bytes of the settings' header before the SQLite file in a snapshot (0 for a bare SQLite file). */
export function settingsLength(bytes: Uint8Array): number {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return 0;
  return 8 + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
}

/** Split a snapshot into the SQLite file and its settings (none for a bare SQLite file). */
export function splitSettings(bytes: Uint8Array): { file: Uint8Array; settings: Settings } {
  const head = settingsLength(bytes);
  if (head === 0) return { file: bytes, settings: {} };
  const settings = JSON.parse(new TextDecoder().decode(bytes.subarray(8, head))) as Settings;
  return { file: bytes.subarray(head), settings };
}
