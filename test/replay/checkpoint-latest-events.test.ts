import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { Simulation, defaultSimOptions, type SimEvent } from '../../src/replay/simulation';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe("a checkpoint's servers' latest events", () => {
  it('are kept by seq and read back through the run\u2019s log; a shadow gets the seqs alone', () => {
    const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 3, seed: 5 }, () => undefined);
    sim.runTo(3_000);
    const cp = sim.checkpoints.all.at(-1)!;
    const seqs = cp.clusterWith(null).world.lastOf.map(([node, e, decided]) => [node, e, decided]);
    expect(seqs).toHaveLength(3);
    for (const [, e] of seqs) expect(typeof e).toBe('number');
    const asked: number[] = [];
    const read = cp.clusterWith((seq) => {
      asked.push(seq);
      return sim.events.get(seq)!;
    });
    expect(asked).toEqual(seqs.map(([, e]) => e));
    for (const [k, [node, e, decided]] of read.world.lastOf.entries()) {
      expect(node).toBe(seqs[k][0]);
      expect((e as SimEvent).seq).toBe(seqs[k][1]);
      expect((e as SimEvent).node).toBe(node);
      expect(decided).toBe(seqs[k][2]);
    }
    sim.cluster.dispose();
  });

  it('taken from a world that knew one by its seq alone, keep that seq', () => {
    const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 3, seed: 5 }, () => undefined);
    sim.runTo(500);
    const taken = sim.cluster.checkpoint()!;
    const bySeq = taken.world.lastOf.map(([node, e, decided]): [string, number, number] => [node, typeof e === 'number' ? e : e.seq, decided]);
    const packed = sim.checkpoints.pack({
      frame: sim.frames.length - 1,
      time: sim.now,
      cluster: { ...taken, world: { ...taken.world, lastOf: bySeq } },
      events: sim.cluster.world.eventCount,
      inputs: 0,
      markers: 0,
      answers: 0,
      maxLatency: sim.maxLatency,
      settledAt: [],
      unsettled: [],
      safety: sim.safety.mark(),
      images: [],
      exported: 0,
    });
    expect(packed.clusterWith(null).world.lastOf).toEqual(bySeq);
    sim.cluster.dispose();
  });
});
