import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqlJsStatic } from 'sql.js';
import type { ClientOp } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { readSchema } from '../../src/replay/databases';
import { defaultSimOptions, Simulation } from '../../src/replay/simulation';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const write = (sql: string): ClientOp => ({ op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });

function cluster(): { sim: Simulation; write(sql: string): void } {
  const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 3, seed: 4 }, () => undefined);
  while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
  let id = 1;
  return {
    sim,
    write(sql) {
      sim.apply({ kind: 'request', id: id++, node: sim.cluster.stableLeader()!.id, body: write(sql) });
      sim.runTo(sim.now + 300);
    },
  };
}

describe("the SQL editor's schema (readSchema)", () => {
  it('follows tables and columns as they are created, altered and dropped', () => {
    const c = cluster();
    const leader = () => c.sim.cluster.stableLeader()!.id;
    c.write('CREATE TABLE fruit(id INTEGER PRIMARY KEY, name TEXT)');
    expect(readSchema(c.sim, leader())).toEqual({ fruit: ['id', 'name'] });
    c.write("INSERT INTO fruit(name) VALUES ('apple')");
    c.write('ALTER TABLE fruit ADD COLUMN qty INTEGER');
    c.write('CREATE TABLE veg(v)');
    expect(readSchema(c.sim, leader())).toEqual({ fruit: ['id', 'name', 'qty'], veg: ['v'] });
    c.write('DROP TABLE fruit');
    expect(readSchema(c.sim, leader())).toEqual({ veg: ['v'] });
    // Another node's database is another database: read anew, the same schema.
    const follower = [...c.sim.cluster.servers.keys()].find((id) => id !== leader())!;
    expect(readSchema(c.sim, follower)).toEqual({ veg: ['v'] });
  });

  it('reads nothing from the database while only rows change', () => {
    const c = cluster();
    const leader = c.sim.cluster.stableLeader()!;
    c.write('CREATE TABLE t(k, v)');
    const first = readSchema(c.sim, leader.id);
    const query = vi.spyOn(leader, 'query');
    for (let k = 0; k < 20; k++) {
      c.write(`INSERT INTO t VALUES (${k}, 'v')`);
      expect(readSchema(c.sim, leader.id)).toBe(first);
    }
    expect(query).not.toHaveBeenCalled();
    c.write('CREATE INDEX t_k ON t(k)');
    // The cookie moved (an index is schema too): the text is read again, and the tables are the same.
    expect(readSchema(c.sim, leader.id)).toEqual({ t: ['k', 'v'] });
    expect(query).toHaveBeenCalled();
  });

  it("does not open a fresh cluster's databases to find them empty, and reads them once they are not", () => {
    const c = cluster();
    const leader = c.sim.cluster.stableLeader()!;
    const query = vi.spyOn(leader, 'query');
    expect(readSchema(c.sim, leader.id)).toEqual({});
    expect(query).not.toHaveBeenCalled();
    expect(leader.schemaStamp()).toMatchObject({ version: 0, blank: true });
    c.write('CREATE TABLE fresh(x)');
    expect(leader.schemaStamp()!.blank).toBe(false);
    expect(readSchema(c.sim, leader.id)).toEqual({ fresh: ['x'] });
  });

  it('reads a database restored from an image anew, even at the same cookie', () => {
    const c = cluster();
    const leader = c.sim.cluster.stableLeader()!;
    c.write('CREATE TABLE a(x)');
    expect(readSchema(c.sim, leader.id)).toEqual({ a: ['x'] });
    // Another run's database at the same schema cookie, with another table.
    const other = cluster();
    other.write('CREATE TABLE b(y)');
    const image = other.sim.cluster.stableLeader()!.checkpoint()!;
    const before = leader.schemaStamp()!;
    leader.restore(image);
    const after = leader.schemaStamp()!;
    expect(after.version).toBe(before.version);
    expect(after.db).not.toBe(before.db);
    expect(readSchema(c.sim, leader.id)).toEqual({ b: ['y'] });
  });
});
