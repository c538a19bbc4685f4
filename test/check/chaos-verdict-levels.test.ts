import { describe, expect, it } from 'vitest';
import { checkLevel, GUARANTEED, judge, type LevelVerdict } from '../../src/check/chaos/verdict';
import type { ChaosOp } from '../../src/drive/chaos/types';
import { chaosRun, freshReadHistory, op, staleReadHistory } from '../helpers/chaosRun';

/**
 * One level's verdict (checkLevel in src/check/chaos/verdict.ts) in full, and the stale-read
 * finder's rule: a read saw a value that a write, acknowledged before the read began and begun
 * after the seen value's write had returned, had already replaced. Written from mutation testing.
 */

const read = (id: number, call: number, value: number | null): ChaosOp =>
  op(id, { f: 'read', level: 'strong' }, call, call + 1, value);
const upsert = (id: number, value: number, call: number, ret: number): ChaosOp =>
  op(id, { f: 'upsert', value }, call, ret);

function stale(history: ChaosOp[]): LevelVerdict['staleRead'] {
  const v = checkLevel(history, 'strong');
  expect(v.result).toBe('illegal');
  return v.staleRead;
}

describe('a level’s verdict', () => {
  it('a stale read: where it broke, what came before, and who overwrote the value it saw', () => {
    const v = checkLevel(staleReadHistory('strong'), 'strong');
    expect(v).toEqual({
      level: 'strong',
      result: 'illegal',
      reads: 1,
      operations: 3,
      steps: 6,
      explanation: expect.stringContaining(
        'then none of these could come next:\n  client 2 [40, 45] [a] read() -> 1',
      ) as string,
      key: 'a',
      stuck: [2],
      prefix: [0, 1],
      staleRead: { read: 2, value: 1, wroteIt: 0, overwrittenBy: 1 },
    });
  });

  it('a linearizable level: no explanation, key, stuck set, prefix or stale read', () => {
    expect(checkLevel(freshReadHistory('strong'), 'strong')).toEqual({
      level: 'strong',
      result: 'ok',
      reads: 1,
      operations: 3,
      steps: 3,
      explanation: '',
      key: null,
      stuck: [],
      prefix: [],
      staleRead: null,
    });
  });

  it('checks every write but only the reads of its own level', () => {
    const v = checkLevel(staleReadHistory('strong'), 'weak');
    expect(v).toMatchObject({ level: 'weak', result: 'ok', reads: 0, operations: 2 });
  });

  it('an UPDATE that touched no row is checked as a read of nil but not counted among the reads', () => {
    const missed: ChaosOp = {
      ...op(1, { f: 'update', value: 5 }, 20, 30),
      outcome: { status: 'ok', rows: 0 },
    };
    const v = checkLevel([upsert(0, 1, 0, 10), missed, read(2, 40, 1)], 'strong');
    expect(v).toMatchObject({ result: 'illegal', reads: 1, operations: 3 });
  });

  it('a budget too small to decide leaves the level unknown, and judge passes its budget on', () => {
    const history = freshReadHistory('strong');
    expect(checkLevel(history, 'strong', 1)).toMatchObject({
      result: 'unknown',
      explanation: '',
      staleRead: null,
    });
    expect(judge(chaosRun(history, ['strong']), 1).outcome).toBe('undecided');
    expect(judge(chaosRun(history, ['strong'])).outcome).toBe('pass');
  });

  it('Raft guarantees linearizable results for strong and linearizable reads only', () => {
    expect(GUARANTEED).toEqual(['strong', 'linearizable']);
  });
});

