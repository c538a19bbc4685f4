import LZString from 'lz-string';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/drive/scenario/parse';
import { runScenario } from '../../src/drive/scenario/run';
import { loadSqlJs } from '../../src/db/sqljs';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { runUntil } from '../../src/drive/host';
import { runStep } from '../../src/drive/scenario/interpret';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { getSim, useStore } from '../../src/store/store';
import { runToScenario } from '../../src/replay/toScenario';

let SQL: SqlJsStatic;

function hashes(): (string | null)[] {
  return [...getSim()!.cluster.servers.values()].map((s) => (s.alive && s.db ? s.db.hash() : null));
}

function members(): string[] {
  const f = getSim()!.lastFrame;
  return f.nodes.map((n) => `${n.id}:${n.membership}`);
}

/** A run that uses every membership input and a hand-dropped message, paused at its end. */
function recordRun(): { droppedId: number } {
  const store = useStore.getState();
  store.newCluster(
    simOptionsOf(
      parseScenario(JSON.stringify({ nodes: 3, seed: 4, options: { snapshotThreshold: 1000 }, steps: [] })),
    ),
  );
  store.pause();
  let droppedId = -1;
  const end = store.drive((d) => {
    const step = (s: Record<string, unknown>) => {
      const out = runStep(pageHost(d), parseScenario(JSON.stringify({ nodes: 9, steps: [s] })).steps[0], 0);
      expect(out.error).toBeNull();
      return out;
    };
    step({ waitFor: 'leader' });
    step({ execute: 'CREATE TABLE t(v)' });
    step({ execute: "INSERT INTO t VALUES('one')" });
    step({ join: 'n4', voter: true });
    step({ join: 'n5', voter: false });
    step({ snapshot: 'leader' });
    step({ execute: "INSERT INTO t VALUES('two')" });
    // A message the leader just sent: lose it by hand.
    d.request(
      d.sim.cluster.leader()!.id,
      {
        op: 'execute',
        req: {
          statements: [{ sql: "INSERT INTO t VALUES('three')" }],
          transaction: false,
          queue: false,
          timeout: 5000,
        },
      },
      'INSERT',
    );
    const appendOut = () =>
      d.sim.cluster.world.inFlight().find((m) => m.msg.type === 'AppendEntries' && m.msg.entries.length > 0);
    runUntil(pageHost(d), () => appendOut() !== undefined, d.sim.now + 100);
    const msg = appendOut();
    expect(msg).toBeDefined();
    droppedId = msg!.id;
    expect(d.sim.apply({ kind: 'drop', id: droppedId }).problem).toBeNull();
    step({ remove: 'n2' });
    step({ snapshot: 'n4' });
    step({ waitFor: 'converged' });
  });
  useStore.setState({ frame: end!.frame, time: end!.time });
  return { droppedId };
}

describe('a run with joins, removals, snapshots and a dropped message', () => {
  beforeAll(async () => {
    SQL = await loadSqlJs();
    await useStore.getState().init(async () => SQL);
  });

  it('replays from its file and its share link to identical databases on every node', () => {
    const { droppedId } = recordRun();
    const sim = getSim()!;
    const kinds = sim.inputs.map((i) => i.action.kind);
    for (const k of ['join', 'remove', 'snapshot', 'drop']) expect(kinds).toContain(k);
    expect(
      sim.events.all().some((e) => e.kind === 'drop' && e.msgId === droppedId && e.reason === 'dropped by the user'),
    ).toBe(true);
    expect(members()).toEqual(['n1:voter', 'n2:removed', 'n3:voter', 'n4:voter', 'n5:non-voter']);
    const want = hashes();
    expect(new Set(want.filter((_, i) => i !== 1)).size).toBe(1);
    const wantNow = sim.now;
    const wantEvents = sim.cluster.world.eventCount;

    // Exported file.
    const file = JSON.stringify(toRunFile(useStore.getState().currentRun()!), null, 1);
    const fromFile = parseRun(file, 'the file');
    if (!fromFile.ok) throw new Error(fromFile.error);
    useStore.getState().loadRun(fromFile.run);
    expect(hashes()).toEqual(want);
    expect(getSim()!.now).toBe(wantNow);
    expect(getSim()!.cluster.world.eventCount).toBe(wantEvents);
    expect(members()).toContain('n2:removed');

    // Share link: the same JSON, compressed into the URL hash.
    const link = LZString.compressToEncodedURIComponent(
      JSON.stringify(toRunFile(useStore.getState().currentRun()!)),
    );
    const fromLink = parseRun(LZString.decompressFromEncodedURIComponent(link), 'the link');
    if (!fromLink.ok) throw new Error(fromLink.error);
    useStore.getState().loadRun(fromLink.run);
    expect(hashes()).toEqual(want);
    expect(getSim()!.cluster.world.eventCount).toBe(wantEvents);
  });

  it('exports the membership inputs as the contract steps', () => {
    recordRun();
    const st = useStore.getState();
    const exported = runToScenario(st.currentRun()!, st.entries);
    const steps = (JSON.parse(exported.text) as { steps: Record<string, unknown>[] }).steps;
    expect(steps).toContainEqual({ join: 'n4', voter: true });
    expect(steps).toContainEqual({ join: 'n5', voter: false });
    expect(steps).toContainEqual({ remove: 'n2' });
    expect(steps.filter((s) => 'snapshot' in s).map((s) => s.snapshot)).toHaveLength(2);
    expect(exported.warnings.some((w) => w.includes('dropping one message'))).toBe(true);
    // The headless runner accepts the file and ends with the same membership.
    const headless = runScenario(parseScenario(exported.text), SQL);
    expect(headless.nodes.map((n) => `${n.id}:${n.voter ? 'voter' : 'other'}`)).toEqual([
      'n1:voter',
      'n2:other',
      'n3:voter',
      'n4:voter',
      'n5:other',
    ]);
    expect(headless.steps.every((s) => s.ok)).toBe(true);
  });

  it('refuses a run that names a server before it joined, and records no refused join', () => {
    recordRun();
    const run = toRunFile(useStore.getState().currentRun()!);
    const joinAt = run.inputs.findIndex((i) => i.action.kind === 'join');
    const early = {
      ...run,
      inputs: [{ ...run.inputs[0], action: { kind: 'kill' as const, node: 'n4' } }, ...run.inputs.slice(1)],
    };
    expect(joinAt).toBeGreaterThan(0);
    const res = parseRun(JSON.stringify(early), 'the file');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error).toContain('unknown node "n4"');

    const sim = getSim()!;
    const before = sim.inputs.length;
    expect(sim.apply({ kind: 'join', node: 'n4', voter: true }).problem?.code).toBe('already-member');
    expect(sim.apply({ kind: 'drop', id: 1e9 }).problem?.code).toBe('message-gone');
    expect(sim.inputs.length).toBe(before);
  });
});
