import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClientOp } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { DiagramModel, sourceOf, type DiagramSource } from '../../src/replay/diagram/model';
import type { Arrow } from '../../src/replay/diagram/types';
import { Simulation, defaultSimOptions } from '../../src/replay/simulation';
import { referenceDiagram } from '../helpers/diagramReference';
import { runInPage } from '../helpers/pageRun';

const DIR = join(process.cwd(), 'scenarios');
let SQL: SqlJsStatic;

beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** The compact model of `src`, followed frame by frame as the page does, against the object-per-arrow reference. */
function expectSameAsReference(src: DiagramSource, model: DiagramModel): void {
  model.update();
  const ref = referenceDiagram(src);
  expect([...model.arrows]).toEqual(ref.arrows);
  expect([...model.routineArrows]).toEqual(ref.routineArrows);
  expect(model.pending).toEqual(ref.pending);
  expect([...model.marks]).toEqual(ref.marks);
  expect([...model.routineMarks]).toEqual(ref.routineMarks);
  expect([...model.calls.values()]).toEqual([...ref.calls.values()]);
  expect(model.calls.size).toBe(ref.calls.size);
  const ids = (l: Iterable<Arrow>) => [...l].map((a) => a.msgId);
  expect([...model.byPair.keys()].sort()).toEqual([...ref.byPair.keys()].sort());
  for (const [key, p] of ref.byPair) {
    const got = model.byPair.get(key)!;
    expect(ids(got.arrows)).toEqual(ids(p.arrows));
    expect(ids(got.routine)).toEqual(ids(p.routine));
  }
  // Found by id, and read in place through a cursor, each is the same arrow.
  for (const [store, list] of [
    [model.arrows, ref.arrows],
    [model.routineArrows, ref.routineArrows],
  ] as const) {
    const cursor = store.cursor();
    list.forEach((a, i) => {
      expect(model.arrow(a.msgId)).toEqual(a);
      const inPlace = model.arrowInPlace(a.msgId)!;
      expect([inPlace.msgId, inPlace.endAt, inPlace.msg]).toEqual([a.msgId, a.endAt, a.msg]);
      const c = cursor.moveTo(i);
      expect([c.msgId, c.sendId, c.duplicate, c.from, c.to, c.sentAt, c.endAt, c.end, c.seq, c.reason, c.cls, c.routine, c.replyTo, c.msg]).toEqual([
        a.msgId, a.sendId, a.duplicate, a.from, a.to, a.sentAt, a.endAt, a.end, a.seq, a.reason, a.cls, a.routine, a.replyTo, a.msg,
      ]);
      // The numbers kept of some message types only, each read as its message has it (0 for the others).
      const m = a.msg;
      const ae = m.type === 'AppendEntries';
      const x = ae ? m.leaderCommit : m.type === 'InstallSnapshot' ? m.seq : m.type === 'ClientRequest' || m.type === 'ClientResponse' ? m.id : 0;
      const own = ae && !store.routine;
      expect([store.x(i), store.round(i), store.entries(i), store.prevLogIndex(i)]).toEqual([x, ae ? m.seq : 0, own ? m.entries.length : 0, own ? m.prevLogIndex : 0]);
    });
  }
  for (const [store, list] of [
    [model.marks, ref.marks],
    [model.routineMarks, ref.routineMarks],
  ] as const) {
    const cursor = store.cursor();
    list.forEach((k, i) => {
      const c = cursor.moveTo(i);
      expect([c.id, c.seq, c.frame, c.time, c.lane, c.detail, c.routine]).toEqual([k.id, k.seq, k.frame, k.time, k.lane, k.detail, k.routine]);
    });
  }
  expect(model.arrow(-5)).toBeUndefined();
}

/** A scenario with its seed replaced and `prefix` steps first; the model followed frame by frame as it runs. */
function scenarioRun(file: string, seed: number, prefix: Record<string, unknown>[] = []): { sim: Simulation; model: DiagramModel } {
  const parsed = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Record<string, unknown>;
  const { sim } = runInPage(SQL, JSON.stringify({ ...parsed, seed }), prefix);
  return { sim, model: new DiagramModel(sourceOf(sim)) };
}

const SCENARIOS = ['02-replication.json', '03-follower-forwarding.json', '04-leader-crash.json', '06-figure8-safe.json', '12-snapshot-install.json', '14-join-and-remove.json', '18-leadership-transfer.json', '24-forward-to-crashed-leader.json'];

describe('the compact diagram model is the object-per-arrow one', () => {
  for (const file of SCENARIOS) {
    it(`${file}, three seeds, with loss, duplication and a slow network on the last`, () => {
      for (const [seed, prefix] of [
        [1, []],
        [7, [{ drop: 0.1 }]],
        [23, [{ duplicate: 0.2 }, { drop: 0.05 }, { latency: [20, 400] }]],
      ] as const) {
        const { sim, model } = scenarioRun(file, seed, [...prefix]);
        expectSameAsReference(sourceOf(sim), model);
        sim.cluster.dispose();
      }
    });
  }

  it('a long 7-node run with writes, followed step by step: requests no reply can name are forgotten, and pairing is unchanged', () => {
    const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 7, seed: 3 }, () => undefined);
    const model = new DiagramModel(sourceOf(sim));
    sim.onFrame(() => model.readFrames());
    let id = 1;
    const write = (sql: string): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });
    const request = (sql: string, node?: string) => {
      const leader = sim.cluster.stableLeader();
      if (leader) sim.apply({ kind: 'request', id: id++, node: node ?? leader.id, body: write(sql) });
    };
    while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
    request('CREATE TABLE t(k INTEGER)');
    for (let k = 0; k < 150; k++) {
      // Some through a follower (forwarded), and the network slowed down and sped up on the way.
      request(`INSERT INTO t VALUES (${k})`, k % 5 === 0 ? 'n2' : undefined);
      if (k === 50) sim.apply({ kind: 'network', latency: [40, 300] });
      if (k === 100) sim.apply({ kind: 'network', latency: [2, 6] });
      sim.runTo(sim.now + 100);
    }
    expectSameAsReference(sourceOf(sim), model);
    sim.cluster.dispose();
  });
});
