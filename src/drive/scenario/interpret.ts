import { isTransient } from '../../cluster/errors';
import { isSettled, type Operated, type OperatorAction } from '../../cluster/operate';
import type { Answer, ClientOp, RqliteResponse } from '../../cluster/types';
import type { SqlParam, Statement } from '../../db/types';
import { runUntil, type Host } from '../host';
import { checkOutcome, checkState, Expectations } from './expect';
import { stepProblemText, type StepProblem, type StepProblemCode } from '../problems';
import type { Step } from './schema';

/** One step's outcome, as `npm run scenario` prints it. */
export interface StepOutput {
  i: number;
  ok: boolean;
  at: number;
  node: string | null;
  result: RqliteResponse | Record<string, unknown> | null;
  error: string | null;
  /** Why it failed, as a stable code (see docs/scenario-format.md); only on failed steps. */
  code?: StepProblemCode;
  via?: string;
}

export const DEFAULT_WAIT_FOR_TIMEOUT = 10_000;
export const DEFAULT_REQUEST_TIMEOUT = 5_000;
const RETRY_MS = 20;

export function toStatements(sql: string | (string | [string, ...SqlParam[]])[]): Statement[] {
  if (typeof sql === 'string') return [{ sql }];
  return sql.map((s) => (typeof s === 'string' ? { sql: s } : { sql: s[0], params: s.slice(1) as SqlParam[] }));
}

/** How a request's SQL reads in the page's console. */
function label(body: ClientOp): string {
  return body.req.statements.map((s) => s.sql).join(';\n');
}

/**
 * The scenario interpreter: runs one step on any host. Headless (`npm run scenario`), the page's
 * scenario editor, tours and "Show me" presets all run their steps through this function.
 */
export function runStep(host: Host, step: Step, i: number, expectations?: Expectations): StepOutput {
  const out = act(host, step, i, expectations);
  if (step.kind !== 'expect' && step.expect && expectations) checkOutcome(expectations, i, step.expect, out);
  return out;
}

