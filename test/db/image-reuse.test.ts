/**
 * A checkpoint's image of a database that nothing has written since the last one is that same
 * image, given again instead of exported anew (NodeDatabase.image): whatever ran in between, the
 * image given is always the file, settings and last_insert_rowid() an export would give now.
 */
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { sameBytes } from '../../src/replay/shareImages';
import { NodeDatabase, type DatabaseImage } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';
import { bytesOf } from '../../src/db/fileBytes';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const command = (sql: string, seed: number): Command => ({ statements: [{ sql }], transaction: false, ts: 1_700_000_000_000 + seed, seed });

type Op =
  | { kind: 'execute' | 'later'; k: number }
  | { kind: 'read' }
  | { kind: 'pragma-read'; on: boolean }
  | { kind: 'pragma-write'; on: boolean }
  | { kind: 'image' };

const ops = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constantFrom('execute' as const, 'later' as const), k: fc.nat(50) }),
    fc.constant({ kind: 'read' as const }),
    fc.record({ kind: fc.constantFrom('pragma-read' as const, 'pragma-write' as const), on: fc.boolean() }),
    fc.constant({ kind: 'image' as const }),
  ),
  { maxLength: 40 },
);

function run(d: NodeDatabase, op: Op, seed: number): void {
  if (op.kind === 'execute') d.execute(command(`INSERT OR REPLACE INTO t VALUES (${op.k}, 'v${seed}')`, seed));
  else if (op.kind === 'later') d.applyLater(command(`INSERT OR REPLACE INTO t VALUES (${op.k}, 'w${seed}')`, seed));
  else if (op.kind === 'read') d.query([{ sql: 'SELECT count(*) FROM t' }]);
  // A read that would set the connection's setting: refused, so it changes nothing an image holds.
  else if (op.kind === 'pragma-read') expect(d.query([{ sql: `PRAGMA recursive_triggers(${op.on ? 1 : 0})` }])[0]).toHaveProperty('error');
  else if (op.kind === 'pragma-write') d.execute(command(`PRAGMA recursive_triggers = ${op.on ? 1 : 0}`, seed));
}

describe('an image given again while nothing was written', () => {
  it('is always what an export gives at that moment; given again exactly when nothing was written since', () => {
    fc.assert(
      fc.property(ops, fc.boolean(), (list, restored) => {
        const first = NodeDatabase.create(SQL);
        first.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)', 1));
        // Or restored lazily from an image of it, opened by whatever comes first.
        const d = restored ? NodeDatabase.fromImage(SQL, first.image()!, true) : first;
        if (restored) first.close();
        let last: DatabaseImage | null = null;
        let changed = true;
        list.forEach((op, i) => {
          if (op.kind !== 'image') {
            run(d, op, i + 2);
            if (op.kind !== 'read' && op.kind !== 'pragma-read') changed = true;
            return;
          }
          const img = d.image()!;
          expect(sameBytes(bytesOf(img.bytes), d.export())).toBe(true);
          if (!changed) expect(img).toBe(last);
          last = img;
          changed = false;
        });
        d.close();
      }),
      { numRuns: 60 },
    );
  });

  it('a restored database untouched since gives back the image it was restored from, opened or not', () => {
    const d = NodeDatabase.create(SQL);
    d.execute(command('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)', 1));
    d.execute(command("INSERT INTO t VALUES (1, 'a')", 2));
    const img = d.image()!;
    d.close();
    const lazy = NodeDatabase.fromImage(SQL, img, true);
    expect(lazy.image()).toBe(img);
    // Opened by a read: still the same file.
    expect(lazy.query([{ sql: 'SELECT v FROM t' }])[0]).toMatchObject({ values: [['a']] });
    expect(lazy.image()).toBe(img);
    lazy.execute(command("INSERT INTO t VALUES (2, 'b')", 3));
    const next = lazy.image()!;
    expect(next).not.toBe(img);
    expect(sameBytes(bytesOf(next.bytes), lazy.export())).toBe(true);
    lazy.close();
  });
});
