import type { Cluster } from '../../cluster/cluster';
import type { Count, FinalExpect, OutcomeExpect, StateExpect } from './schema';
import { nodeOutputs, type NodeOutput } from './state';
import { toJson } from '../../db/json';

/** One expectation a scenario file stated that the run did not meet. */
export interface ExpectFailure {
  /** The step it belongs to (its index in the expanded steps); null for the file's final `expect`. */
  step: number | null;
  /** What was checked, as a path: "rows", "nodes.n3.role", "stats.rejectedAppends". */
  what: string;
  expected: unknown;
  actual: unknown;
}

/** Every expectation checked in a run, and those that failed. */
export class Expectations {
  checked = 0;
  readonly failed: ExpectFailure[] = [];

  /** Check one value; `matches` decides, and the failure keeps what was expected and what was found. */
  check(step: number | null, what: string, expected: unknown, actual: unknown, matches = same(expected, actual)): boolean {
    this.checked++;
    if (!matches) this.failed.push({ step, what, expected, actual });
    return matches;
  }

  /** A number exactly, or within `{min, max}`. */
  count(step: number | null, what: string, expected: Count, actual: number): boolean {
    const ok = typeof expected === 'number' ? actual === expected : (expected.min ?? -Infinity) <= actual && actual <= (expected.max ?? Infinity);
    return this.check(step, what, expected, actual, ok);
  }
}

/**
 * A scenario file is read with JSON.parse, so an integer beyond 2^53 written in it arrives as the
 * nearest double: an exact (bigint) answer is compared at that precision.
 */
function same(expected: unknown, actual: unknown): boolean {
  const asRead = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);
  return toJson(expected, 0, asRead) === toJson(actual, 0, asRead);
}

/** What a step's output must show (`"expect"` beside the step's own fields). */
export interface OutcomeView {
  ok: boolean;
  node: string | null;
  via?: string;
  code?: string;
  error: string | null;
  result: unknown;
}

type Result = { values?: unknown[][]; rows_affected?: number; error?: string };

function results(result: unknown): Result[] {
  const r = result as { results?: Result[] } | null;
  return r?.results ?? [];
}

export function checkOutcome(x: Expectations, i: number, e: OutcomeExpect, out: OutcomeView): void {
  if (e.ok !== undefined) x.check(i, 'ok', e.ok, out.ok);
  if (e.node !== undefined) x.check(i, 'node', e.node, out.node);
  if (e.via !== undefined) x.check(i, 'via', e.via, out.via ?? null);
  if (e.code !== undefined) x.check(i, 'code', e.code, out.code ?? null);
  if (e.error !== undefined) x.check(i, 'error', e.error, out.error, out.error !== null && out.error.includes(e.error));
  const rs = results(out.result);
  const first = rs[0];
  // rqlite leaves out what is empty or zero: a query with no rows has no `values`, an execute that
  // touched nothing no `rows_affected`.
  if (e.rows !== undefined) x.check(i, 'rows', e.rows, first ? (first.values ?? (first.error === undefined ? [] : null)) : null);
  if (e.rowsAffected !== undefined) x.check(i, 'rowsAffected', e.rowsAffected, first ? (first.rows_affected ?? (first.error === undefined ? 0 : null)) : null);
  if (e.statementError !== undefined) {
    const errors = rs.map((r) => r.error).filter((m): m is string => m !== undefined);
    if (e.statementError === null) x.check(i, 'statementError', null, errors[0] ?? null);
    else x.check(i, 'statementError', e.statementError, errors, errors.some((m) => m.includes(e.statementError!)));
  }
}

/** The cluster's state now, as the output would describe it. */
export function checkState(x: Expectations, i: number | null, e: StateExpect, cluster: Cluster): void {
  checkNodes(x, i, e, nodeOutputs(cluster), cluster.leader()?.id ?? null, () => cluster.converged());
}

function checkNodes(x: Expectations, i: number | null, e: StateExpect, nodes: NodeOutput[], leader: string | null, converged: () => boolean): void {
  if (e.leader !== undefined) x.check(i, 'leader', e.leader, leader);
  if (e.converged !== undefined) x.check(i, 'converged', e.converged, converged());
  if (e.sameDatabase !== undefined) {
    const hashes = new Set(nodes.filter((n) => n.alive && n.member).map((n) => n.dbHash));
    x.check(i, 'sameDatabase', e.sameDatabase, hashes.size === 1);
  }
  for (const [id, want] of Object.entries(e.nodes ?? {})) {
    const n = nodes.find((m) => m.id === id);
    if (!n) {
      x.check(i, `nodes.${id}`, 'a node', null, false);
      continue;
    }
    for (const [field, value] of Object.entries(want)) {
      const actual = n[field as keyof NodeOutput];
      const what = `nodes.${id}.${field}`;
      if (typeof actual === 'number' && value !== null && typeof value !== 'boolean' && typeof value !== 'string') x.count(i, what, value, actual);
      else x.check(i, what, value, actual);
    }
  }
}

/** The file's top-level `expect`, against the run's output (and the cluster as it ended). */
export function checkFinal(
  x: Expectations,
  e: FinalExpect,
  out: { leader: string | null; nodes: NodeOutput[]; violations: unknown[]; steps: { ok: boolean }[]; stats: { dropped: number; rejectedAppends: number; elections: number; snapshotsRestored: number; delivered: Record<string, number> } },
  converged: boolean,
): void {
  checkNodes(x, null, e, out.nodes, out.leader, () => converged);
  if (e.violations !== undefined) x.count(null, 'violations', e.violations, out.violations.length);
  if (e.allStepsOk !== undefined) x.check(null, 'allStepsOk', e.allStepsOk, out.steps.every((s) => s.ok));
  const st = e.stats;
  if (!st) return;
  for (const key of ['dropped', 'rejectedAppends', 'elections', 'snapshotsRestored'] as const) {
    const want = st[key];
    if (want !== undefined) x.count(null, `stats.${key}`, want, out.stats[key]);
  }
  for (const [type, want] of Object.entries(st.delivered ?? {})) x.count(null, `stats.delivered.${type}`, want, out.stats.delivered[type] ?? 0);
}