function act(host: Host, step: Step, i: number, expectations: Expectations | undefined): StepOutput {
  const cluster = host.cluster;
  const ok = (node: string | null, result: StepOutput['result'] = null): StepOutput => ({ i, ok: true, at: cluster.now, node, result, error: null });
  const fail = (node: string | null, p: StepProblem): StepOutput => ({ i, ok: false, at: cluster.now, node, result: null, error: stepProblemText(p), code: p.code });
  /** "leader" → the current leader's id; any other id as it is. */
  const resolve = (ref: string | undefined): string | StepProblem => {
    const r = ref ?? 'leader';
    if (r !== 'leader') return r;
    return cluster.leader()?.id ?? { code: 'leader-unresolved' };
  };
  const advance = (ms: number) => runUntil(host, () => false, cluster.now + ms);
  /** Retry an operator action every 20 ms while the refusal is one time cures (an election, a change in flight). */
  const retrying = (deadline: number, action: OperatorAction): Operated => {
    for (;;) {
      const res = host.act(action);
      if (res.problem === null || !isTransient(res.problem) || cluster.now + RETRY_MS > deadline) return res;
      advance(RETRY_MS);
    }
  };
  const simple = (action: OperatorAction, node: string | null): StepOutput => {
    const res = host.act(action);
    return res.problem ? fail(node, res.problem) : ok(node);
  };

  switch (step.kind) {
    case 'expect': {
      const x = expectations ?? new Expectations();
      const before = x.failed.length;
      checkState(x, i, step.expect, cluster);
      const failed = x.failed.length - before;
      return failed === 0 ? ok(null) : fail(null, { code: 'expectation-failed', count: failed });
    }
    case 'wait':
      advance(step.wait);
      return ok(null);
    case 'waitFor': {
      const timeout = step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT;
      const done = step.waitFor === 'leader' ? () => cluster.stableLeader() !== null : () => cluster.converged();
      const reached = runUntil(host, done, cluster.now + timeout);
      const leader = cluster.leader()?.id ?? null;
      return reached ? ok(leader) : fail(leader, { code: 'wait-timeout', waitFor: step.waitFor, timeout });
    }
    case 'execute':
    case 'query': {
      // "any" is drawn by the host at the moment the request is sent, so a replay draws the same node.
      const target = step.node === 'any' ? 'any' : resolve(step.node);
      if (typeof target !== 'string') return fail(null, target);
      const timeout = step.timeout ?? DEFAULT_REQUEST_TIMEOUT;
      const body: ClientOp =
        step.kind === 'execute'
          ? { op: 'execute', req: { statements: toStatements(step.execute), transaction: step.transaction ?? false, queue: step.queue ?? false, timeout } }
          : { op: 'query', req: { statements: toStatements(step.query), level: step.level ?? 'weak', freshness: step.freshness, timeout } };
      let answer: Answer | null = null;
      const refused = host.request(target, body, (a) => (answer = a), label(body));
      if (refused) return fail(null, refused);
      runUntil(host, () => answer !== null, cluster.now + timeout + 1);
      const a = answer as Answer | null;
      if (!a) return fail(target, { code: 'timeout' });
      const res = a.ok ? ok(a.node, a.result) : fail(a.node, a.problem);
      if (a.via) res.via = a.via;
      return res;
    }
    case 'kill':
    case 'restart': {
      const id = resolve(step.kind === 'kill' ? step.kill : step.restart);
      if (typeof id !== 'string') return fail(null, id);
      const s = cluster.servers.get(id);
      if (!s) return fail(id, { code: 'unknown-node', node: id });
      if (step.kind === 'kill' && !s.alive) return fail(id, { code: 'already-down', node: id });
      if (step.kind === 'restart' && s.alive) return fail(id, { code: 'already-running', node: id });
      return simple({ kind: step.kind, node: id }, id);
    }
    case 'partition': {
      const groups: string[][] = [];
      for (const g of step.partition) {
        const ids: string[] = [];
        for (const ref of g) {
          const id = resolve(ref);
          if (typeof id !== 'string') return fail(null, id);
          ids.push(id);
        }
        groups.push(ids);
      }
      return simple({ kind: 'partition', groups }, null);
    }
    case 'isolate': {
      const id = resolve(step.isolate);
      if (typeof id !== 'string') return fail(null, id);
      return simple({ kind: 'isolate', node: id }, id);
    }
    case 'heal':
      return simple({ kind: 'heal' }, null);
    case 'drop':
      return simple({ kind: 'network', drop: step.drop }, null);
    case 'duplicate':
      return simple({ kind: 'network', duplicate: step.duplicate }, null);
    case 'latency':
      return simple({ kind: 'network', latency: step.latency }, null);
    case 'snapshot': {
      const id = resolve(step.snapshot);
      if (typeof id !== 'string') return fail(null, id);
      const res = host.act({ kind: 'snapshot', node: id });
      // Nothing applied since the last snapshot: the step still answers with the index it has.
      if (res.problem && res.problem.code !== 'nothing-to-snapshot') return fail(id, res.problem);
      return ok(id, { snapshotIndex: cluster.servers.get(id)!.proc.storage.snapshot.index });
    }
    case 'join': {
      const voter = step.voter ?? true;
      const timeout = step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT;
      const deadline = cluster.now + timeout;
      const res = retrying(deadline, { kind: 'join', node: step.join, voter });
      if (res.problem) return fail(res.node ?? null, res.problem);
      return runUntil(host, () => isSettled(cluster, res.settle!), deadline) ? ok(step.join) : fail(step.join, { code: 'join-timeout', node: step.join, voter, timeout });
    }
    case 'remove': {
      const id = resolve(step.remove);
      if (typeof id !== 'string') return fail(null, id);
      const timeout = step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT;
      const deadline = cluster.now + timeout;
      const res = retrying(deadline, { kind: 'remove', node: id });
      if (res.problem) return fail(id, res.problem);
      return runUntil(host, () => isSettled(cluster, res.settle!), deadline) ? ok(id) : fail(id, { code: 'remove-timeout', node: id, timeout });
    }
    case 'transfer': {
      const target = resolve(step.transfer);
      if (typeof target !== 'string') return fail(null, target);
      const deadline = cluster.now + (step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT);
      const res = retrying(deadline, { kind: 'transfer', node: target });
      if (res.problem) return fail(res.node ?? null, res.problem);
      runUntil(host, () => isSettled(cluster, res.settle!), deadline);
      return cluster.leader()?.id === target ? ok(target) : fail(target, { code: 'transfer-failed', node: target });
    }
  }
}

/** Run every step in order; one output per step, like the headless runner's "steps". */
export function runSteps(host: Host, steps: readonly Step[], expectations?: Expectations): StepOutput[] {
  return steps.map((s, i) => runStep(host, s, i, expectations));
}
