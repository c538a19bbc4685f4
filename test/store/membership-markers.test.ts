import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { describeEvent } from '../../src/replay/describe';
import { runUntil } from '../../src/drive/host';
import { pageHost } from '../../src/replay/pageHost';
import { driverFor } from '../helpers/page';
import { defaultSimOptions, Simulation, type InputAction } from '../../src/replay/simulation';

let SQL: SqlJsStatic;

const OPTIONS = { ...defaultSimOptions, nodes: 3, seed: 4, tuning: { snapshotThreshold: 1000 } };

function execute(id: number, sql: string): InputAction {
  return {
    kind: 'request',
    id,
    node: 'n2',
    body: { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } },
  };
}

/**
 * Three voters (n2 leads with this seed); two writes; the leader compacts its log; n4 joins as a
 * voter (it is too far behind the compacted log, so the leader sends it InstallSnapshot, then
 * promotes it), n5 joins as a non-voter, and n1 is removed.
 */
function run(): Simulation {
  const sim = new Simulation(SQL, OPTIONS, () => {});
  const c = sim.cluster;
  const ok = (a: InputAction) => expect(sim.apply(a).problem).toBeNull();
  const host = pageHost(driverFor(sim));
  const settle = (done: () => boolean) => expect(runUntil(host, done, sim.now + 5000)).toBe(true);
  settle(() => c.stableLeader() !== null);
  expect(c.leader()!.id).toBe('n2');
  ok(execute(1, 'CREATE TABLE t(v)'));
  settle(() => c.converged());
  ok(execute(2, "INSERT INTO t VALUES('one')"));
  settle(() => c.converged());
  ok({ kind: 'snapshot', node: 'n2' });
  ok({ kind: 'join', node: 'n4', voter: true });
  settle(() => c.membership.committedConfig()?.voters.includes('n4') === true && c.converged());
  ok({ kind: 'join', node: 'n5', voter: false });
  settle(() => c.membership.committedConfig()?.learners.includes('n5') === true && c.converged());
  ok({ kind: 'remove', node: 'n1' });
  settle(() => c.membership.committedConfig()?.voters.includes('n1') === false && c.converged());
  sim.runTo(sim.now + 200);
  return sim;
}

const NEW_KINDS = new Set(['membership', 'snapshot', 'install']);

function newMarkers(sim: Simulation): string[] {
  return sim.markers.filter((m) => NEW_KINDS.has(m.kind)).map((m) => `${m.kind}: ${m.text}`);
}

function sentences(sim: Simulation): string[] {
  return sim.events.all().filter((e) => e.kind === 'config' || e.kind === 'snapshot').map(describeEvent);
}

describe('membership changes and snapshots on the timeline and in the event list', () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
  });

  it('marks each committed configuration once, each compaction and each InstallSnapshot', () => {
    const sim = run();
    // The snapshot index is the leader's last applied entry when it compacted.
    const found = sim.events.all().find((e) => e.kind === 'snapshot' && e.node === 'n2');
    if (found?.kind !== 'snapshot') throw new Error('n2 took no snapshot');
    const snap = found.snapshot;
    const i = snap.index;
    expect(newMarkers(sim)).toEqual([
      `snapshot: n2 snapshot ≤ ${i}`,
      // A leader uses a configuration as soon as it appends it, so the newcomer may have its
      // snapshot before the entry that adds it is committed.
      `install: n4 restored snapshot ≤ ${i} from the leader n2`,
      'membership: n4 joined as non-voter',
      'membership: n4 promoted to voter',
      `install: n5 restored snapshot ≤ ${i} from the leader n2`,
      'membership: n5 joined as non-voter',
      'membership: n1 removed',
    ]);
    expect(sentences(sim)).toEqual([
      `n2 compacts its log up to index ${i}`,
      `n4 installs a snapshot up to index ${i} (term ${snap.term}) from n2`,
      'n2 commits configuration: voters n1, n2, n3; non-voters n4 (n4 joined as non-voter)',
      'n2 commits configuration: voters n1, n2, n3, n4 (n4 promoted to voter)',
      `n5 installs a snapshot up to index ${i} (term ${snap.term}) from n2`,
      'n2 commits configuration: voters n1, n2, n3, n4; non-voters n5 (n5 joined as non-voter)',
      'n2 commits configuration: voters n2, n3, n4; non-voters n5 (n1 removed)',
    ]);
    // Every member applies each configuration entry, but the change is one event.
    expect(sim.events.all().filter((e) => e.kind === 'config')).toHaveLength(4);
    // Markers point at their events, so clicking one seeks there.
    for (const m of sim.markers.filter((k) => NEW_KINDS.has(k.kind))) {
      const e = sim.events.all().find((x) => x.seq === m.seq)!;
      expect(['config', 'snapshot']).toContain(e.kind);
      expect(e.time).toBe(m.time);
    }
  });

  it('is deterministic: a second run and a replay of the inputs give the same markers and sentences', () => {
    const a = run();
    const b = run();
    expect(b.markers).toEqual(a.markers);
    expect(b.events.all().map(describeEvent)).toEqual(a.events.all().map(describeEvent));
    const r = Simulation.replay(SQL, OPTIONS, a.inputs, a.frames.length - 1, () => {});
    expect(r.markers).toEqual(a.markers);
    expect(r.cluster.world.eventCount).toBe(a.cluster.world.eventCount);
  });

  it('tells a restart from its own snapshot apart from an InstallSnapshot', () => {
    const sim = run();
    expect(sim.apply({ kind: 'snapshot', node: 'n3' }).problem).toBeNull();
    expect(sim.apply({ kind: 'kill', node: 'n3' }).problem).toBeNull();
    expect(sim.apply({ kind: 'restart', node: 'n3' }).problem).toBeNull();
    const e = sim.events.all().filter((x) => x.kind === 'snapshot').at(-1)!;
    expect(describeEvent(e)).toBe(`n3 restarts from its own snapshot up to index ${e.snapshot!.index} (term ${e.snapshot!.term})`);
    expect(sim.markers.at(-1)!.text).toBe(`n3 reloaded its own snapshot ≤ ${e.snapshot!.index} on restart`);
  });
});
