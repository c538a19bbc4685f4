import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import { eventsOf } from '../../src/replay/eventStore';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation, type SimEvent } from '../../src/replay/simulation';
import { History, why } from '../../src/replay/why';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';

const dense: CheckpointLimits = { every: 40, count: 1000, bytes: Infinity };
const windowed = { window: { chunk: 64, head: 128, recent: 1 }, eventWindow: { head: 2, recent: 1 } };

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** Everything the index answers, as text: decisions in order and per server, deliveries, lives, proposals, wins. */
function indexText(h: History, log: readonly SimEvent[]): string {
  const nodes = [...new Set(log.flatMap((e) => (e.node === undefined ? [] : [e.node])))].sort();
  const end = log.length;
  const ref = (d: { seq: number; node: string; time: number; reason: unknown; msgId?: number } | undefined) => (d ? [d.seq, d.node, d.time, d.reason, d.msgId] : null);
  const seqOf = (e: SimEvent | undefined) => e?.seq ?? null;
  return JSON.stringify({
    end: h.end,
    decisions: h.allDecisions().map(ref),
    perNode: nodes.map((n) => ({
      n,
      decisions: h.decisionsOf(n).map(ref),
      deliveries: Array.from({ length: h.deliveriesTo(n).length }, (_, i) => h.deliveriesTo(n).at(i)),
      life: seqOf(h.lastLife(n, end)),
      win: ref(h.lastWin(n, end)),
    })),
    delivered: log.flatMap((e) => (e.kind === 'deliver' || e.kind === 'drop' ? [[e.msgId, seqOf(h.delivery(e.msgId))]] : [])),
    proposals: h.allDecisions().flatMap((d) => (d.reason.code === 'proposed' ? [ref(h.proposal(d.reason.index, d.reason.term))] : [])),
    reasons: h.allDecisions().map((d) => ref(h.decisionOf(d.reason, h.event(d.seq)!))),
  });
}

/** A scenario on the page's host, its seed replaced; `watch` sees the run before its first step. */
function record(file: string, seed: number, kind: object, watch: (sim: Simulation) => void = () => {}): Simulation {
  const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
  const scenario = parseScenario(JSON.stringify({ ...parsed, seed }));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), dense, kind);
  watch(sim);
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + 3000);
  return sim;
}

/** A run that drops events, with Why?'s index following it from its first step. */
function recordFollowed(file: string, seed: number): { sim: Simulation; followed: History } {
  let followed: History | null = null;
  const sim = record(file, seed, windowed, (s) => {
    const h = new History(s.events);
    followed = h;
    s.onFrame(() => h.sync());
  });
  return { sim, followed: followed! };
}

/** Count the chunks of events `sim` rebuilds from now on. */
function countRebuilds(sim: Simulation): { n: number } {
  const count = { n: 0 };
  const rebuild = sim.events.rebuild!;
  sim.events.rebuild = (start, end) => (count.n++, rebuild(start, end));
  return count;
}

const CASES = [
  ['04-leader-crash.json', 1],
  ['10-queued-writes.json', 6],
  ['14-join-and-remove.json', 3],
  ['18-leadership-transfer.json', 4],
] as const;

/** A Why? answer as text (sets as sorted lists). */
function answerText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Set ? [...(x as Set<number>)].sort((a, b) => a - b) : typeof x === 'bigint' ? `${x}n` : x));
}

describe("Why?'s index follows the run as it is recorded, and equals one built over the finished log", () => {
  it('synced after every step, late decisions included, without reading dropped events back', () => {
    for (const [file, seed] of CASES) {
      let followed: History | null = null;
      let rebuilds = { n: 0 };
      const sim = record(file, seed, windowed, (s) => {
        rebuilds = countRebuilds(s);
        const h = new History(s.events);
        followed = h;
        s.onFrame(() => h.sync());
      });
      const kept = record(file, seed, { window: null });
      const log = kept.events.all();
      expect(rebuilds.n, `${file}: following rebuilt nothing`).toBe(0);
      expect(sim.events.held, `${file} dropped events`).toBeLessThan(log.length);
      followed!.sync();
      expect(indexText(followed!, log), file).toBe(indexText(new History(eventsOf(log)), log));
      for (const s of [sim, kept]) s.cluster.dispose();
    }
  });

  it('a fork takes the index of the run it left, cut back to its checkpoint, and follows on', () => {
    for (const [file, seed] of CASES) {
      const { sim, followed } = recordFollowed(file, seed);
      const target = Math.floor(sim.frames.length * 0.5);
      let resumed: History | null = null;
      const fork = Simulation.fork(SQL, sim, target, () => {}, false, (n) => {
        const h = followed.resumedAt(n.events);
        resumed = h;
        n.onFrame(() => h.sync());
      });
      fork.runTo(fork.now + 1500);
      resumed!.sync();
      const replayed = Simulation.replay(SQL, sim.options, sim.inputs, target, () => {}, undefined);
      replayed.runTo(replayed.now + 1500);
      const log = replayed.events.all();
      expect(fork.events.end, file).toBe(log.length);
      expect(indexText(resumed!, log), file).toBe(indexText(new History(eventsOf(log)), log));
      for (const s of [sim, fork, replayed]) s.cluster.dispose();
    }
  });

  it('fork after fork, each index taken over and cut in place is the index of the log, and the one left behind is empty', () => {
    for (const [file, seed] of CASES) {
      const recorded = recordFollowed(file, seed);
      let sim = recorded.sim;
      let index = recorded.followed;
      for (const at of [0.7, 0.3, 0.5]) {
        const target = Math.floor(sim.frames.length * at);
        const left = index;
        const fork = Simulation.fork(SQL, sim, target, () => {}, false, (n) => {
          const h = left.resumedAt(n.events);
          index = h;
          n.onFrame(() => h.sync());
        });
        expect(left.allDecisions(), `${file}: the index left behind gave its lists away`).toEqual([]);
        fork.apply({ kind: 'kill', node: 'n1' });
        fork.runTo(fork.now + 700);
        index.sync();
        const log = fork.events.all();
        expect(indexText(index, log), `${file} at ${at}`).toBe(indexText(new History(eventsOf(log)), log));
        sim.cluster.dispose();
        sim = fork;
      }
      sim.cluster.dispose();
    }
  });

  it('answers about events read back from dropped history equal the answers of a run that kept every event', () => {
    for (const [file, seed] of CASES) {
      const { sim, followed } = recordFollowed(file, seed);
      const kept = record(file, seed, { window: null });
      const log = kept.events.all();
      const full = new History(eventsOf(log));
      followed.sync();
      // Every role and snapshot event (their reasons are looked up as decisions), and a spread of the rest.
      const asked = log.filter((e, i) => e.kind === 'role' || e.kind === 'snapshot' || i % 23 === 0).map((e) => e.seq);
      for (const seq of asked) {
        expect(answerText(why(followed, { kind: 'event', seq })), `${file} event ${seq}`).toBe(answerText(why(full, { kind: 'event', seq })));
      }
      for (const s of [sim, kept]) s.cluster.dispose();
    }
  });
});
