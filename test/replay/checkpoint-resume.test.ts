import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';
import { fingerprint } from '../helpers/simFingerprint';

/** Checkpoints every 40 simulated ms, so these short scenarios hold dozens of them. */
const dense: CheckpointLimits = { every: 40, count: 1000, bytes: Infinity };
const none: CheckpointLimits = { every: Infinity, count: 0, bytes: Infinity };

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** A scenario driven through the page's host, with its seed replaced, then run on for `tail` ms. */
function record(file: string, seed: number, limits: CheckpointLimits, tail = 1500): Simulation {
  const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
  const scenario = parseScenario(JSON.stringify({ ...parsed, seed }));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), limits);
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + tail);
  return sim;
}

const noAnswers = () => {};

/**
 * What happens next, the same way in both runs: time, then a write to the leader that reads the
 * connection's last_insert_rowid() (an UPDATE answers with the last INSERT's rowid), then time.
 */
function goOn(sim: Simulation): void {
  sim.runTo(sim.now + 300);
  const node = sim.cluster.leader()?.id ?? 'n1';
  const statements = [{ sql: 'CREATE TABLE IF NOT EXISTS after(v)' }, { sql: 'UPDATE after SET v = 1' }];
  sim.apply({ kind: 'request', id: 9999, node, body: { op: 'execute', req: { statements, transaction: false, queue: false, timeout: 5000 } } });
  sim.runTo(sim.now + 1200);
  expect(sim.answers.at(-1)?.clientSeq, 'the last write was answered').toBeGreaterThan(0);
}

// Crashes, partitions, snapshots (taken, installed, reloaded), membership changes, leadership
// transfer, queued writes and forwarding to a crashed leader.
const FILES = [
  '04-leader-crash.json',
  '05-minority-partition.json',
  '10-queued-writes.json',
  '12-snapshot-install.json',
  '13-restart-from-snapshot.json',
  '14-join-and-remove.json',
  '18-leadership-transfer.json',
  '24-forward-to-crashed-leader.json',
];

describe('a run resumed from a checkpoint is the run replayed from the start', () => {
  it('taking checkpoints changes nothing in the run', () => {
    for (const file of FILES) {
      const a = record(file, 3, dense);
      const b = record(file, 3, none);
      expect(a.checkpoints.all.length, file).toBeGreaterThan(3);
      expect(b.checkpoints.all.length).toBe(0);
      expect(fingerprint(a), file).toEqual(fingerprint(b));
    }
  });

  it('a fork at any frame equals the replay from scratch, up to there and after', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), (file, seed, at) => {
        const sim = record(file, seed, dense);
        const target = Math.floor(at * (sim.frames.length - 1));
        const cp = sim.checkpoints.atOrBefore(target);
        const forked = Simulation.fork(SQL, sim, target, noAnswers);
        const replayed = Simulation.replay(SQL, sim.options, sim.inputs, target, noAnswers);
        expect(forked.frames.length).toBe(target + 1);
        const expected = fingerprint(replayed);
        expect(fingerprint(forked)).toEqual(expected);
        // The fork really resumed: it replayed only what came after its checkpoint.
        if (cp) expect(forked.frames.get(cp.frame)).toBe(sim.frames.get(cp.frame));
        // As the page forks: the old run's records move to the fork, the same run again.
        const taken = Simulation.fork(SQL, sim, target, noAnswers, true);
        expect(fingerprint(taken)).toEqual(expected);
        taken.cluster.dispose();
        goOn(forked);
        goOn(replayed);
        expect(fingerprint(forked)).toEqual(fingerprint(replayed));
        for (const s of [forked, replayed]) s.cluster.dispose();
        sim.cluster.dispose();
      }),
      { numRuns: 24, seed: 14 },
    );
  });

  it('a checkpoint serves any number of forks, and a fork of a fork', () => {
    const sim = record('14-join-and-remove.json', 7, dense);
    const target = Math.floor(sim.frames.length * 0.6);
    const one = Simulation.fork(SQL, sim, target, noAnswers);
    const two = Simulation.fork(SQL, sim, target, noAnswers);
    goOn(one);
    goOn(two);
    expect(fingerprint(one)).toEqual(fingerprint(two));
    // The second fork resumes from checkpoints the first inherited or took while it went on.
    const back = Math.floor(one.frames.length * 0.8);
    const again = Simulation.fork(SQL, one, back, noAnswers);
    const scratch = Simulation.replay(SQL, one.options, one.inputs, back, noAnswers);
    expect(fingerprint(again)).toEqual(fingerprint(scratch));
  });
});
