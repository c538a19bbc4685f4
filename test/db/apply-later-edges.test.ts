/**
 * The edges of a follower's deferred apply (NodeDatabase.applyLater, settle, close): what may wait,
 * what a node that applied waiting writes in one batch can still do, and what closing drops.
 * apply-later.test.ts holds the whole to "reads as if applied at once" with random commands; these
 * are the cases it draws too rarely to rely on.
 */
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_BATCH } from '../../src/db/batch';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const command = (sql: string, seed: number, transaction = false): Command => ({
  statements: [{ sql }],
  transaction,
  ts: 1_700_000_000_000 + seed,
  seed,
});
const inserts = (from: number, transaction = false) =>
  Array.from({ length: MIN_BATCH }, (_, i) =>
    command(`INSERT INTO t(v) VALUES (${from + i})`, from + i, transaction),
  );
const rows = (d: NodeDatabase) => d.query([{ sql: 'SELECT rowid, v FROM t ORDER BY rowid' }])[0].values ?? [];

function fresh(): NodeDatabase {
  const d = NodeDatabase.create(SQL);
  d.execute(command('CREATE TABLE t(v)', 0));
  return d;
}

describe('writes handed to applyLater', () => {
  it('waiting while a batch that fell back keeps its transaction open are hashed and applied in it', () => {
    // A leader's batch meets the largest rowid and goes on the careful way; its caller ends it later.
    const d = fresh();
    const ref = fresh();
    const cmds = [command("INSERT INTO t(rowid, v) VALUES (9223372036854775807, 'max')", 1), command('INSERT INTO t(v) VALUES (2)', 2)];
    expect(d.beginBatch()).toBe(true);
    d.applyLater(cmds[0]);
    ref.execute(cmds[0]);
    d.applyLater(cmds[1]);
    ref.execute(cmds[1]);
    // The safety monitor hashes after each apply: no second transaction can be opened for what waits.
    expect(d.hash()).toBe(ref.hash());
    // Enough waiting writes for a batch of their own, read: applied in the open transaction too.
    for (const c of inserts(3)) {
      d.applyLater(c);
      ref.execute(c);
    }
    expect(rows(d)).toEqual(rows(ref));
    d.endBatch();
    expect(rows(d)).toEqual(rows(ref));
    expect(d.hash()).toBe(ref.hash());
  });

  it('while a batch is open are applied in it, in log order with the writes answered there', () => {
    // A leader applying a run of entries: some it answers (execute), some it does not (applyLater).
    const d = fresh();
    expect(d.beginBatch()).toBe(true);
    for (const c of inserts(1)) d.applyLater(c);
    expect(d.execute(command('INSERT INTO t(v) VALUES (99)', 99))).toEqual([
      { last_insert_id: MIN_BATCH + 1, rows_affected: 1 },
    ]);
    d.endBatch();
    expect(rows(d)).toEqual([...inserts(1).map((_, i) => [i + 1, i + 1]), [MIN_BATCH + 1, 99]]);
    d.close();
  });

  it('in a transaction command are applied as the transaction they are, never batched with others', () => {
    const now = fresh();
    const later = fresh();
    for (const c of inserts(1, true)) {
      now.execute(c, false);
      later.applyLater(c);
    }
    expect(rows(later)).toEqual(rows(now));
    expect(later.hash()).toBe(now.hash());
    now.close();
    later.close();
  });

  it('applied together in one batch leave the node ready for a checkpoint, which restores them', () => {
    const d = fresh();
    for (const c of inserts(1)) d.applyLater(c);
    const hash = d.hash();
    const image = d.image();
    expect(image).not.toBeNull();
    expect(NodeDatabase.fromImage(SQL, image!).hash()).toBe(hash);
    // Still out of any transaction: a command that opens one of its own runs as usual.
    expect(d.execute(command('INSERT INTO t(v) VALUES (9)', 9, true))).toEqual([
      { last_insert_id: MIN_BATCH + 1, rows_affected: 1 },
    ]);
    d.close();
  });

  it('and not yet applied are dropped with the connection: a closed node answers nothing more', () => {
    const d = fresh();
    d.applyLater(command('INSERT INTO t(v) VALUES (1)', 1));
    d.close();
    expect(() => d.hash()).toThrow();
    expect(() => d.query([{ sql: 'SELECT 1' }])).toThrow();
  });
});

describe('a write refused by its text alone, inside a batch', () => {
  it('is answered with its refusal, and the batch goes on', () => {
    const d = fresh();
    expect(d.beginBatch()).toBe(true);
    const endless =
      'INSERT INTO t WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c';
    const [r] = d.execute(command(endless, 1));
    expect(r.error).toMatch(/recursive query without LIMIT refused/);
    expect(d.execute(command('INSERT INTO t(v) VALUES (2)', 2))).toEqual([
      { last_insert_id: 1, rows_affected: 1 },
    ]);
    d.endBatch();
    expect(rows(d)).toEqual([[1, 2]]);
  });
});
