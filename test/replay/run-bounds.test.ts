import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSqlJs } from '../../src/db/sqljs';
import { MAX_FRAMES, MAX_INPUTS, MAX_TIME, pastBound } from '../../src/replay/runBounds';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { RunLoad } from '../../src/replay/runLoad';
import { Simulation, defaultSimOptions, type Input } from '../../src/replay/simulation';
import type { RunRecord } from '../../src/replay/types';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const request = (k: number, frame: number, time: number): Input => ({
  frame,
  time,
  action: { kind: 'request', id: k, node: 'n1', body: { op: 'execute', req: { statements: [{ sql: `INSERT INTO t VALUES (${k}, 'v')` }], transaction: false, queue: false, timeout: 5000 } } },
});

const run = (inputs: Input[], moment: { frame: number; time: number; head: number }): RunRecord => ({ options: { ...defaultSimOptions, nodes: 9 }, inputs, ...moment });

describe('how long a run a saved session, a link or a file may hold', () => {
  it('holds what a long class session makes: past a million frames and twenty thousand requests', () => {
    // A 9-node class writing 50 times a second: some 81,000 frames a simulated minute.
    const inputs = Array.from({ length: 25_000 }, (_, k) => request(k + 1, 160 * (k + 1), 20 * (k + 1)));
    const r = run(inputs, { frame: 4_100_000, time: 500_010, head: 500_100 });
    expect(pastBound(r)).toBeNull();
    const parsed = parseRun(JSON.stringify(toRunFile(r)), 'the session');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.run.inputs.length).toBe(25_000);
  });

  it('says which bound a run in the page has gone past, time first', () => {
    const ok = { head: MAX_TIME, frame: MAX_FRAMES, inputs: [] };
    expect(pastBound(ok)).toBeNull();
    expect(pastBound({ ...ok, head: MAX_TIME + 1, frame: MAX_FRAMES + 1 })).toEqual({ bound: 'time', limit: MAX_TIME });
    expect(pastBound({ ...ok, frame: MAX_FRAMES + 1 })).toEqual({ bound: 'frames', limit: MAX_FRAMES });
    expect(pastBound({ ...ok, frame: 10, inputs: [{ frame: MAX_FRAMES + 1 }] })).toEqual({ bound: 'frames', limit: MAX_FRAMES });
    const many = Array.from({ length: MAX_INPUTS + 1 }, (_, k) => ({ frame: k + 1 }));
    expect(pastBound({ ...ok, frame: 10, inputs: many })).toEqual({ bound: 'inputs', limit: MAX_INPUTS });
    expect(pastBound({ ...ok, frame: 10, inputs: many.slice(1) })).toBeNull();
  });

  it('refuses the frames past the bounds, naming the field', () => {
    const text = (r: RunRecord) => JSON.stringify(toRunFile(r));
    const far = parseRun(text(run([], { frame: MAX_FRAMES + 1, time: 10, head: 10 })), 'The file');
    expect(far.ok ? '' : far.error).toMatch(/^The file is not a raftlite run at "frame": .*Nothing was changed\.$/);
    const late = parseRun(text(run([], { frame: 10, time: 10, head: MAX_TIME + 1 })), 'The file');
    expect(late.ok ? '' : late.error).toMatch(/at "head"/);
  });

  it('a run whose frames its times cannot reach is refused once the replay passes them, not replayed on', () => {
    // Frame 5,000,000 two simulated seconds in: nine nodes make some 2,700 frames by then.
    const hostile = run([request(1, 5_000_000, 2_000)], { frame: 5_000_000, time: 2_000, head: 2_000 });
    for (const slice of [false, true]) {
      // In one go (nothing asks it to stop) or in slices, as the page loads.
      const load = new RunLoad(SQL, hostile, () => undefined);
      expect(() => {
        while (!load.advance(() => slice));
      }).toThrow('its frame 5000000 is not reached by 2000 ms, the latest time it names');
      expect(load.sim.now).toBeLessThan(2_100);
      expect(load.sim.frames.length).toBeLessThan(10_000);
      load.sim.cluster.dispose();
    }
  });

  it('a run recorded in the page still loads to where it was', () => {
    const sim = new Simulation(SQL, { ...defaultSimOptions, nodes: 9 }, () => undefined);
    sim.runTo(1_500);
    sim.apply(request(1, 0, 0).action);
    sim.runTo(3_000);
    const last = sim.frames.length - 1;
    const recorded: RunRecord = { options: sim.options, inputs: sim.inputs.slice(), frame: last, time: sim.frames.time(last), head: sim.now };
    const load = new RunLoad(SQL, recorded, () => undefined);
    while (!load.advance(() => false));
    expect(load.sim.frames.length).toBe(sim.frames.length);
    expect(load.sim.frames.time(last)).toBe(sim.frames.time(last));
    expect(load.sim.inputs).toEqual(sim.inputs);
    load.sim.cluster.dispose();
    sim.cluster.dispose();
  });
});
