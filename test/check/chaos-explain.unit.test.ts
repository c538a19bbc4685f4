/**
 * The chaos timeline's words (describeOp, explainVerdict) and the mapping of client operations to
 * register operations (toRegisterOp, levelHistory), one case per rule. Hand-made histories: no
 * cluster is run.
 */
import { describe, expect, it } from 'vitest';
import { describeOp, explainVerdict } from '../../src/check/chaos/explain';
import { levelHistory, toRegisterOp } from '../../src/check/chaos/history';
import type { LevelVerdict } from '../../src/check/chaos/verdict';
import type { ChaosOp, ChaosOutcome, ChaosRequest } from '../../src/drive/chaos/types';

function op(id: number, req: ChaosRequest, outcome: ChaosOutcome, more: Partial<ChaosOp> = {}): ChaosOp {
  return { id, client: id + 10, key: 'k', req, node: 'n1', servedBy: 'n2', call: id * 10, return: id * 10 + 5, gaveUpAt: null, outcome, ...more };
}

const ok = (o: { value?: number | null; rows?: number } = {}): ChaosOutcome => ({ status: 'ok', ...o });

function verdict(v: Partial<LevelVerdict>): LevelVerdict {
  return { level: 'strong', result: 'illegal', reads: 0, operations: 0, steps: 0, explanation: '', key: 'k', stuck: [], prefix: [], staleRead: null, ...v };
}

describe('describeOp: one operation in a few words', () => {
  it('names reads with their level and value, nil when no row', () => {
    expect(describeOp(op(0, { f: 'read', level: 'weak' }, ok({ value: 7 })))).toBe('client 10: read k (weak) → 7');
    expect(describeOp(op(0, { f: 'read', level: 'none' }, ok({ value: null })))).toBe('client 10: read k (none) → nil (no row)');
    expect(describeOp(op(0, { f: 'read', level: 'none' }, ok()))).toBe('client 10: read k (none) → nil (no row)');
    expect(describeOp(op(0, { f: 'read', level: 'linearizable' }, ok({ value: 0 })))).toBe('client 10: read k (linearizable) → 0');
  });

  it('names writes, updates and cas with the rows they touched', () => {
    expect(describeOp(op(1, { f: 'upsert', value: 3 }, ok({ rows: 1 })))).toBe('client 11: write k = 3 → ok');
    expect(describeOp(op(1, { f: 'update', value: 3 }, ok({ rows: 1 })))).toBe('client 11: update k = 3 → 1 row');
    expect(describeOp(op(1, { f: 'update', value: 3 }, ok({ rows: 2 })))).toBe('client 11: update k = 3 → 2 rows');
    expect(describeOp(op(1, { f: 'update', value: 3 }, ok()))).toBe('client 11: update k = 3 → 0 rows');
    expect(describeOp(op(1, { f: 'cas', from: 2, value: 3 }, ok({ rows: 0 })))).toBe('client 11: cas k 2 → 3 → 0 rows');
  });

  it('names failures and unknown outcomes with their error', () => {
    expect(describeOp(op(2, { f: 'upsert', value: 3 }, { status: 'fail', error: 'not leader' }))).toBe('client 12: write k = 3 → fail: not leader');
    expect(describeOp(op(2, { f: 'read', level: 'strong' }, { status: 'unknown', error: 'timed out' }))).toBe('client 12: read k (strong) → unknown: timed out');
  });
});

