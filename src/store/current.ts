import type { SqlJsStatic } from 'sql.js';
import { DEFAULT_EVENT_WINDOW } from '../replay/eventWindow';
import type { RunKind, Simulation } from '../replay/simulation';
import { followRun } from './diagram';
import { followHistory } from './whyIndex';

/**
 * The run on screen and what makes new ones: kept outside the zustand state because a Simulation is
 * a large mutable object, read by components through `getSim()` and keyed by the store's `revision`.
 */

let SQL: SqlJsStatic | null = null;
let sim: Simulation | null = null;
let nextRequestId = 1;

/**
 * The page keeps only a window of its run's frames and events in memory (the rest is rebuilt from
 * checkpoints when read): the indexes that read the whole log (the diagram's model, Why?'s) follow
 * the run as it is recorded instead of reading it back. A fork keeps what the run it left kept.
 */
export const PAGE_RUN: RunKind = { eventWindow: DEFAULT_EVENT_WINDOW };

export function sqlJs(): SqlJsStatic | null {
  return SQL;
}

export function setSqlJs(sql: SqlJsStatic): void {
  SQL = sql;
}

/** The running simulation; components read frames and the log from it, keyed by `revision`. */
export function getSim(): Simulation | null {
  return sim;
}

/** A fresh id for a console request. */
export function takeRequestId(): number {
  return nextRequestId++;
}

/** Ids below `next` are taken (a loaded run's requests): new requests get later ones. */
export function reserveRequestIds(next: number): void {
  nextRequestId = Math.max(nextRequestId, next);
}

/** Keep the indexes that follow the run on screen (the diagram's model, Why?'s) following `next`. */
export function follow(next: Simulation, forkOf: { sim: Simulation; frame: number } | null = null): void {
  followRun(next, forkOf);
  followHistory(next, forkOf?.sim ?? null);
}

/**
 * Put a new simulation in place and free the old one's sql.js databases: the wasm heap they live
 * in is shared by every cluster and never garbage-collected, so each fork, new cluster or load used
 * to keep the old databases for good.
 */
export function replaceSim(next: Simulation): Simulation {
  const old = sim;
  sim = next;
  follow(next);
  if (old && old !== next) old.cluster.dispose();
  return next;
}

function lookahead(s: Simulation): number {
  return s.maxLatency + 1;
}

/** The latest moment the view may show: the simulation runs ahead so in-flight messages are known. */
export function headTime(s: Simulation, viewTime: number): number {
  return Math.max(viewTime, s.now - lookahead(s));
}

/** Run the simulation one network latency past `time`, so what is in flight at `time` is known. */
export function ensureAhead(s: Simulation, time: number): void {
  if (s.now < time + lookahead(s)) s.runTo(time + lookahead(s));
}
