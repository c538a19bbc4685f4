import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { sameSaved } from '../../src/db/contentCache';
import { NodeDatabase } from '../../src/db/database';
import { loadSqlJs } from '../../src/db/sqljs';
import type { Command } from '../../src/db/types';
import { Simulation, defaultSimOptions } from '../../src/replay/simulation';
import { bytesOf } from '../../src/db/fileBytes';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const cmd = (sql: string): Command => ({ statements: [{ sql }], transaction: false, ts: 1_700_000_000_000, seed: 1 });

/** A database with `rows` rows, hashed (its cache saved as of now). */
function database(rows: number): NodeDatabase {
  const d = NodeDatabase.create(SQL);
  d.execute(cmd('CREATE TABLE t(k INTEGER, v TEXT)'));
  d.execute(cmd(`INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT ${rows}) SELECT i, 'v' || i FROM n`));
  d.hash();
  return d;
}

/** A 5-node run with a leader, and a writer to whichever node leads. */
function writingRun(seed: number): { sim: Simulation; write: (sql: string) => void } {
  const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 5, seed }, () => undefined);
  while (!sim.cluster.stableLeader() && sim.now < 10_000) sim.step();
  let id = 1;
  const write = (sql: string) => void sim.apply({ kind: 'request', id: id++, node: sim.cluster.stableLeader()!.id, body: { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } } });
  return { sim, write };
}

describe('the images of a checkpoint', () => {
  it('compare their content caches by value: equal databases saved equal caches, another row makes them differ', () => {
    const [a, b, c] = [database(2000), database(2000), database(2001)];
    const [x, y, z] = [a, b, c].map((d) => d.image()!.content!);
    expect(x).not.toBe(y);
    expect(sameSaved(x, y)).toBe(true);
    expect(sameSaved(x, z)).toBe(false);
    a.execute(cmd("UPDATE t SET v = 'changed' WHERE k = 1500"));
    a.hash();
    expect(sameSaved(a.image()!.content!, y)).toBe(false);
    for (const d of [a, b, c]) d.close();
  });

  it('are one object for nodes whose databases and caches are equal, and each still restores its node', () => {
    const { sim, write } = writingRun(3);
    write('CREATE TABLE t(k INTEGER, v TEXT)');
    for (let k = 0; sim.now < 8_000; k++) {
      write(`INSERT INTO t(k, v) VALUES (${k}, 'value-${k}')`);
      sim.runTo(sim.now + 50);
    }
    const cps = sim.checkpoints.all;
    expect(cps.length).toBeGreaterThan(3);
    let shared = 0;
    for (const cp of cps) {
      const images = cp.clusterWith(null).servers.map(([, s]) => s.db!);
      for (const img of images) {
        const twins = images.filter(
          (o) =>
            o.bytes === img.bytes &&
            o.largeRowids === img.largeRowids &&
            o.pending?.commands === img.pending?.commands &&
            o.pending?.count === img.pending?.count &&
            (o.content === img.content || (o.content && img.content && sameSaved(o.content, img.content))),
        );
        // Every image equal to this one in bytes, pending writes and cache is this very object.
        expect(new Set(twins).size).toBe(1);
        // Nodes hold their own pending writes: what they share is the bytes of an export.
        if (images.some((o) => o !== img && o.bytes === img.bytes)) shared++;
      }
      // Each node's image, its cache perhaps another node's, restores the hash of its bytes hashed
      // whole with its pending writes applied.
      for (const img of images) {
        const restored = NodeDatabase.fromImage(SQL, img);
        const whole = NodeDatabase.create(SQL, bytesOf(img.bytes));
        for (const c of img.pending?.commands.slice(0, img.pending.count) ?? []) whole.execute(c);
        expect(restored.hash()).toBe(whole.hash());
        restored.close();
        whole.close();
      }
    }
    expect(shared).toBeGreaterThan(0);
    sim.cluster.dispose();
  });

  it('keep their files as pages shared between checkpoints: a fraction of the files’ bytes, each file read back whole', () => {
    const { sim, write } = writingRun(4);
    write("CREATE TABLE t(k INTEGER, v TEXT); INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 5000) SELECT i, 'row ' || i FROM n");
    for (let k = 0; sim.now < 40_000; k++) {
      write(`INSERT INTO t(k, v) VALUES (${-k}, 'value-${k}')`);
      sim.runTo(sim.now + 25);
    }
    const files = new Set(sim.checkpoints.all.flatMap((c) => c.images));
    const whole = [...files].reduce((n, f) => n + f.length, 0);
    expect(files.size).toBeGreaterThan(10);
    // Each export of a 5,000-row table differs from the last in the few pages its writes touched.
    expect(sim.checkpoints.totalBytes).toBeLessThan(whole / 5);
    for (const cp of sim.checkpoints.all.slice(-3)) {
      for (const [, s] of cp.clusterWith(null).servers) {
        const restored = NodeDatabase.fromImage(SQL, s.db!);
        const count = restored.query([{ sql: 'SELECT count(*) FROM t' }])[0];
        expect(count).toMatchObject({ values: [[expect.any(Number)]] });
        expect(Number((count as { values: number[][] }).values[0][0])).toBeGreaterThan(5000);
        restored.close();
      }
    }
    sim.cluster.dispose();
  });
});
