import { describe, expect, it } from 'vitest';
import { explainVerdict } from '../../src/check/chaos/explain';
import { toRegisterOp } from '../../src/check/chaos/history';
import { checkLevel, judge } from '../../src/check/chaos/verdict';
import { SafetyMonitor } from '../../src/check/safety';
import { runChaos } from '../../src/drive/chaos/run';
import type { ChaosOp, ChaosRun } from '../../src/drive/chaos/types';
import { sqljs } from '../helpers/drive';

function valueOf(op: ChaosOp): number | null {
  return op.req.f === 'read' ? null : op.req.value;
}

/** Writes that certainly took effect: acknowledged upserts, and UPDATEs that touched the row. */
function effectiveWrites(history: ChaosOp[], key: string): ChaosOp[] {
  return history.filter(
    (w) => w.key === key && w.req.f !== 'read' && w.outcome.status === 'ok' && (w.req.f === 'upsert' || (w.outcome.rows ?? 0) > 0),
  );
}

/** The read's value had certainly been overwritten before the read began. */
function isStale(history: ChaosOp[], r: ChaosOp): boolean {
  if (r.outcome.status !== 'ok') return false;
  const seen = r.outcome.value ?? null;
  const writes = effectiveWrites(history, r.key);
  const wroteIt = writes.find((w) => valueOf(w) === seen);
  const after = wroteIt ? wroteIt.return : -Infinity;
  return writes.some((x) => x !== wroteIt && x.call > after && x.return < r.call);
}

async function chaos(seed: number, nodes: number, extra: Parameters<typeof runChaos>[1] = {}): Promise<ChaosRun> {
  const SQL = await sqljs();
  return runChaos(SQL, { seed, nodes, ...extra }, (c) => new SafetyMonitor(c));
}

