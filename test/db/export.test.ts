/**
 * A node's snapshot and checkpoint image (NodeDatabase.export, image, fromImage), and what a
 * transaction command answers when its COMMIT fails. export() goes through SQLite's backup API:
 * the connection stays open with its settings, its seeded random() and its prepared statements.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeDatabase } from '../../src/db/database';
import { splitSettings } from '../../src/db/settings';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const cmd = (sql: string | string[], seed = 1, transaction = false): Command => ({
  statements: (Array.isArray(sql) ? sql : [sql]).map((s) => ({ sql: s })),
  transaction,
  ts: 1_700_000_000_000,
  seed,
});
const one = (d: NodeDatabase, sql: string) => d.query([{ sql }])[0].values;

describe('export', () => {
  it('leaves the connection as it was: settings, seeded random(), prepared writes, last_insert_rowid()', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd(['PRAGMA foreign_keys = 1', 'CREATE TABLE p(id INTEGER PRIMARY KEY)', 'CREATE TABLE c(p REFERENCES p(id))', 'INSERT INTO p VALUES (1)', 'INSERT INTO c VALUES (1)']));
    const twin = NodeDatabase.create(SQL);
    twin.execute(cmd(['PRAGMA foreign_keys = 1', 'CREATE TABLE p(id INTEGER PRIMARY KEY)', 'CREATE TABLE c(p REFERENCES p(id))', 'INSERT INTO p VALUES (1)', 'INSERT INTO c VALUES (1)']));
    const bytes = d.export();
    expect(splitSettings(bytes).settings).toMatchObject({ foreign_keys: 1, last_insert_rowid: '1' });
    // Foreign keys still enforced, on the exported connection as on one that never exported.
    expect(d.execute(cmd('INSERT INTO c VALUES (9)'))).toEqual(twin.execute(cmd('INSERT INTO c VALUES (9)')));
    expect(d.execute(cmd('INSERT INTO c VALUES (9)'))[0].error).toBe('FOREIGN KEY constraint failed');
    // random() still the command's seeded one, and a prepared shape still binds.
    expect(d.execute(cmd('INSERT INTO p VALUES (random())', 5))).toEqual(twin.execute(cmd('INSERT INTO p VALUES (random())', 5)));
    expect(d.execute(cmd('INSERT INTO p VALUES (7)'))).toEqual([{ last_insert_id: 7, rows_affected: 1 }]);
    expect(one(d, 'SELECT last_insert_rowid()')).toEqual([[7]]);
    expect(d.hash()).toBe((twin.execute(cmd('INSERT INTO p VALUES (7)')), twin.hash()));
  });

  it('carries the settings and last_insert_rowid() to the restored copy', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd(['PRAGMA recursive_triggers = 1', 'CREATE TABLE t(v)', 'INSERT INTO t(rowid, v) VALUES (41, 1)']));
    const copy = NodeDatabase.create(SQL, d.export());
    expect(one(copy, 'PRAGMA recursive_triggers')).toEqual([[1]]);
    expect(one(copy, 'SELECT last_insert_rowid()')).toEqual([[41]]);
    expect(copy.hash()).toBe(d.hash());
    // An empty snapshot is a new database.
    expect(NodeDatabase.create(SQL, new Uint8Array()).tables()).toEqual([]);
  });
});

describe('image', () => {
  it('is none while a batch is open, and the export with what the node has seen otherwise', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(v)'));
    expect(d.beginBatch()).toBe(true);
    d.execute(cmd('INSERT INTO t VALUES (1)'), false);
    expect(d.image()).toBeNull();
    d.endBatch();
    const image = d.image();
    expect(image).not.toBeNull();
    expect(image!.largeRowids).toBe(false);
    const back = NodeDatabase.fromImage(SQL, image!);
    expect(back.hash()).toBe(d.hash());
    // Restoring does not use up the image.
    expect(NodeDatabase.fromImage(SQL, image!).hash()).toBe(d.hash());
  });

  it('remembers a large rowid once written, even after the row is gone, so the largest-rowid check stays on', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd(['CREATE TABLE t(v)', 'INSERT INTO t(rowid, v) VALUES (4611686018427387904, 1)', 'DELETE FROM t']));
    const image = d.image()!;
    expect(image.largeRowids).toBe(true);
    // A copy that knows it may hold a large rowid refuses the largest one inside any statement.
    const back = NodeDatabase.fromImage(SQL, image);
    back.execute(cmd('INSERT INTO t(rowid, v) VALUES (9223372036854775806, 1)'));
    const r = back.execute(cmd('INSERT INTO t(v) VALUES (2)'));
    expect(r[0].error).toMatch(/largest rowid/);
  });
});

describe('a transaction command', () => {
  it('whose COMMIT fails answers each statement and then the COMMIT error, and keeps nothing', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd(['PRAGMA foreign_keys = 1', 'CREATE TABLE p(id INTEGER PRIMARY KEY)', 'CREATE TABLE c(p REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)']));
    const r = d.execute(cmd(['INSERT INTO c VALUES (1)', 'INSERT INTO p VALUES (2)'], 2, true));
    expect(r).toEqual([{ last_insert_id: 1, rows_affected: 1 }, { last_insert_id: 2, rows_affected: 1 }, { error: 'FOREIGN KEY constraint failed' }]);
    expect(one(d, 'SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM p)')).toEqual([[0, 0]]);
    // The connection is out of the transaction: the next command commits on its own.
    expect(d.execute(cmd('INSERT INTO p VALUES (3)'))).toEqual([{ last_insert_id: 3, rows_affected: 1 }]);
    expect(one(d, 'SELECT id FROM p')).toEqual([[3]]);
  });

  it('stops at the first failing statement and undoes the ones before', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(cmd('CREATE TABLE t(v NOT NULL)'));
    const r = d.execute(cmd(['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (NULL)', 'INSERT INTO t VALUES (3)'], 2, true));
    expect(r).toEqual([{ last_insert_id: 1, rows_affected: 1 }, { error: 'NOT NULL constraint failed: t.v' }]);
    expect(one(d, 'SELECT count(*) FROM t')).toEqual([[0]]);
    expect(d.execute(cmd('INSERT INTO t VALUES (4)'))).toEqual([{ last_insert_id: 1, rows_affected: 1 }]);
  });
});
