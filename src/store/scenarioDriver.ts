import { DEFAULT_REQUEST_TIMEOUT, DEFAULT_WAIT_FOR_TIMEOUT, toStatements, type StepOutput } from '../drive/scenario/run';
import type { Scenario, Step } from '../drive/scenario/schema';
import type { Answer, ClientOp } from '../cluster/types';
import { defaultRaftOptions } from '../raft/types';
import type { InputAction, SimOptions, Simulation } from '../replay/simulation';
import { parseScenario, ScenarioError } from '../drive/scenario/parse';
import { useStore, type Driver } from './store';

/**
 * Scenario steps run in the page with the semantics of src/drive/scenario/run.ts, but every action
 * goes through `Simulation.apply` so it is recorded as an input: the run can then be replayed,
 * shared, scrubbed and downloaded like anything the learner did by hand.
 */

/** The page's options for a scenario: the same cluster the headless runner would build. */
export function simOptionsOf(s: Scenario): SimOptions {
  const { electionTimeout, latency, preVote, heartbeat, ...rest } = s.options;
  return {
    nodes: s.nodes,
    seed: s.seed,
    electionTimeout: electionTimeout ?? [defaultRaftOptions.electionTimeoutMin, defaultRaftOptions.electionTimeoutMax],
    latency: latency ?? [5, 15],
    preVote: preVote ?? true,
    // The headless runner's heartbeat does not follow the election timeout as the page's does.
    tuning: { ...rest, heartbeat: heartbeat ?? defaultRaftOptions.heartbeatInterval },
  };
}

/** world.runUntil, but through Simulation.step so every step leaves a frame. */
export function runUntil(sim: Simulation, done: () => boolean, until: number): boolean {
  const world = sim.cluster.world;
  if (done()) return true;
  while (world.nextTime() <= until) {
    sim.step();
    if (done()) return true;
  }
  world.now = Math.max(world.now, until);
  return false;
}

function out(sim: Simulation, i: number, node: string | null, ok: boolean, result: StepOutput['result'], error: string | null): StepOutput {
  return { i, ok, at: sim.now, node, result, error };
}

function resolveNode(sim: Simulation, ref: string | undefined): string | { error: string } {
  const r = ref ?? 'leader';
  if (r === 'leader') return sim.cluster.leader()?.id ?? { error: 'no leader' };
  return r;
}

/** How a request's SQL reads in the console. */
function sqlText(body: ClientOp): string {
  return body.req.statements.map((s) => s.sql).join(';\n');
}

