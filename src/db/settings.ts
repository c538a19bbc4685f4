import type { Database } from 'sql.js';

/**
 * Connection settings that change what statements do. They live in the connection, not in the
 * database file, so db.export() (which reopens the connection) and a snapshot installed on another
 * node would silently drop them, and nodes would then apply the same entries differently. A
 * snapshot therefore carries them in a small header before the SQLite file.
 */
const SETTINGS = ['foreign_keys', 'recursive_triggers', 'reverse_unordered_selects', 'ignore_check_constraints', 'legacy_alter_table', 'automatic_index'] as const;

type Settings = Record<string, number>;

const MAGIC = [0x52, 0x4c, 0x53, 0x31]; // "RLS1"

export function readSettings(db: Database): Settings {
  const out: Settings = {};
  for (const name of SETTINGS) {
    const v = db.exec(`PRAGMA ${name}`)[0]?.values[0]?.[0];
    if (typeof v === 'number') out[name] = v;
  }
  return out;
}

export function applySettings(db: Database, s: Settings): void {
  for (const name of SETTINGS) if (typeof s[name] === 'number') db.run(`PRAGMA ${name} = ${s[name] ? 1 : 0}`);
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

/** Split a snapshot into the SQLite file and its settings (none for a bare SQLite file). */
export function splitSettings(bytes: Uint8Array): { file: Uint8Array; settings: Settings } {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) return { file: bytes, settings: {} };
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
  const settings = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Settings;
  return { file: bytes.subarray(8 + n), settings };
}
