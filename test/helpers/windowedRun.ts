import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { Answer } from '../../src/cluster/types';
import { runSteps } from '../../src/drive/scenario/interpret';
import { parseScenario } from '../../src/drive/scenario/parse';
import type { CheckpointLimits } from '../../src/replay/checkpoints';
import type { EventWindowPolicy } from '../../src/replay/eventWindow';
import type { FrameWindow } from '../../src/replay/frameStore';
import { simOptionsOf } from '../../src/replay/options';
import { pageHost } from '../../src/replay/pageHost';
import { Simulation, type SimEvent } from '../../src/replay/simulation';
import { driverFor } from './page';
import { SCENARIO_DIR } from './scenario';

/**
 * A scenario on the page's host with its seed replaced, run on for 3 s. Its frames are kept in
 * `frames` and its events in `events`; `events` null keeps every frame and event.
 */
export function recordWindowed(
  SQL: SqlJsStatic,
  file: string,
  seed: number,
  limits: CheckpointLimits,
  frames: FrameWindow,
  events: EventWindowPolicy | null,
): Simulation {
  const parsed = JSON.parse(readFileSync(resolve(SCENARIO_DIR, file), 'utf8')) as Record<string, unknown>;
  const scenario = parseScenario(JSON.stringify({ ...parsed, seed }));
  const answers = new Map<number, Answer>();
  const kind = events ? { window: frames, eventWindow: events } : { window: null };
  const sim = new Simulation(SQL, simOptionsOf(scenario), (id, a) => answers.set(id, a), limits, kind);
  runSteps(pageHost(driverFor(sim, answers)), scenario.steps);
  sim.runTo(sim.now + 3000);
  return sim;
}

/** An event as text, its decisions included (what the event list, Why? and exports read). */
export function eventText(e: SimEvent | undefined): string {
  return JSON.stringify(e, (_k, x: unknown) =>
    typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? [...x] : x,
  );
}