describe('the stale read named in a failure', () => {
  it('a read of nil after a write was acknowledged: nobody wrote what it saw', () => {
    expect(stale([upsert(0, 1, 0, 10), read(1, 20, null)])).toEqual({
      read: 1,
      value: null,
      wroteIt: null,
      overwrittenBy: 0,
    });
  });

  it('the overwrite must have been acknowledged before the read began, strictly', () => {
    // A read of a value nobody wrote is illegal; the write that returns at the read's call does not count.
    expect(stale([upsert(0, 1, 10, 30), read(1, 30, 7)])).toBeNull();
    expect(stale([upsert(0, 1, 10, 29), read(1, 30, 7)])).toEqual({
      read: 1,
      value: 7,
      wroteIt: null,
      overwrittenBy: 0,
    });
  });

  it('a write that failed, an UPDATE that touched nothing, or a write to another key overwrote nothing', () => {
    const failed: ChaosOp = { ...upsert(0, 2, 0, 5), outcome: { status: 'fail', error: 'leader not found' } };
    const missed: ChaosOp = { ...op(0, { f: 'update', value: 2 }, 0, 5), outcome: { status: 'ok', rows: 0 } };
    const elsewhere: ChaosOp = { ...upsert(0, 2, 0, 5), key: 'b' };
    for (const first of [failed, missed, elsewhere]) {
      expect(stale([first, upsert(1, 1, 10, 20), read(2, 30, 7)]), JSON.stringify(first)).toEqual({
        read: 2,
        value: 7,
        wroteIt: null,
        overwrittenBy: 1,
      });
    }
  });

  it('a write concurrent with the one the read saw did not certainly replace it', () => {
    // 1 and 2 overlap; a read saw 2, so 2 came after 1; a later read of 1 is illegal, but no write
    // begun after another's return overwrote a value: no textbook stale read to name.
    const history = [upsert(0, 1, 0, 30), upsert(1, 2, 10, 20), read(2, 40, 2), read(3, 50, 1)];
    expect(stale(history)).toBeNull();
  });

  it('the write it saw is one of the read’s key and value: another key’s write of the same value, or the key’s first write, is not it', () => {
    const elsewhere: ChaosOp = { ...upsert(0, 1, 0, 25), key: 'b' };
    expect(stale([elsewhere, upsert(1, 1, 0, 10), upsert(2, 2, 20, 30), read(3, 40, 1)])).toEqual({
      read: 3,
      value: 1,
      wroteIt: 1,
      overwrittenBy: 2,
    });
    expect(stale([upsert(0, 5, 0, 5), upsert(1, 1, 10, 15), upsert(2, 2, 20, 30), read(3, 40, 1)])).toEqual({
      read: 3,
      value: 1,
      wroteIt: 1,
      overwrittenBy: 2,
    });
  });

  it('a successful cas overwrites, and so does an upsert whatever rows it reports', () => {
    const cas: ChaosOp = op(1, { f: 'cas', from: 1, value: 2 }, 20, 30);
    expect(stale([upsert(0, 1, 0, 10), cas, read(2, 40, 1)])).toEqual({
      read: 2,
      value: 1,
      wroteIt: 0,
      overwrittenBy: 1,
    });
    const noRows: ChaosOp = { ...upsert(1, 2, 20, 30), outcome: { status: 'ok' } };
    expect(stale([upsert(0, 1, 0, 10), noRows, read(2, 40, 1)])).toEqual({
      read: 2,
      value: 1,
      wroteIt: 0,
      overwrittenBy: 1,
    });
  });

  // Below, the history is illegal because its first read saw a value written only after it
  // returned (no stale read there); the finder then looks at the other reads.
  const fromTheFuture = (): ChaosOp[] => [read(0, 0, 7), upsert(1, 7, 5, 8)];

  it('a write begun at the instant the seen write returned is concurrent with it, not after it', () => {
    expect(
      stale([...fromTheFuture(), upsert(2, 1, 10, 20), upsert(3, 2, 20, 25), read(4, 30, 1)]),
    ).toBeNull();
    expect(stale([...fromTheFuture(), upsert(2, 1, 10, 20), upsert(3, 2, 21, 25), read(4, 30, 1)])).toEqual({
      read: 4,
      value: 1,
      wroteIt: 2,
      overwrittenBy: 3,
    });
  });

  it('writing the same value again is no overwrite', () => {
    expect(
      stale([...fromTheFuture(), upsert(2, 1, 10, 20), upsert(3, 1, 30, 40), read(4, 50, 1)]),
    ).toBeNull();
  });
});
