/** commandFacts and isBatchable (facts.ts): worked out once per logged command, and batch.ts's rule to the letter. */
import { describe, expect, it } from 'vitest';
import { batchable } from '../../src/db/batch';
import { FACTS_KEPT, commandFacts, isBatchable } from '../../src/db/facts';
import type { Command } from '../../src/db/types';

const TEXTS = [
  'INSERT INTO t VALUES (1)',
  "UPDATE t SET v = 'x' WHERE k = 2",
  'DELETE FROM t',
  'REPLACE INTO t VALUES (1)',
  'SELECT 1',
  'INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)',
  'BEGIN',
  'CREATE TABLE t(k)',
  'INSERT OR ROLLBACK INTO t VALUES (1)',
];

describe('isBatchable', () => {
  it('answers as batch.ts batchable for every command, in a transaction or not', () => {
    const seen = new Set<boolean>();
    for (const transaction of [false, true])
      for (const texts of [...TEXTS.map((t) => [t]), [TEXTS[0], TEXTS[1]], [TEXTS[0], TEXTS[4]], []]) {
        const cmd: Command = { statements: texts.map((sql) => ({ sql })), transaction, ts: 0 };
        expect(isBatchable(cmd), `${transaction} ${texts.join(' | ')}`).toBe(batchable(cmd));
        seen.add(isBatchable(cmd));
      }
    expect(seen).toEqual(new Set([true, false]));
    expect(isBatchable({ statements: [{ sql: TEXTS[0] }], transaction: false, ts: 0 })).toBe(true);
    expect(isBatchable({ statements: [{ sql: TEXTS[0] }], transaction: true, ts: 0 })).toBe(false);
  });
});

describe('commandFacts', () => {
  it('is worked out once per statements array: every node applying the shared entry gets the same facts', () => {
    const statements = [{ sql: "INSERT INTO t VALUES (1, 'a')" }];
    const first = commandFacts({ statements, transaction: false, ts: 0 });
    expect(commandFacts({ statements, transaction: false, ts: 0 })).toBe(first);
    expect(first.statements[0].template).toEqual({ sql: 'INSERT INTO t VALUES (?, ?)', values: [1, 'a'] });
    // Another array of the same text is another entry: facts equal, not shared.
    const other = commandFacts({ statements: [{ sql: statements[0].sql }], transaction: false, ts: 0 });
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
  });

  it('keeps only the latest commands: one asked for again after many others gets the same facts, worked out again', () => {
    const statements = [{ sql: "UPDATE t SET v = 'y' WHERE k = 3" }];
    const first = commandFacts({ statements, transaction: false, ts: 0 });
    for (let i = 0; i < FACTS_KEPT - 1; i++) commandFacts({ statements: [{ sql: `INSERT INTO t VALUES (${i})` }], transaction: false, ts: 0 });
    // Still among the latest FACTS_KEPT: shared.
    expect(commandFacts({ statements, transaction: false, ts: 0 })).toBe(first);
    for (let i = 0; i < FACTS_KEPT; i++) commandFacts({ statements: [{ sql: `INSERT INTO t VALUES (${i})` }], transaction: false, ts: 0 });
    const again = commandFacts({ statements, transaction: false, ts: 0 });
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
