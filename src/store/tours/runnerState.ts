import type { StoreApi } from 'zustand';
import type { StepOutput } from '../../drive/scenario/run';
import type { Scenario } from '../../drive/scenario/schema';
import { defaultRaftOptions } from '../../raft/types';
import { scenarioOptionsOf } from '../../replay/options';
import type { InputAction, SimOptions, Simulation } from '../../replay/simulation';
import type { Moment } from './facts';
import type { Highlight } from '../highlight';
import type { Tour } from './types';

export type At = { frame: number; time: number };

export interface TourState {
  tour: Tour | null;
  index: number;
  /** The current step's task is done (or it has none). */
  taskDone: boolean;
  /** The view is still playing up to the step's moment. */
  playing: boolean;
  /** Outputs of the tour scenario's steps run so far, as the headless runner would print them. */
  results: StepOutput[];
  /** The step's text, filled from the cluster at its moment. */
  text: string[];
  /** Where the step's text is true: the end of its scenario steps. */
  moment: At | null;
  /** Servers the tour remembers ($old…). */
  vars: Record<string, string>;
  /** Facts of the step that do not hold even after rebuilding its start (should never happen; the auditor checks). */
  problems: string[];
  /** The step's start was rebuilt from the tour's seed because what the learner did made its text untrue. */
  rebuilt: boolean;
  /** The view has moved away from the step's moment and the text no longer describes it: why. */
  drift: string | null;
  /** Feedback on the learner's attempt at the task (a wrong server, an error from SQLite…). */
  note: string | null;
  /**
   * Start a tour of the catalogue by id (or a tour given whole: tests audit variants of one); it is
   * running once the promise settles (the tours load with the first one started).
   */
  start(id: string | Tour): Promise<void>;
  next(): void;
  /** The step before this one, rebuilt from the tour's seed as it stood when that step's scenario ended (a clicker's PageUp). */
  previous(): void;
  /** Do the asked action for the learner, by role. */
  doTask(): void;
  /** Jump the view to where the tour is playing to. */
  skip(): void;
  /** Back to the step's moment (rebuilt if the learner changed the past under it). */
  back(): void;
  exit(): void;
  /** After a reload restored the run: carry on with the saved tour, at its step (true once it has). */
  resume(): Promise<boolean>;
  /** What a page reload does to the runner: it forgets the tour; the saved record stays. */
  detach(): void;
}

export interface Running {
  scenario: Scenario;
  options: SimOptions;
  /** Scenario steps run so far. */
  cursor: number;
  /** Where the view stops playing, or null. */
  stop: At | null;
  /** Inputs already judged: the learner's answer is an input not among them. */
  known: WeakSet<InputAction>;
  /** Actions the tour's own steps applied, to notice when a fork threw them away. */
  scripted: InputAction[];
  /** The learner's request whose answer decides a `confirm` task. */
  awaiting: number | null;
  /** The task is done: go to the next step once the view has stopped. */
  advance: boolean;
  unsubscribe: () => void;
}

/**
 * What the runner's parts share: the tour store, and the run in progress. One tour store exists, so
 * this is one object, made with it (runner.ts).
 */
export interface TourContext {
  set: StoreApi<TourState>['setState'];
  get: () => TourState;
  running: Running | null;
  /** While the runner rebuilds a step's start, the store's changes are its own, not the learner's. */
  rebuilding: boolean;
}

/**
 * What a step's facts and text are checked against: a frame of the page's run (clamped to the
 * frames there are), the cluster's timers, and what the tour remembers.
 */
export function momentAt(sim: Simulation, frame: number, tour: Pick<TourState, 'vars' | 'results'>): Moment {
  const o = scenarioOptionsOf(sim.options);
  const timing = { heartbeat: o.heartbeat ?? defaultRaftOptions.heartbeatInterval, electionTimeout: sim.options.electionTimeout };
  return { frame: sim.frames.get(Math.min(frame, sim.frames.length - 1)), vars: tour.vars, results: tour.results, timing };
}

/** A step's highlight with the tour's remembered names ($old) replaced by the servers they name. */
export function resolveHighlight(h: Highlight | undefined, vars: Record<string, string>): Highlight | null {
  if (!h) return null;
  const ref = (n: string) => (n.startsWith('$') ? (vars[n.slice(1)] ?? n) : n);
  return { ...h, nodes: h.nodes?.map(ref), cells: h.cells?.map((c) => (c.node ? { ...c, node: ref(c.node) } : c)) };
}