describe('chaos runs', () => {
  for (const nodes of [3, 5]) {
    it(`${nodes} nodes: safe, converged, and strong/linearizable reads linearizable`, async () => {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const run = await chaos(seed, nodes);
        const verdict = judge(run);
        expect(run.violations, `seed ${seed}`).toEqual([]);
        expect(run.converged, `seed ${seed}`).toBe(true);
        expect(run.hashesAgree, `seed ${seed}`).toBe(true);
        expect(run.faults.length, `seed ${seed}`).toBeGreaterThan(0);
        expect(run.history.filter((o) => o.outcome.status === 'ok').length, `seed ${seed}`).toBeGreaterThan(20);
        for (const v of verdict.levels.filter((l) => l.level === 'strong' || l.level === 'linearizable')) {
          expect(v.result, `seed ${seed} ${v.level}\n${v.explanation}`).toBe('ok');
          expect(v.reads).toBeGreaterThan(0);
        }
        expect(verdict.ok).toBe(true);
      }
    });
  }

  it('the same seed gives the same history, faults and final databases', async () => {
    const a = await chaos(11, 5);
    const b = await chaos(11, 5);
    expect(JSON.stringify(b.history)).toBe(JSON.stringify(a.history));
    expect(b.faults).toEqual(a.faults);
    expect(b.nodes).toEqual(a.nodes);
    expect(b.events).toBe(a.events);
    const c = await chaos(12, 5);
    expect(JSON.stringify(c.history)).not.toBe(JSON.stringify(a.history));
  });

  it('a `none` read on the minority side of a partition is caught as a stale read', async () => {
    // n1..n5 start together; cut n4,n5 off so that the majority moves on without them, and let one
    // client read at `none` wherever it lands. With only `none` reads and one key, a read served
    // by n4 or n5 after the majority overwrote the key is stale.
    const run = await chaos(3, 5, {
      keys: 1,
      ops: 60,
      levels: ['none'],
      readRatio: 0.5,
      faults: [
        { at: 150, action: { kind: 'partition', groups: [['n1', 'n2', 'n3'], ['n4', 'n5']] } },
        { at: 1500, action: { kind: 'heal' } },
      ],
    });
    expect(run.violations).toEqual([]);
    const none = checkLevel(run.history, 'none');
    expect(none.result).toBe('illegal');
    expect(none.stuck.length).toBeGreaterThan(0);
    expect(none.explanation).toMatch(/is not linearizable/);
    const stale = none.staleRead!;
    expect(stale).not.toBeNull();
    const read = run.history[stale.read];
    expect(read.req).toEqual({ f: 'read', level: 'none' });
    expect(explainVerdict(run.history, none)).toMatch(/^Stale read: client \d read a = (\d+|nil \(no row\)) .* from n\d, but client \d's (write|cas) of \d+ to a had already been acknowledged/);
    const overwrite = run.history[stale.overwrittenBy];
    expect(overwrite.return).toBeLessThan(read.call);
    // Independently of the checker: the minority side answered reads with values the majority had
    // already replaced (a lagging follower on the majority side may be stale too, and may be the
    // one the search trips over first).
    const start = run.history[0].call;
    const minorityReads = run.history.filter(
      (o) => o.req.f === 'read' && o.outcome.status === 'ok' && (o.servedBy === 'n4' || o.servedBy === 'n5') && o.call > start + 400 && o.call < start + 1500,
    );
    expect(minorityReads.some((r) => isStale(run.history, r))).toBe(true);
  });

  it('a history with one altered read value is flagged', async () => {
    const run = await chaos(2, 5, { levels: ['linearizable'] });
    expect(checkLevel(run.history, 'linearizable').result).toBe('ok');
    // Make a read that saw write W report instead the value of a write P that W certainly came
    // after, W having finished before the read began: a read of an overwritten value.
    let altered: ChaosOp[] | null = null;
    for (const r of run.history) {
      if (r.req.f !== 'read' || r.outcome.status !== 'ok' || r.outcome.value == null) continue;
      const writes = effectiveWrites(run.history, r.key);
      const w = writes.find((x) => valueOf(x) === (r.outcome.status === 'ok' ? r.outcome.value : undefined));
      const p = w && writes.find((x) => x.return < w.call);
      if (!w || !p || w.return >= r.call) continue;
      const changed: ChaosOp = { ...r, outcome: { status: 'ok', value: valueOf(p) } };
      altered = run.history.map((o) => (o.id === r.id ? changed : o));
      break;
    }
    expect(altered).not.toBeNull();
    const verdict = checkLevel(altered!, 'linearizable');
    expect(verdict.result).toBe('illegal');
    expect(verdict.explanation).toMatch(/could come next/);
  });

  it('names a plain stale read, and a read contradicting other reads, in words', () => {
    const op = (id: number, client: number, req: ChaosOp['req'], call: number, ret: number, value?: number): ChaosOp => ({
      id, client, key: 'c', req, node: 'n1', servedBy: 'n1', call, return: ret, gaveUpAt: null,
      outcome: req.f === 'read' ? { status: 'ok', value: value ?? null } : { status: 'ok', rows: 1 },
    });
    const plain = [op(0, 0, { f: 'upsert', value: 1 }, 0, 10), op(1, 1, { f: 'upsert', value: 2 }, 20, 30), op(2, 2, { f: 'read', level: 'none' }, 40, 40, 1)];
    const v = checkLevel(plain, 'none');
    expect(v.staleRead).toEqual({ read: 2, value: 1, wroteIt: 0, overwrittenBy: 1 });
    expect(explainVerdict(plain, v)).toMatch(/^Stale read: client 2 read c = 1 \(written by client 0\) at 40 ms from n1, but client 1's write of 2 to c had already been acknowledged at 30 ms/);
    // 42 overlaps 43 and 44, so only the first read orders it last; the second read then goes back.
    const skew = [
      op(0, 0, { f: 'upsert', value: 42 }, 5, 28),
      op(1, 1, { f: 'upsert', value: 43 }, 10, 20),
      op(2, 1, { f: 'update', value: 44 }, 21, 30),
      op(3, 2, { f: 'read', level: 'none' }, 40, 40, 42),
      op(4, 3, { f: 'read', level: 'none' }, 50, 50, 44),
    ];
    const w = checkLevel(skew, 'none');
    expect(w.result).toBe('illegal');
    expect(w.staleRead).toBeNull();
    expect(w.stuck).toContain(4);
    expect(explainVerdict(skew, w)).toMatch(/Client 3's read of c = 44 from n1 at 50 ms returns a value that earlier operations had already shown to be overwritten/);
    expect(explainVerdict(skew, checkLevel(skew.slice(0, 4), 'none'))).toMatch(/^Every none read is consistent/);
  });

  it('maps outcomes to register operations soundly', () => {
    const base = { id: 0, client: 0, key: 'a', node: 'n1', servedBy: 'n1', call: 1, return: 5, gaveUpAt: null };
    expect(toRegisterOp({ ...base, req: { f: 'update', value: 7 }, outcome: { status: 'ok', rows: 0 } })?.input).toEqual({ key: 'a', f: 'read' });
    expect(toRegisterOp({ ...base, req: { f: 'upsert', value: 7 }, outcome: { status: 'fail', error: 'leader not found' } })).toBeNull();
    const unknown = toRegisterOp({ ...base, return: Infinity, req: { f: 'cas', from: 3, value: 7 }, outcome: { status: 'unknown', error: 'request timed out' } });
    expect(unknown?.output).toEqual({ status: 'unknown' });
    expect(unknown?.return).toBe(Infinity);
  });
});

describe('chaos with the SQL mix', () => {
  it('every member ends with the same database while SQL beyond key-value runs beside the clients', async () => {
    for (const seed of [1]) {
      const SQL = await sqljs();
      const run = runChaos(SQL, { seed, nodes: 5, faultEvery: 60, ops: 40, sqlMix: true }, (c) => new SafetyMonitor(c));
      expect(run.violations, `seed ${seed}`).toEqual([]);
      expect(run.converged, `seed ${seed}`).toBe(true);
      expect(run.hashesAgree, `seed ${seed}`).toBe(true);
    }
  }, 60_000);
});
