import { describe, expect, it } from 'vitest';
import { commandOf } from '../../src/cluster/entryCommand';
import type { EntryData } from '../../src/cluster/types';
import type { Entry } from '../../src/raft/types';

const data: Extract<EntryData, { op: 'execute' }> = { op: 'execute', statements: [{ sql: "INSERT INTO t VALUES (1, 'a')" }], transaction: false, ts: 1_700_000_000_000 };
const entry = (index: number): Entry => ({ index, term: 1, kind: 'command', data });

describe('the command of an execute entry', () => {
  it('is one object for every node that applies the entry, seeded by its index', () => {
    const e = entry(7);
    const cmd = commandOf(e, data);
    expect(cmd).toEqual({ statements: data.statements, transaction: false, ts: data.ts, seed: 7 });
    // Another node applying the same (shared) entry gets the same command.
    expect(commandOf(e, data)).toBe(cmd);
    // Another entry with the same data (another index) has its own.
    expect(commandOf(entry(8), data)).not.toBe(cmd);
    expect(commandOf(entry(8), data).seed).toBe(8);
  });
});
