import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import { DiagramModel, sourceOf } from '../../src/replay/diagram/model';
import { exchangeOf } from '../../src/replay/diagram/exchange';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

describe("the diagram over a run that keeps only a window of its event log", () => {
  it('draws the whole run (every mark, every client exchange) without rebuilding a dropped event', () => {
    const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, '10-queued-writes.json'), 'utf8')) as Record<string, unknown>;
    const scenario = parseScenario(JSON.stringify({ ...parsed, seed: 7 }));
    const answers = new Map<number, Answer>();
    const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), { every: 40, count: 1000, bytes: Infinity }, {
      window: { chunk: 64, head: 128, recent: 1 },
      eventWindow: { head: 2, recent: 1 },
    });
    // The page follows its run with the model from the start (store/diagram.ts).
    const model = new DiagramModel(sourceOf(sim));
    sim.onFrame(() => model.readFrames());
    runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
    sim.runTo(sim.now + 3000);
    model.update();
    let rebuilds = 0;
    const rebuild = sim.events.rebuild!;
    sim.events.rebuild = (start, end) => (rebuilds++, rebuild(start, end));
    expect(sim.events.held).toBeLessThan(sim.events.end / 2);
    const calls: number[] = [];
    for (const list of [model.marks, model.routineMarks])
      for (let i = 0; i < list.length; i++) {
        const d = list.at(i).detail;
        if (d.kind === 'client') calls.push(d.call);
      }
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(exchangeOf(model, call)).not.toBeNull();
    expect(rebuilds).toBe(0);
    sim.cluster.dispose();
  });
});