describe('explainVerdict: why a level is or is not linearizable, in words', () => {
  it('says so when every read is consistent, or when the checker gave up', () => {
    expect(explainVerdict([], verdict({ level: 'weak', result: 'ok' }))).toBe(
      'Every weak read is consistent with one order of all operations that respects real time.',
    );
    expect(explainVerdict([], verdict({ level: 'strong', result: 'unknown' }))).toBe(
      'The checker ran out of its step budget before deciding the strong reads.',
    );
  });

  it('a stale read at none or weak is allowed and the sentence says why it happened', () => {
    const h = [
      op(0, { f: 'upsert', value: 1 }, ok({ rows: 1 })),
      op(1, { f: 'cas', from: 1, value: 2 }, ok({ rows: 1 })),
      op(2, { f: 'read', level: 'none' }, ok({ value: 1 }), { servedBy: null, node: 'n3' }),
    ];
    const stale = { read: 2, value: 1, wroteIt: 0, overwrittenBy: 1 };
    expect(explainVerdict(h, verdict({ level: 'none', staleRead: stale }))).toBe(
      "Stale read: client 12 read k = 1 (written by client 10) at 20 ms from n3, but client 11's cas of 2 to k had already been acknowledged at 15 ms, before the read began. " +
        'n3 answered from its own copy of the database without asking anyone whether it was up to date. The none level allows this; strong and linearizable reads do not.',
    );
    expect(explainVerdict(h, verdict({ level: 'weak', staleRead: stale }))).toContain(
      'from n3, but client 11\'s cas of 2 to k had already been acknowledged at 15 ms, before the read began. n3 believed it was the leader and answered from its own database without confirming with a majority; a newer leader had already taken the write. The weak level allows this',
    );
  });

  it('a stale read at strong or linearizable is a bug; a nil read names no writer', () => {
    const h = [
      op(0, { f: 'upsert', value: 1 }, ok({ rows: 1 })),
      op(1, { f: 'read', level: 'strong' }, ok({ value: null })),
    ];
    const text = explainVerdict(h, verdict({ level: 'strong', staleRead: { read: 1, value: null, wroteIt: null, overwrittenBy: 0 } }));
    expect(text).toBe(
      "Stale read: client 11 read k = nil (no row) at 10 ms from n2, but client 10's write of 1 to k had already been acknowledged at 5 ms, before the read began. " +
        'n2 answered with a value that had already been replaced. Raft promises this level never does this: it is a bug.',
    );
  });

  it('an update that overwrote the value is called a write', () => {
    const h = [op(0, { f: 'update', value: 4 }, ok({ rows: 1 })), op(1, { f: 'read', level: 'linearizable' }, ok({ value: 3 }))];
    expect(explainVerdict(h, verdict({ level: 'linearizable', staleRead: { read: 1, value: 3, wroteIt: null, overwrittenBy: 0 } }))).toContain(
      "client 10's write of 4 to k",
    );
  });

  it('without a plain stale read it names how far the checker got, and a stuck read that saw a value', () => {
    const h = [
      op(0, { f: 'upsert', value: 1 }, ok({ rows: 1 })),
      op(1, { f: 'upsert', value: 2 }, { status: 'unknown', error: 'timed out' }),
      op(2, { f: 'read', level: 'strong' }, ok({ value: 2 })),
    ];
    const general = 'No order of the operations on key k explains what the clients saw: the checker placed 1 of them in order, then none of the highlighted ones could come next.';
    expect(explainVerdict(h, verdict({ prefix: [0], stuck: [1] }))).toBe(general);
    expect(explainVerdict(h, verdict({ prefix: [0], stuck: [1, 2] }))).toBe(
      `${general} Client 12's read of k = 2 from n2 at 20 ms returns a value that earlier operations had already shown to be overwritten: the nodes asked were behind by different amounts.`,
    );
    const unanswered = op(3, { f: 'read', level: 'strong' }, { status: 'unknown', error: 'timed out' });
    expect(explainVerdict([...h, unanswered], verdict({ prefix: [], stuck: [3], key: null }))).toBe(
      'No order of the operations on key ? explains what the clients saw: the checker placed 0 of them in order, then none of the highlighted ones could come next.',
    );
    // The read named is the first stuck read that answered, past writes and unanswered reads.
    expect(explainVerdict([...h, unanswered], verdict({ prefix: [], stuck: [3, 0, 2] }))).toContain("Client 12's read of k = 2 from n2 at 20 ms");
    const viaNode = [op(0, { f: 'read', level: 'none' }, ok({ value: 5 }), { servedBy: null, node: 'n4' })];
    expect(explainVerdict(viaNode, verdict({ stuck: [0] }))).toContain("Client 10's read of k = 5 from n4 at 0 ms");
  });
});