export function runStepInPage(d: Driver, step: Step, i: number): StepOutput {
  const sim = d.sim;
  const c = sim.cluster;
  const fail = (node: string | null, error: string) => out(sim, i, node, false, null, error);
  const act = (a: InputAction, node: string | null) => {
    const error = sim.apply(a);
    return error ? fail(node, error) : out(sim, i, node, true, null, null);
  };
  switch (step.kind) {
    case 'wait':
      sim.runTo(sim.now + step.wait);
      return out(sim, i, null, true, null, null);
    case 'waitFor': {
      const timeout = step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT;
      const done = step.waitFor === 'leader' ? () => c.stableLeader() !== null : () => c.converged();
      const ok = runUntil(sim, done, sim.now + timeout);
      const leader = c.leader()?.id ?? null;
      return ok ? out(sim, i, leader, true, null, null) : fail(leader, `timed out after ${timeout} ms waiting for ${step.waitFor}`);
    }
    case 'execute':
    case 'query': {
      // "any" is left to Simulation.apply so a replay draws the same node.
      const target = step.node === 'any' ? 'any' : resolveNode(sim, step.node);
      if (typeof target !== 'string') return fail(null, target.error);
      const timeout = step.timeout ?? DEFAULT_REQUEST_TIMEOUT;
      const body: ClientOp =
        step.kind === 'execute'
          ? { op: 'execute', req: { statements: toStatements(step.execute), transaction: step.transaction ?? false, queue: step.queue ?? false, timeout } }
          : { op: 'query', req: { statements: toStatements(step.query), level: step.level ?? 'weak', freshness: step.freshness, timeout } };
      const id = d.request(target, body, sqlText(body));
      runUntil(sim, () => d.answer(id) !== null, sim.now + timeout + 1);
      const a: Answer | null = d.answer(id);
      if (!a) return fail(target, 'request timed out');
      const res = a.ok ? out(sim, i, a.node, true, a.result, null) : fail(a.node, a.error);
      if (a.via) res.via = a.via;
      return res;
    }
    case 'kill':
    case 'restart': {
      const id = resolveNode(sim, step.kind === 'kill' ? step.kill : step.restart);
      if (typeof id !== 'string') return fail(null, id.error);
      const s = c.servers.get(id);
      if (!s) return fail(id, `unknown node ${id}`);
      if (step.kind === 'kill' && !s.alive) return fail(id, `${id} is already down`);
      if (step.kind === 'restart' && s.alive) return fail(id, `${id} is already running`);
      return act({ kind: step.kind, node: id }, id);
    }
    case 'partition': {
      const groups: string[][] = [];
      for (const g of step.partition) {
        const ids: string[] = [];
        for (const ref of g) {
          const id = resolveNode(sim, ref);
          if (typeof id !== 'string') return fail(null, id.error);
          ids.push(id);
        }
        groups.push(ids);
      }
      return act({ kind: 'partition', groups }, null);
    }
    case 'isolate': {
      const id = resolveNode(sim, step.isolate);
      if (typeof id !== 'string') return fail(null, id.error);
      return act({ kind: 'isolate', node: id }, id);
    }
    case 'heal':
      return act({ kind: 'heal' }, null);
    case 'drop':
      return act({ kind: 'network', drop: step.drop }, null);
    case 'duplicate':
      return act({ kind: 'network', duplicate: step.duplicate }, null);
    case 'latency':
      return act({ kind: 'network', latency: step.latency }, null);
    case 'transfer': {
      const target = resolveNode(sim, step.transfer);
      if (typeof target !== 'string') return fail(null, target.error);
      const refused = sim.apply({ kind: 'transfer', node: target });
      if (refused) return fail(target, refused);
      runUntil(sim, sim.settleOfLastInput()!, sim.now + (step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT));
      if (c.leader()?.id === target) return out(sim, i, target, true, null, null);
      return fail(target, `leadership transfer to ${target} failed: it did not take over (lagging, unreachable or down)`);
    }
    case 'snapshot': {
      const id = resolveNode(sim, step.snapshot);
      if (typeof id !== 'string') return fail(null, id.error);
      const s = c.servers.get(id);
      if (!s || !s.alive) return fail(id, `${id} is down`);
      // Nothing applied since the last snapshot: headless answers with the old index, as here.
      if (s.proc.raft!.lastApplied > s.proc.storage.snapshot.index) {
        const refused = sim.apply({ kind: 'snapshot', node: id });
        if (refused) return fail(id, refused);
      }
      return out(sim, i, id, true, { snapshotIndex: s.proc.storage.snapshot.index }, null);
    }
    case 'join': {
      const voter = step.voter ?? true;
      const deadline = sim.now + (step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT);
      const refused = retrying(sim, deadline, { kind: 'join', node: step.join, voter });
      if (refused) return fail(c.leader()?.id ?? null, refused);
      return runUntil(sim, sim.settleOfLastInput()!, deadline)
        ? out(sim, i, step.join, true, null, null)
        : fail(step.join, `${step.join} did not become a ${voter ? 'voter' : 'non-voter'} within ${step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT} ms`);
    }
    case 'remove': {
      const id = resolveNode(sim, step.remove);
      if (typeof id !== 'string') return fail(null, id.error);
      const deadline = sim.now + (step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT);
      const refused = retrying(sim, deadline, { kind: 'remove', node: id });
      if (refused) return fail(id, refused);
      return runUntil(sim, sim.settleOfLastInput()!, deadline) ? out(sim, i, id, true, null, null) : fail(id, `removal of ${id} was not committed within ${step.timeout ?? DEFAULT_WAIT_FOR_TIMEOUT} ms`);
    }
  }
}

const TRANSIENT = /not leader|leader not found|already in progress|not yet committed|transfer in progress/;

/**
 * run.ts's retry of an operator action every 20 ms while time can cure the refusal. Refused
 * membership inputs are not recorded, so a replay sees only the attempt that was accepted.
 */
function retrying(sim: Simulation, deadline: number, action: InputAction): string | null {
  for (;;) {
    const refused = sim.apply(action);
    if (refused === null || !TRANSIENT.test(refused) || sim.now + 20 > deadline) return refused;
    sim.runTo(sim.now + 20);
  }
}

/** Run every step in order; one output per step, like the headless runner's "steps". */
export function runStepsInPage(d: Driver, steps: readonly Step[]): StepOutput[] {
  return steps.map((s, i) => runStepInPage(d, s, i));
}

/**
 * Run a scenario file in the page: a fresh cluster with its options, every step recorded as an
 * input, the view left paused at the end (scrub the timeline to watch any moment of it).
 */
export function runScenarioText(text: string): { ok: true; steps: StepOutput[] } | { ok: false; error: string } {
  let scenario: Scenario;
  try {
    scenario = parseScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: e.message };
    throw e;
  }
  const store = useStore.getState();
  store.newCluster(simOptionsOf(scenario));
  store.pause();
  let steps: StepOutput[] = [];
  const end = store.drive((d) => {
    steps = runStepsInPage(d, scenario.steps);
  });
  if (end) useStore.setState({ frame: end.frame, time: end.time, playing: false });
  return { ok: true, steps };
}
