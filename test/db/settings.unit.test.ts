/**
 * The connection settings a snapshot carries (settings.ts): read from one connection, applied to
 * another, and nothing else. A setting the header does not name keeps SQLite's default, and a value
 * readSettings would never write is ignored rather than run as SQL.
 */
import type { Database, SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FRESH_SETTINGS, readSettings, setLastInsertRowid, settingsSql } from '../../src/db/settings';
import { loadSqlJs } from '../../src/db/sqljs';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const DEFAULTS = FRESH_SETTINGS;
/** The settings applied as a connection opening from a snapshot applies them (connection.ts). */
const applySettings = (db: Database, s: Parameters<typeof settingsSql>[0]) => {
  const sql = settingsSql(s);
  if (sql.length > 0) db.run(sql.join('; '));
};
const lastRowid = (db: Database) => db.exec('SELECT CAST(last_insert_rowid() AS TEXT)')[0].values[0][0];

describe('readSettings and settingsSql', () => {
  it('a fresh connection carries the defaults and no last_insert_rowid(): it has inserted nothing', () => {
    expect(readSettings(new SQL.Database())).toEqual(DEFAULTS);
  });

  it('an empty header changes nothing: a default that is on (automatic_index) stays on', () => {
    const db = new SQL.Database();
    applySettings(db, {});
    expect(readSettings(db)).toEqual(DEFAULTS);
  });

  it('carries every setting and the exact last_insert_rowid() to another connection', () => {
    const a = new SQL.Database();
    a.run('PRAGMA foreign_keys = 1; PRAGMA automatic_index = 0; PRAGMA max_page_count = 5000');
    a.run('CREATE TABLE t(v); INSERT INTO t(rowid, v) VALUES (9007199254740993, 1)');
    const settings = readSettings(a);
    expect(settings).toEqual({ ...DEFAULTS, foreign_keys: 1, automatic_index: 0, max_page_count: 5000, last_insert_rowid: '9007199254740993' });
    const b = new SQL.Database();
    applySettings(b, settings);
    expect(readSettings(b)).toEqual(settings);
  });

  it('runs nothing for what a fresh connection already has: only the settings that differ', () => {
    expect(settingsSql(readSettings(new SQL.Database()))).toEqual([]);
    expect(settingsSql({ ...DEFAULTS, foreign_keys: 1, automatic_index: 0 })).toEqual(['PRAGMA foreign_keys = 1', 'PRAGMA automatic_index = 0']);
    expect(settingsSql({ ...DEFAULTS, last_insert_rowid: '3' })).toHaveLength(3);
  });

  it('ignores a page limit that is no safe integer', () => {
    for (const max_page_count of [100.5, 2 ** 60, '100']) {
      const db = new SQL.Database();
      applySettings(db, { max_page_count });
      expect(readSettings(db), String(max_page_count)).toEqual(DEFAULTS);
    }
  });
});

describe('setLastInsertRowid', () => {
  it('sets any 64-bit integer exactly, negative and largest included', () => {
    for (const rowid of ['-5', '0', '42', '9223372036854775807', '-9223372036854775808']) {
      const db = new SQL.Database();
      setLastInsertRowid(db, rowid);
      expect(lastRowid(db), rowid).toBe(rowid);
      expect(db.exec("SELECT name FROM sqlite_temp_master WHERE name = 'raftlite_rowid'"), rowid).toEqual([]);
    }
  });

  it('ignores text that is no integer literal of at most 19 digits, and runs none of it', () => {
    for (const rowid of ['', 'abc', '+5', '1.5', '--5', '12345678901234567890', '1); DROP TABLE t; --', ' 7', '7 ']) {
      const db = new SQL.Database();
      db.run('CREATE TABLE t(v); INSERT INTO t VALUES (1)');
      setLastInsertRowid(db, rowid);
      expect(lastRowid(db), rowid).toBe('1');
      expect(db.exec('SELECT count(*) FROM t')[0].values, rowid).toEqual([[1]]);
    }
  });
});
