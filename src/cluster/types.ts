import type { ExecuteResult, QueryResult, Statement } from '../db/types';
import type { RaftMessage, RaftOptions } from '../raft/types';
import { problemText, type Problem } from './errors';

export type ReadLevel = 'none' | 'weak' | 'strong' | 'linearizable';

export interface ExecuteRequest {
  statements: Statement[];
  transaction: boolean;
  queue: boolean;
  timeout: number;
}

export interface QueryRequest {
  statements: Statement[];
  level: ReadLevel;
  /** Only for `none`: refuse when this node has not heard from a leader for this long (ms). */
  freshness?: number;
  timeout: number;
}

export type ClientOp = { op: 'execute'; req: ExecuteRequest } | { op: 'query'; req: QueryRequest };

export interface RqliteResponse {
  results: (ExecuteResult | QueryResult)[];
  sequence_number?: number;
}

/** A failed answer carries its `problem` as a typed value and, for rqlite's JSON, the sentence for it. */
export type Answer =
  | { ok: true; node: string; result: RqliteResponse; via?: string; index?: number }
  | { ok: false; node: string; problem: Problem; error: string; via?: string };

export function failure(node: string, problem: Problem): Answer {
  return { ok: false, node, problem, error: problemText(problem) };
}

/** Cluster-level messages travel the same simulated network as Raft's, so they can be drawn too. */
export interface ClientForward {
  readonly type: 'ClientRequest';
  readonly from: string;
  readonly to: string;
  readonly id: number;
  readonly body: ClientOp;
}

export interface ClientReply {
  readonly type: 'ClientResponse';
  readonly from: string;
  readonly to: string;
  readonly id: number;
  readonly answer: Answer;
  /** The leader could not take it (not leader / transfer under way): the sender may retry. */
  readonly retry: boolean;
}

export type NetMessage = RaftMessage | ClientForward | ClientReply;

/** What an entry in the log carries for the SQL service. */
export type EntryData =
  | { op: 'execute'; statements: Statement[]; transaction: boolean; ts: number }
  | { op: 'query'; statements: Statement[]; ts?: number };

export interface ClusterOptions {
  nodes: number;
  seed: number;
  raft: RaftOptions;
  snapshotThreshold: number;
  /** Past 64 KiB of database, bytes of log per byte of database before a snapshot (snapshotPolicy.ts). */
  snapshotLogRatio: number;
  latency: [number, number];
  /** Simulated wall clock at t=0, in ms since the Unix epoch (2026-01-01T00:00:00Z). */
  epochMs: number;
  queueBatchSize: number;
  queueFlushMs: number;
}
