import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/cluster/types';
import { loadSqlJs } from '../../src/db/sqljs';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { LogCell } from '../../src/replay/frames';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation } from '../../src/replay/simulation';
import { driverFor } from '../helpers/page';
import { SCENARIO_DIR } from '../helpers/scenario';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

/** Every cell of every node's log in every frame of a scenario, checked against the node's log as it stood then. */
function checkScenario(file: string): { cells: number; frames: number; lastFrameCells: number; lastFrameLength: number } {
  const scenario = parseScenario(readFileSync(resolve(SCENARIO_DIR, file), 'utf8'));
  const answers = new Map<number, Answer>();
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), undefined, { window: null });
  const made = new Set<LogCell>();
  const check = () => {
    const f = sim.frames.last;
    let i = 0;
    for (const s of sim.cluster.servers.values()) {
      const v = f.nodes[i++];
      const st = s.proc.storage;
      expect(v.id).toBe(s.id);
      // A log that is all snapshot draws no cell (its chain may still end below the snapshot).
      if (st.lastIndex > st.snapshot.index) expect(v.log?.index).toBe(st.lastIndex);
      // The chain steps down one index a cell, each holding the very entry the node's log holds.
      let c = v.log;
      for (let k = st.lastIndex; k > st.snapshot.index; k--) {
        expect(c?.index, `${file} ${s.id} at frame ${sim.frames.length - 1}`).toBe(k);
        expect(c!.entry === st.entry(k), `${file} ${s.id} entry ${k}`).toBe(true);
        made.add(c!);
        c = c!.prev;
      }
      for (; c; c = c.prev) expect(c.prev === null || c.prev.index === c.index - 1).toBe(true);
    }
  };
  check();
  sim.onFrame(check);
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + 2000);
  const last = new Set<LogCell>();
  let length = 0;
  for (const v of sim.frames.last.nodes) for (let c = v.log; c && c.index > v.snapshotIndex; c = c.prev, length++) last.add(c);
  sim.cluster.dispose();
  return { cells: made.size, frames: sim.frames.length, lastFrameCells: last.size, lastFrameLength: length };
}

describe('the logs a frame draws', () => {
  it('hold, cell by cell, each node log as it stood, through crashes, overwritten entries, snapshots and joins', () => {
    for (const file of ['04-leader-crash.json', '06-figure8-safe.json', '12-snapshot-install.json', '13-restart-from-snapshot.json', '14-join-and-remove.json', '25-log-matching-unsafe.json']) {
      const r = checkScenario(file);
      expect(r.frames, file).toBeGreaterThan(10);
    }
  });

  it('share their cells between nodes: followers that appended what the leader did hold the leader chain, not copies', () => {
    const r = checkScenario('02-replication.json');
    // Every node holds the same log at the end: drawn from one chain, not one per node.
    expect(r.lastFrameLength).toBeGreaterThan(0);
    expect(r.lastFrameCells * 2).toBeLessThanOrEqual(r.lastFrameLength);
  });
});
