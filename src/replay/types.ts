import type { Problem } from '../cluster/errors';
import type { Answer, ClientOp } from '../cluster/types';
import type { Input, Simulation, SimOptions } from './simulation';

/** Shapes shared by the replay engine, the drivers over it and the zustand store. */

export interface ConsoleEntry {
  readonly id: number;
  readonly sql: string;
  readonly node: string;
  readonly op: ClientOp;
  readonly sentAt: number;
  readonly answer: Answer | null;
  readonly answeredAt: number | null;
  /** The request was made in a future that a fork threw away. */
  readonly forgotten: boolean;
}

/** What a script (a tour, the scenario editor) gets to drive the simulation with, recorded as inputs. */
export interface Driver {
  readonly sim: Simulation;
  /**
   * Send a client request as the console would (the answer shows in the console); returns its id,
   * or the problem when there was no node to send it to (`"any"` with every node down).
   */
  request(node: string, body: ClientOp, sql: string): { id: number; problem: Problem | null };
  answer(id: number): Answer | null;
}

/** A whole run as a share link, a saved session or an exported file holds it. */
export interface RunRecord {
  options: SimOptions;
  inputs: readonly Input[];
  /** The moment on screen. */
  frame: number;
  time: number;
  /** How far the simulation had run: replayed too, so the databases match the original's. */
  head: number;
}
