import { describe, expect, it } from 'vitest';
import type { Addressed } from '../../src/sim/events';
import { World } from '../../src/sim/world';

const noHandler = { isAlive: () => true, deliver: () => {}, timer: () => true };

describe('a world restored from a checkpoint', () => {
  it('gives the event a node was still deciding on the decisions it had then, and leaves the original its own', () => {
    const a = new World<Addressed>(5);
    a.handler = noHandler;
    a.record({ kind: 'crash', node: 'n1' });
    const restart = a.record({ kind: 'restart', node: 'n1' });
    a.decide('n1', [{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    const cp = a.checkpoint()!;
    // After the checkpoint, the same event collects one more decision in the run that goes on.
    a.decide('n1', [{ code: 'applied', from: 2, to: 2, commitIndex: 2 }]);

    const b = new World<Addressed>(5);
    b.handler = noHandler;
    b.restore(cp, [...a.log]);
    expect(b.log[0]).toBe(a.log[0]);
    expect(b.log[1]).not.toBe(restart);
    expect(b.log[1].decisions?.map((d) => d.reason)).toEqual([{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    b.decide('n1', [{ code: 'applied', from: 3, to: 3, commitIndex: 3 }]);
    expect(b.log[1].decisions).toHaveLength(2);
    expect(restart.decisions?.map((d) => d.reason.code === 'applied' && d.reason.to)).toEqual([1, 2]);
  });

  it('cuts a latest event\'s list of decisions to its length, the same decisions, and the event goes on collecting them', () => {
    const a = new World<Addressed>(5);
    a.handler = noHandler;
    const e = a.record({ kind: 'restart', node: 'n1' });
    const reasons = [1, 2, 3].map((i) => ({ code: 'applied' as const, from: i, to: i, commitIndex: i }));
    for (const r of reasons) a.decide('n1', [r]);
    const before = e.decisions;
    const cp = a.checkpoint()!;
    expect(e.decisions).not.toBe(before);
    expect(e.decisions).toEqual(before);
    expect(cp.lastOf).toEqual([['n1', e, 3]]);
    a.decide('n1', [{ code: 'applied', from: 4, to: 4, commitIndex: 4 }]);
    expect(e.decisions?.map((d) => d.reason.code === 'applied' && d.reason.to)).toEqual([1, 2, 3, 4]);
    const b = new World<Addressed>(5);
    b.handler = noHandler;
    b.restore(cp, []);
    expect(b.latestEvents()[0].decisions?.map((d) => d.reason)).toEqual(reasons);
  });

  it('restored with a latest event known by its seq alone (a shadow), sends after it and keeps no decisions', () => {
    const a = new World<Addressed>(5);
    a.handler = noHandler;
    a.record({ kind: 'crash', node: 'n2' });
    const e = a.record({ kind: 'restart', node: 'n1' });
    const cp = a.checkpoint()!;
    const b = new World<Addressed>(5);
    b.handler = noHandler;
    b.restore({ ...cp, lastOf: cp.lastOf.map(([node, ev, decided]) => [node, typeof ev === 'number' ? ev : ev.seq, decided]) }, []);
    expect(b.latestEvents()).toEqual([]);
    b.decide('n1', [{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    b.send({ type: 'Ping', from: 'n1', to: 'n2' });
    a.send({ type: 'Ping', from: 'n1', to: 'n2' });
    const sent = (w: World<Addressed>) => w.inFlight().map((m) => m.id);
    expect(sent(b)).toEqual(sent(a));
    b.stepOne();
    a.stepOne();
    const delivered = (w: World<Addressed>) => w.log.at(-1) as { sentAfter?: number } | undefined;
    expect(delivered(b)?.sentAfter).toBe(e.seq);
    expect(delivered(b)?.sentAfter).toBe(delivered(a)?.sentAfter);
    // Checkpointed again, it still knows n1's by its seq; n2's latest is now the delivery it logged.
    const again = new Map(b.checkpoint()!.lastOf.map(([node, ev]) => [node, ev]));
    expect(again.get('n1')).toBe(1);
    expect(again.get('n2')).toBe(b.log.at(-1));
  });

  it('restored with latest events by seq and a way to read them back, reads one only when a decision comes for it', () => {
    const a = new World<Addressed>(5);
    a.handler = noHandler;
    a.record({ kind: 'crash', node: 'n2' });
    const e = a.record({ kind: 'restart', node: 'n1' });
    a.decide('n1', [{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    const cp = a.checkpoint()!;
    const bySeq = cp.lastOf.map(([node, ev, decided]): [string, number, number] => [node, typeof ev === 'number' ? ev : ev.seq, decided]);
    const b = new World<Addressed>(5);
    b.handler = noHandler;
    const read: number[] = [];
    // The run's log keeper makes the copy, with the decisions the event had at the checkpoint.
    const copy = { ...e, decisions: e.decisions!.slice(0, 1) };
    b.readBack = (seq) => {
      read.push(seq);
      return copy;
    };
    b.restore({ ...cp, lastOf: bySeq }, []);
    expect(read).toEqual([]);
    // Checkpointed again before any decision, each keeps the count it had.
    expect(b.checkpoint()!.lastOf).toEqual(bySeq);
    b.decide('n1', [{ code: 'applied', from: 2, to: 2, commitIndex: 2 }]);
    expect(read).toEqual([e.seq]);
    expect(copy.decisions.map((d) => d.reason.code === 'applied' && d.reason.to)).toEqual([1, 2]);
    expect(e.decisions?.map((d) => d.reason.code === 'applied' && d.reason.to)).toEqual([1]);
    expect(b.latestEvents()).toEqual([copy]);
  });

  it('restored with a log that starts past seq 0 (a sealed run), puts the copy in the log at its seq', () => {
    const a = new World<Addressed>(5);
    a.handler = noHandler;
    a.record({ kind: 'crash', node: 'n2' });
    a.record({ kind: 'restart', node: 'n2' });
    // The log is handed on at a seal, as a checkpoint does: what follows starts at seq 2.
    a.log = [];
    a.record({ kind: 'crash', node: 'n3' });
    const latest = a.record({ kind: 'restart', node: 'n1' });
    a.decide('n1', [{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    const cp = a.checkpoint()!;
    const b = new World<Addressed>(5);
    b.handler = noHandler;
    b.restore(cp, [...a.log]);
    // Both are some server's latest: each is replaced in the log, at its seq, by its copy.
    expect(b.log[1]).not.toBe(latest);
    expect(b.log[1]).toEqual(latest);
    expect(b.log[0]).not.toBe(a.log[0]);
    expect(b.latestEvents()).toEqual(expect.arrayContaining([b.log[0], b.log[1]]));
  });

  it('keeps a decision on no event when its server logged none, and names no message a host decision did not follow', () => {
    const a = new World<Addressed>(5);
    a.handler = noHandler;
    a.decide('n7', [{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    expect(a.latestEvents()).toEqual([]);
    const e = a.record({ kind: 'restart', node: 'n1' });
    a.decide('n1', [{ code: 'applied', from: 1, to: 1, commitIndex: 1 }]);
    expect(e.decisions).toStrictEqual([{ reason: { code: 'applied', from: 1, to: 1, commitIndex: 1 }, time: 0 }]);
  });

  it('draws the same numbers and runs the same queue', () => {
    const a = new World<Addressed>(9);
    a.handler = noHandler;
    a.net.isolate('n2');
    a.scheduleTimer('n1', 'election', 30, 1);
    a.at(50, () => {}, () => true);
    const cp = a.checkpoint()!;
    const b = new World<Addressed>(1);
    b.handler = noHandler;
    b.restore(cp, [...a.log]);
    expect([b.prng.nextU32(), b.net.connected('n1', 'n2'), b.nextTime()]).toEqual([a.prng.nextU32(), a.net.connected('n1', 'n2'), a.nextTime()]);
    while (a.stepOne()) expect(b.stepOne()).toBe(true);
    expect(b.stepOne()).toBe(false);
    expect([b.now, b.steps]).toEqual([a.now, a.steps]);
  });

  it('runs inert host calls kept as numbers in their place among timers due at the same times', () => {
    const fired = (log: string[]) => ({ ...noHandler, timer: (node: string) => (log.push(node), true) });
    const a = new World<Addressed>(3);
    const seen: string[] = [];
    a.handler = fired(seen);
    for (let i = 0; i < 12; i++) {
      if (i % 3 === 0) a.at(10 * (i % 4), () => {}, () => true);
      else a.scheduleTimer(`n${i}`, 'election', 10 * (i % 4), 1);
    }
    const cp = a.checkpoint()!;
    expect(cp.calls).toHaveLength(8);
    const b = new World<Addressed>(3);
    const seenB: string[] = [];
    b.handler = fired(seenB);
    b.restore(cp, []);
    // Restored, they are host calls still: a checkpoint of the restored world keeps them as such
    // (as time and seq pairs, in the queue's order, which need not be the first's).
    const pairs = (calls: readonly number[]) => calls.flatMap((t, i) => (i % 2 === 0 ? [`${t}:${calls[i + 1]}`] : [])).sort();
    const again = b.checkpoint()!;
    expect(pairs(again.calls)).toEqual(pairs(cp.calls));
    expect(again.queue.map((it) => it.seq).sort()).toEqual(cp.queue.map((it) => it.seq).sort());
    const steps = (w: World<Addressed>, log: string[]) => {
      const out: string[] = [];
      while (w.stepOne()) out.push(`${w.now}:${w.steps}:${log.length}`);
      return out;
    };
    expect(steps(b, seenB)).toEqual(steps(a, seen));
    expect(seenB).toEqual(seen);
  });

  it('is not taken while host work is live', () => {
    const a = new World<Addressed>(1);
    let answered = false;
    a.at(10, () => {}, () => answered);
    expect(a.checkpoint()).toBeNull();
    answered = true;
    expect(a.checkpoint()).not.toBeNull();
    a.at(20, () => {});
    expect(a.checkpoint()).toBeNull();
  });
});
