import type { ReadLevel } from '../../cluster/types';
import type { StepProblem } from '../problems';

export const READ_LEVELS: readonly ReadLevel[] = ['none', 'weak', 'strong', 'linearizable'];

/**
 * What a client asked for. `upsert` is `INSERT OR REPLACE`, `update` a plain `UPDATE`, `cas` an
 * `UPDATE … WHERE v = from`; every written value is unique within a run, so a read names the write
 * it saw.
 */
export type ChaosRequest =
  | { f: 'read'; level: ReadLevel }
  | { f: 'upsert'; value: number }
  | { f: 'update'; value: number }
  | { f: 'cas'; from: number | null; value: number };

/**
 * How it ended, as a client can know it. `ok` carries what the statement reported (the value read,
 * or the rows an UPDATE touched); `fail` means it certainly did not take effect; `unknown` means it
 * may or may not have (a timeout, a leader lost mid-request), and such an operation has
 * `return = Infinity`.
 */
export type ChaosOutcome =
  | { status: 'ok'; value?: number | null; rows?: number }
  | { status: 'fail'; error: string }
  | { status: 'unknown'; error: string };

export interface ChaosOp {
  /** Index in the history: stable, used to point at operations from a checker verdict. */
  id: number;
  client: number;
  key: string;
  req: ChaosRequest;
  /** The node the client sent it to, and the node that answered (after forwarding). */
  node: string;
  servedBy: string | null;
  call: number;
  return: number;
  /** When the client gave up on an unknown outcome (its timeout); `return` stays Infinity. */
  gaveUpAt: number | null;
  outcome: ChaosOutcome;
}

export type FaultAction =
  | { kind: 'kill'; node: string }
  | { kind: 'restart'; node: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'isolate'; node: string }
  | { kind: 'heal' }
  | { kind: 'drop'; p: number }
  | { kind: 'duplicate'; p: number }
  | { kind: 'latency'; range: [number, number] }
  | { kind: 'remove'; node: string }
  | { kind: 'join'; node: string }
  | { kind: 'transfer'; node: string };

/** A fault at a simulated time. A node may be `"leader"`: whoever leads when it fires. */
export interface ScheduledFault {
  at: number;
  action: FaultAction;
}

/**
 * A fault as it went, as a typed value (the sentence for it is `faultText`): the action as
 * scheduled, the node it resolved to, the leader that proposed a membership change or handed over
 * leadership, and why nothing was done when `ok` is false.
 */
export interface AppliedFault {
  at: number;
  kind: FaultAction['kind'];
  action: FaultAction;
  ok: boolean;
  node?: string;
  by?: string | null;
  problem?: StepProblem;
  /** The end of the faults: heal, restart every node and join back the removed. */
  final?: boolean;
}

export interface ChaosOptions {
  seed: number;
  nodes: number;
  /** Concurrent clients, each with one operation in flight at a time. */
  clients: number;
  /** Rows of `kv` the clients fight over. */
  keys: number;
  /** Operations over all clients; the run ends when the last one is answered or given up. */
  ops: number;
  /** Read levels in play; each read picks one of them. */
  levels: ReadLevel[];
  /** Share of operations that are reads. */
  readRatio: number;
  /** Client-side timeout of one request (ms). */
  timeout: number;
  /** Mean gap between two faults (ms); 0 turns the random schedule off. */
  faultEvery: number;
  /** A fixed schedule instead of the random one. */
  faults?: ScheduledFault[];
  /**
   * One more client that sends SQL beyond key–value (sqlMix.ts: DEFAULTs, triggers, views, pragmas,
   * TEMP, ATTACH, random and now …) to random nodes; outside the checked history, but every node
   * must still end with the same database.
   */
  sqlMix?: boolean;
}

export const defaultChaosOptions: ChaosOptions = {
  seed: 1,
  nodes: 5,
  clients: 4,
  keys: 3,
  ops: 80,
  levels: [...READ_LEVELS],
  readRatio: 0.5,
  timeout: 1000,
  faultEvery: 250,
};

export interface ChaosNodeState {
  id: string;
  alive: boolean;
  member: boolean;
  dbHash: string | null;
}

export interface ChaosRun {
  options: ChaosOptions;
  history: ChaosOp[];
  faults: AppliedFault[];
  /** When the last client operation ended and the final heal began (ms). */
  faultsEnd: number;
  /** After heal + restart + rejoin: did the cluster converge, and when. */
  converged: boolean;
  end: number;
  nodes: ChaosNodeState[];
  /** Every live member holds the same database. */
  hashesAgree: boolean;
  violations: unknown[];
  events: number;
}
