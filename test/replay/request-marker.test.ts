import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { describeEvent } from '../../src/replay/describe';
import { Simulation, defaultSimOptions } from '../../src/replay/simulation';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe("a request's timeline mark", () => {
  it('says what the event list says of the request, made when read, and carries it when written out', () => {
    const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 3, seed: 1 }, () => undefined);
    while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
    const node = sim.cluster.stableLeader()!.id;
    const sql = `INSERT INTO t VALUES (1, '${'a long value '.repeat(8)}')`;
    sim.apply({ kind: 'request', id: 1, node, body: { op: 'execute', req: { statements: [{ sql: 'CREATE TABLE t(k, v)' }, { sql }], transaction: false, queue: false, timeout: 5000 } } });
    sim.apply({ kind: 'request', id: 2, node, body: { op: 'query', req: { statements: [{ sql: 'SELECT * FROM t' }], level: 'strong', timeout: 5000 } } });
    sim.runTo(sim.now + 500);
    const marks = sim.markers.filter((m) => m.kind === 'client');
    expect(marks).toHaveLength(2);
    for (const m of marks) {
      const e = sim.events.get(m.seq)!;
      expect(e.kind).toBe('client');
      expect(m.text).toBe(describeEvent(e));
      expect(JSON.parse(JSON.stringify(m))).toEqual({ seq: m.seq, time: m.time, kind: 'client', text: m.text });
    }
    expect(marks[0].text).toBe(`client → ${node}: execute CREATE TABLE t(k, v) (+1 more)`);
    expect(marks[1].text).toBe(`client → ${node}: query (strong) SELECT * FROM t`);
    sim.cluster.dispose();
  });
});
