/**
 * An image taken with `mayDefer` (a checkpoint's, Cluster.checkpoint) may be the node's last export
 * with the plain writes since kept as `pending`, instead of an export now: restored, it must be the
 * database an export at that moment would have given, opened at once or lazily, and nothing but
 * plain writes, at most MAX_PENDING of them, may be kept that way.
 */
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PENDING, NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';
import { sameBytes } from '../../src/replay/shareImages';
import { bytesOf } from '../../src/db/fileBytes';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const command = (sql: string, seed: number): Command => ({ statements: [{ sql }], transaction: false, ts: 1_700_000_000_000 + seed, seed });

type Op = { kind: 'execute' | 'later'; k: number } | { kind: 'read' } | { kind: 'pragma'; on: boolean } | { kind: 'hash' } | { kind: 'image' };

const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('execute' as const, 'later' as const), k: fc.nat(40) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pragma' as const), on: fc.boolean() }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'hash' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'image' as const }) },
  ),
  { maxLength: 50 },
);

function run(d: NodeDatabase, op: Exclude<Op, { kind: 'image' }>, seed: number): void {
  // random() draws from the entry's seed: pending writes applied again must draw the same values.
  if (op.kind === 'execute') d.execute(command(`INSERT OR REPLACE INTO t VALUES (${op.k}, 'v${seed}', random())`, seed));
  else if (op.kind === 'later') d.applyLater(command(`INSERT OR REPLACE INTO t VALUES (${op.k}, 'w${seed}', random())`, seed));
  else if (op.kind === 'read') d.query([{ sql: 'SELECT count(*) FROM t' }]);
  else if (op.kind === 'pragma') d.execute(command(`PRAGMA recursive_triggers = ${op.on ? 1 : 0}`, seed));
  else d.hash();
}

const state = (d: NodeDatabase) => ({
  hash: d.hash(),
  rowid: d.query([{ sql: 'SELECT last_insert_rowid()' }])[0],
  setting: d.query([{ sql: 'PRAGMA recursive_triggers' }])[0],
});

describe('an image with pending writes', () => {
  it('restores, at once or lazily, the database an export would have given then', () => {
    const seen = { pending: 0, exported: 0 };
    fc.assert(
      fc.property(ops, fc.boolean(), (list, lazy) => {
        const d = NodeDatabase.create(SQL);
        d.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT, r INTEGER)', 1));
        // The first export: what later images keep their pending writes on.
        d.image();
        list.forEach((op, i) => {
          if (op.kind !== 'image') return run(d, op, i + 2);
          const img = d.image(true)!;
          seen[img.pending ? 'pending' : 'exported']++;
          const restored = NodeDatabase.fromImage(SQL, img, lazy);
          // A lazy restore opens nothing to keep its writes waiting.
          expect(restored.opened).toBe(!lazy);
          const now = d.export();
          expect(sameBytes(restored.export(), now)).toBe(true);
          expect(state(restored)).toEqual(state(d));
          restored.close();
        });
        d.close();
      }),
      // Seeded, as the other property tests of the replay are: 20,000 unseeded runs passed before it was.
      { numRuns: 80, seed: 2 },
    );
    // Both kinds were restored and compared.
    expect(seen.pending).toBeGreaterThan(20);
    expect(seen.exported).toBeGreaterThan(20);
  });

  it('keeps plain writes since the last export as pending, and the image given again is that export', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT, r INTEGER)', 1));
    const first = d.image(true)!;
    expect(first.pending).toBeNull();
    expect(d.image(true)).toBe(first);
    d.execute(command("INSERT INTO t VALUES (1, 'a', 0)", 2));
    d.applyLater(command("INSERT INTO t VALUES (2, 'b', 0)", 3));
    expect(d.pendingSinceImage).toBe(2);
    const second = d.image(true)!;
    expect(second.bytes).toBe(first.bytes);
    expect(second.pending?.count).toBe(2);
    // Taken without mayDefer: an export now, and the writes since are none.
    const third = d.image()!;
    expect(third.pending).toBeNull();
    expect(third.bytes).not.toBe(first.bytes);
    expect(d.pendingSinceImage).toBe(0);
    // The earlier image still restores its moment: its count pins the writes it holds.
    d.execute(command("INSERT INTO t VALUES (3, 'c', 0)", 4));
    const back = NodeDatabase.fromImage(SQL, second);
    expect(back.query([{ sql: 'SELECT k FROM t ORDER BY k' }])[0]).toMatchObject({ values: [[1], [2]] });
    back.close();
    d.close();
  });

  it('exports a database opened from bytes (a snapshot) the first time, plain writes or not', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)', 1));
    const restarted = NodeDatabase.create(SQL, d.export());
    restarted.applyLater(command("INSERT INTO t VALUES (1, 'a')", 2));
    // No export of its own yet to keep the writes on.
    expect(restarted.pendingSinceImage).toBe(0);
    expect(restarted.changesSinceImage).toBe(1);
    expect(restarted.image(true)!.pending).toBeNull();
    expect(restarted.changesSinceImage).toBe(0);
    for (const x of [d, restarted]) x.close();
  });

  it('exports instead after anything but a plain write, or past MAX_PENDING writes', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)', 1));
    const first = d.image(true)!;
    d.execute(command("INSERT INTO t VALUES (1, 'a')", 2));
    d.execute(command('CREATE TABLE u(x)', 3));
    expect(d.pendingSinceImage).toBe(0);
    const afterDdl = d.image(true)!;
    expect(afterDdl.pending).toBeNull();
    expect(afterDdl.bytes).not.toBe(first.bytes);
    for (let k = 0; k < MAX_PENDING; k++) d.applyLater(command(`INSERT INTO t VALUES (${k + 10}, 'x')`, k + 10));
    expect(d.pendingSinceImage).toBe(MAX_PENDING);
    expect(d.image(true)!.pending?.count).toBe(MAX_PENDING);
    d.applyLater(command(`INSERT INTO t VALUES (${MAX_PENDING + 10}, 'x')`, 5));
    expect(d.pendingSinceImage).toBe(0);
    const past = d.image(true)!;
    expect(past.pending).toBeNull();
    expect(sameBytes(bytesOf(past.bytes), d.export())).toBe(true);
    d.close();
  });
});