describe('toRegisterOp: client operations as register operations', () => {
  const base = { call: 3, return: 9 };

  it('keeps the id, client and times of the operation', () => {
    expect(toRegisterOp(op(4, { f: 'upsert', value: 1 }, ok({ rows: 1 }), base))).toEqual({
      id: 4, clientId: 14, call: 3, return: 9, input: { key: 'k', f: 'write', value: 1 }, output: { status: 'ok' },
    });
  });

  it('an acknowledged upsert is a write whatever row count it reports', () => {
    expect(toRegisterOp(op(0, { f: 'upsert', value: 5 }, ok(), base))).toMatchObject({ input: { key: 'k', f: 'write', value: 5 }, output: { status: 'ok' } });
  });

  it('a read is a read of its value, nil when it saw no row', () => {
    expect(toRegisterOp(op(0, { f: 'read', level: 'none' }, ok({ value: 6 }), base))).toMatchObject({ input: { key: 'k', f: 'read' }, output: { status: 'ok', value: 6 } });
    expect(toRegisterOp(op(0, { f: 'read', level: 'none' }, ok(), base))).toMatchObject({ output: { status: 'ok', value: null } });
  });

  it('an UPDATE that touched a row is a write; one that touched none read nil', () => {
    expect(toRegisterOp(op(0, { f: 'update', value: 2 }, ok({ rows: 1 }), base))).toMatchObject({ input: { key: 'k', f: 'write', value: 2 }, output: { status: 'ok' } });
    expect(toRegisterOp(op(0, { f: 'update', value: 2 }, ok({ rows: 0 }), base))).toMatchObject({ input: { key: 'k', f: 'read' }, output: { status: 'ok', value: null } });
    expect(toRegisterOp(op(0, { f: 'update', value: 2 }, ok(), base))).toMatchObject({ input: { f: 'read' } });
  });

  it('a cas succeeded when it touched a row and failed when it touched none', () => {
    expect(toRegisterOp(op(0, { f: 'cas', from: 1, value: 2 }, ok({ rows: 1 }), base))).toMatchObject({ input: { key: 'k', f: 'cas', from: 1, to: 2 }, output: { status: 'ok' } });
    expect(toRegisterOp(op(0, { f: 'cas', from: 1, value: 2 }, ok({ rows: 0 }), base))).toMatchObject({ output: { status: 'fail' } });
    expect(toRegisterOp(op(0, { f: 'cas', from: 1, value: 2 }, ok(), base))).toMatchObject({ output: { status: 'fail' } });
  });

  it('an unknown write may take effect any time later; an unknown read or any failure constrains nothing', () => {
    expect(toRegisterOp(op(0, { f: 'upsert', value: 2 }, { status: 'unknown', error: 't' }, base))).toMatchObject({
      input: { key: 'k', f: 'write', value: 2 }, output: { status: 'unknown' }, return: Infinity,
    });
    expect(toRegisterOp(op(0, { f: 'update', value: 2 }, { status: 'unknown', error: 't' }, base))).toMatchObject({ input: { f: 'write', value: 2 } });
    expect(toRegisterOp(op(0, { f: 'cas', from: null, value: 2 }, { status: 'unknown', error: 't' }, base))).toMatchObject({
      input: { key: 'k', f: 'cas', from: null, to: 2 }, output: { status: 'unknown' }, return: Infinity,
    });
    expect(toRegisterOp(op(0, { f: 'read', level: 'strong' }, { status: 'unknown', error: 't' }, base))).toBeNull();
    expect(toRegisterOp(op(0, { f: 'cas', from: 1, value: 2 }, { status: 'fail', error: 'x' }, base))).toBeNull();
  });
});

describe('levelHistory: what one read level answers for', () => {
  it('every write, and only the reads made at that level', () => {
    const h = [
      op(0, { f: 'upsert', value: 1 }, ok({ rows: 1 })),
      op(1, { f: 'read', level: 'weak' }, ok({ value: 1 })),
      op(2, { f: 'read', level: 'strong' }, ok({ value: 1 })),
      op(3, { f: 'upsert', value: 2 }, { status: 'fail', error: 'no leader' }),
      op(4, { f: 'cas', from: 1, value: 2 }, ok({ rows: 1 })),
    ];
    expect(levelHistory(h, 'strong').map((o) => o.id)).toEqual([0, 2, 4]);
    expect(levelHistory(h, 'weak').map((o) => o.id)).toEqual([0, 1, 4]);
    expect(levelHistory(h, 'none').map((o) => o.id)).toEqual([0, 4]);
  });
});
