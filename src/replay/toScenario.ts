import type { ConsoleEntry, RunRecord } from './types';
import { formatMs } from '../sim/duration';

/**
 * What the page recorded, as a scenario file (docs/scenario-format.md) that `npm run scenario` replays headless.
 *
 * The headless runner is sequential: a request step waits for its answer before the next step. So
 * the clock after a request is when its answer came, and each later input waits from there. When the
 * learner sent the next input before an answer came back, the file cannot say "at the same time";
 * it keeps the order and says so in a comment.
 */
export interface ScenarioExport {
  text: string;
  warnings: string[];
}

type Json = Record<string, unknown>;

/**
 * `settledAt` (the Simulation's, by input index) says when each transfer, join and removal settled:
 * the headless runner waits for exactly that, so the clock resumes from there.
 */
export function runToScenario(run: RunRecord, entries: readonly ConsoleEntry[], settledAt?: ReadonlyMap<number, number>): ScenarioExport {
  const o = run.options;
  const warnings: string[] = [];
  const steps: Json[] = [];
  const answeredAt = new Map(entries.map((e) => [e.id, e.answeredAt]));
  let clock = 0;
  const waitUntil = (t: number) => {
    const d = Math.round((t - clock) * 1000) / 1000;
    if (d > 0) steps.push({ wait: d });
    clock = Math.max(clock, t);
  };
  // The headless runner waits until such a step settles; resume from there, as the page did.
  const settle = (index: number, what: string) => {
    const t = settledAt?.get(index);
    if (t !== undefined) clock = Math.max(clock, t);
    else warnings.push(`${what} had not settled when the recording ends or was not tracked; headless it waits until it settles, so later timings may shift`);
  };
  for (const [index, inp] of run.inputs.entries()) {
    if (inp.frame > run.frame) break;
    if (inp.time < clock) {
      const w = `the input at ${formatMs(inp.time)} was sent before the previous request was answered (${formatMs(clock)}); the headless run sends it afterwards`;
      warnings.push(w);
    }
    waitUntil(inp.time);
    const a = inp.action;
    switch (a.kind) {
      case 'kill':
      case 'restart':
      case 'isolate':
        steps.push({ [a.kind]: a.node });
        break;
      case 'transfer':
        steps.push({ transfer: a.node });
        settle(index, 'a leadership transfer');
        break;
      case 'partition':
        steps.push({ partition: a.groups });
        break;
      case 'heal':
        steps.push({ heal: true });
        break;
      case 'network':
        if (a.drop !== undefined) steps.push({ drop: a.drop });
        if (a.duplicate !== undefined) steps.push({ duplicate: a.duplicate });
        if (a.latency) steps.push({ latency: a.latency });
        break;
      case 'snapshot':
        steps.push({ snapshot: a.node });
        break;
      case 'join':
      case 'remove':
        steps.push(a.kind === 'join' ? { join: a.node, voter: a.voter } : { remove: a.node });
        settle(index, `a ${a.kind} step`);
        break;
      case 'drop':
        warnings.push(`dropping one message in flight (id ${a.id}) has no scenario step and was left out`);
        steps.push({ wait: 0, comment: `here the message with in-flight id ${a.id} was dropped by hand, which scenarios cannot express` });
        break;
      case 'timeoutNow':
        warnings.push(`"time out now" on ${a.node} has no scenario step and was left out`);
        steps.push({ wait: 0, comment: `here ${a.node} was forced to time out ("time out now"), which scenarios cannot express` });
        break;
      case 'request': {
        const statements = a.body.req.statements.map((s) => (s.params && s.params.length > 0 ? [s.sql, ...s.params] : s.sql));
        const sql = statements.length === 1 && typeof statements[0] === 'string' ? statements[0] : statements;
        const step: Json =
          a.body.op === 'execute'
            ? { execute: sql, node: a.node, ...(a.body.req.transaction ? { transaction: true } : {}), ...(a.body.req.queue ? { queue: true } : {}), timeout: a.body.req.timeout }
            : { query: sql, node: a.node, level: a.body.req.level, ...(a.body.req.freshness !== undefined ? { freshness: a.body.req.freshness } : {}), timeout: a.body.req.timeout };
        steps.push(step);
        const done = answeredAt.get(a.id);
        // The runner's clock moves to the answer; unanswered before the end, to its deadline.
        clock = done !== null && done !== undefined ? done : inp.time + a.body.req.timeout + 1;
        break;
      }
    }
  }
  waitUntil(run.time);
  const [emin] = o.electionTimeout;
  const scenario = {
    name: `Recorded in raftlite (seed ${o.seed})`,
    description: `What the page recorded, up to ${formatMs(run.time)}. Run it with: npm run --silent scenario -- FILE.json`,
    nodes: o.nodes,
    seed: o.seed,
    options: {
      electionTimeout: o.electionTimeout,
      latency: o.latency,
      preVote: o.preVote,
      ...o.tuning,
      // The page derives the heartbeat from the election timeout; the runner needs it spelled out.
      heartbeat: o.tuning?.heartbeat ?? Math.max(10, Math.round(emin / 3)),
    },
    steps,
  };
  return { text: JSON.stringify(scenario, null, 1), warnings };
}
