import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import type { FrameWindow } from '../../src/replay/frameStore';
import type { Frame, NodeView } from '../../src/replay/frames';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';
import { fingerprint } from '../helpers/simFingerprint';

/** A small window: two short chunks at the head, one chunk read lately. */
const CHUNK = 64;
const tiny: FrameWindow = { chunk: CHUNK, head: 2 * CHUNK, recent: 1 };
const dense: CheckpointLimits = { every: 40, count: 1000, bytes: Infinity };
/** So few checkpoints that they are thinned, and frames before the first are rebuilt from the start. */
const sparse: CheckpointLimits = { every: 700, count: 3, bytes: Infinity };

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A scenario on the page's host with its seed replaced, run on for `tail` ms; every frame made is kept aside. */
function record(file: string, seed: number, limits: CheckpointLimits, window: FrameWindow | null): { sim: Simulation; made: Frame[] } {
  const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
  const scenario = parseScenario(JSON.stringify({ ...parsed, seed }));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), limits, { window });
  const made = [sim.frames.get(0)];
  sim.onFrame(() => made.push(sim.frames.get(sim.frames.length - 1)));
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + 3000);
  return { sim, made };
}

/** A node as drawn, its whole log included (the chain, cell by cell, down to the snapshot). */
function nodeText(v: NodeView): string {
  const cells: string[] = [];
  for (let c = v.log; c && c.index > v.snapshotIndex; c = c.prev) cells.push(`${c.index}:${c.entry.term}:${c.entry.kind}:${JSON.stringify(c.entry.data ?? null)}`);
  const { log: _log, ...rest } = v;
  return JSON.stringify({ ...rest, electionDeadline: String(rest.electionDeadline), cells });
}

function frameText(f: Frame): string {
  return JSON.stringify({ time: f.time, seqEnd: f.seqEnd, net: f.net, nodes: f.nodes.map(nodeText) });
}

const FILES = ['04-leader-crash.json', '12-snapshot-install.json', '14-join-and-remove.json', '18-leadership-transfer.json', '24-forward-to-crashed-leader.json'];

describe('frames dropped from memory are rebuilt from checkpoints, equal to the ones made', () => {
  it('every frame read back (dropped, rebuilt, dropped again) equals the frame the run made', () => {
    for (const [file, seed, limits] of [
      [FILES[0], 1, dense],
      [FILES[1], 2, dense],
      [FILES[2], 3, sparse],
      [FILES[3], 4, dense],
      [FILES[4], 5, sparse],
    ] as const) {
      const { sim, made } = record(file, seed, limits, tiny);
      expect(made.length, file).toBe(sim.frames.length);
      expect(sim.frames.length, `${file} is long enough to drop frames`).toBeGreaterThan(4 * CHUNK);
      const bound = () => tiny.head + (tiny.recent + 1) * CHUNK + sim.checkpoints.all.length;
      expect(sim.frames.held, `${file} holds only a window`).toBeLessThanOrEqual(bound());
      // Backwards, then forwards: each chunk is rebuilt at least once, some twice.
      for (let i = made.length - 1; i >= 0; i -= 7) expect(frameText(sim.frames.get(i)), `${file} frame ${i}`).toBe(frameText(made[i]));
      for (let i = 0; i < made.length; i++) {
        expect(sim.frames.time(i)).toBe(made[i].time);
        expect(sim.frames.seqEnd(i)).toBe(made[i].seqEnd);
        expect(frameText(sim.frames.get(i)), `${file} frame ${i}`).toBe(frameText(made[i]));
      }
      expect(sim.frames.held, `${file} still holds only a window`).toBeLessThanOrEqual(bound());
      sim.cluster.dispose();
    }
  });

  it('a run that drops frames is the same run as one that keeps them all, and so are its forks', () => {
    for (const [file, seed] of [
      [FILES[1], 11],
      [FILES[2], 12],
    ] as const) {
      const kept = record(file, seed, dense, null).sim;
      const dropped = record(file, seed, dense, tiny).sim;
      expect(fingerprint(dropped), file).toEqual(fingerprint(kept));
      // Forks deep in the dropped past, copied and taken over, equal the replay from scratch.
      const target = Math.floor(dropped.frames.length * 0.3);
      const replayed = Simulation.replay(SQL, kept.options, kept.inputs, target, () => {});
      const copied = Simulation.fork(SQL, dropped, target, () => {});
      expect(fingerprint(copied), file).toEqual(fingerprint(replayed));
      const taken = Simulation.fork(SQL, dropped, target, () => {}, true);
      expect(fingerprint(taken), file).toEqual(fingerprint(replayed));
      for (const s of [kept, replayed, copied, taken]) s.cluster.dispose();
    }
  });
});
