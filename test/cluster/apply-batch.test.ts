import { describe, expect, it } from 'vitest';
import type { Answer, ClientOp } from '../../src/cluster/types';
import type { ExecuteResult, QueryResult } from '../../src/db/types';
import { MIN_BATCH } from '../../src/db/batch';
import { exec, makeCluster, query, sqljs, waitLeader } from '../helpers/drive';

const execute = (sql: string[], transaction = false): ClientOp => ({
  op: 'execute',
  req: { statements: sql.map((s) => ({ sql: s })), transaction, queue: false, timeout: 2000 },
});

describe('a run of plain writes applied in one batch transaction', () => {
  it('is committed before a pragma and a transaction committed in the same step, on every node', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 3 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v INTEGER)').ok).toBe(true);

    // Which entries each server applied in which event: the ones proposed together must be applied
    // together, or this test would not exercise the batch at all.
    const appliedAt = new Map<string, Map<number, number>>();
    c.observe({
      onApply: (s, e) => {
        if (!appliedAt.has(s.id)) appliedAt.set(s.id, new Map());
        appliedAt.get(s.id)!.set(e.index, c.world.eventCount);
      },
    });

    const ops = [
      ...Array.from({ length: MIN_BATCH + 1 }, (_, i) => execute([`INSERT INTO t(v) VALUES (${i})`])),
      execute(['PRAGMA user_version = 7']),
      execute(['INSERT INTO t(v) VALUES (100)', 'INSERT INTO t(v) VALUES (101)'], true),
      ...Array.from({ length: MIN_BATCH }, (_, i) => execute([`INSERT INTO t(v) VALUES (${200 + i})`])),
    ];
    const answers: (Answer | null)[] = ops.map(() => null);
    // All at the same instant: one AppendEntries round, one commit, one call to apply them all.
    ops.forEach((op, i) => c.request(leader, op, (a) => (answers[i] = a)));
    c.world.runUntil(() => answers.every((a) => a !== null), c.now + 3000);
    expect(c.world.runUntil(() => c.converged(), c.now + 3000)).toBe(true);

    for (const [i, a] of answers.entries()) {
      expect(a?.ok, `request ${i}: ${JSON.stringify(a)}`).toBe(true);
      if (a?.ok) for (const r of a.result.results) expect((r as ExecuteResult).error, `request ${i}`).toBeUndefined();
    }
    const first = (answers[0] as Answer & { ok: true }).index!;
    for (const [id, at] of appliedAt) {
      const events = new Set(ops.map((_, i) => at.get(first + i)));
      expect(events.size, `${id} applied the ${ops.length} entries in one step`).toBe(1);
    }

    const expected = [0, 1, 2, 3, 4, 100, 101, 200, 201, 202, 203].map((v) => [v]);
    for (const id of c.servers.keys()) {
      const rows = query(c, id, 'SELECT v FROM t ORDER BY v', 'none');
      const version = query(c, id, 'PRAGMA user_version', 'none');
      expect(rows.ok && (rows.result.results[0] as QueryResult).values, id).toEqual(expected);
      expect(version.ok && (version.result.results[0] as QueryResult).values, id).toEqual([[7]]);
    }
    const hashes = new Set([...c.servers.values()].map((s) => s.db!.hash()));
    expect(hashes.size).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});

describe('a batch interrupted by its own reply', () => {
  it('a reply callback that crashes the leader mid-batch leaves nothing open: the rest fail as crashed, and it catches up on restart', async () => {
    const { cluster: c, monitor } = makeCluster(await sqljs(), { nodes: 3, seed: 3 });
    const leader = waitLeader(c);
    expect(exec(c, leader, 'CREATE TABLE t(v INTEGER)').ok).toBe(true);
    const ops = Array.from({ length: MIN_BATCH + 2 }, (_, i) => execute([`INSERT INTO t(v) VALUES (${i})`]));
    const answers: (Answer | null)[] = ops.map(() => null);
    ops.forEach((op, i) =>
      c.request(leader, op, (a) => {
        answers[i] = a;
        if (i === 1) c.kill(leader);
      }),
    );
    c.world.runUntil(() => answers.every((a) => a !== null), c.now + 3000);
    expect(answers.map((a) => (a?.ok ? 'ok' : a?.problem.code))).toEqual(['ok', 'ok', ...ops.slice(2).map(() => 'crashed')]);
    c.restart(leader);
    expect(c.world.runUntil(() => c.converged(), c.now + 5000)).toBe(true);
    const rows = query(c, leader, 'SELECT count(*) FROM t', 'none');
    expect(rows.ok && (rows.result.results[0] as QueryResult).values).toEqual([[ops.length]]);
    expect(new Set([...c.servers.values()].map((s) => s.db!.hash())).size).toBe(1);
    monitor.finish();
    expect(monitor.violations()).toEqual([]);
    c.dispose();
  });
});
