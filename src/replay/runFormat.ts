import { z } from 'zod';
import { optionsSchema } from '../drive/scenario/schema';
import type { Input } from './simulation';
import { MAX_FRAMES, MAX_INPUTS, MAX_TEXT, MAX_TIME } from './runBounds';
import type { RunRecord } from './types';

export { MAX_FRAMES, MAX_TIME } from './runBounds';

/**
 * The one format for a run outside the page — share link, saved session, exported file — checked
 * with zod before anything is replayed: a file from anywhere must not hang, crash or inject.
 */

const MAX_SQL = 100_000;

const ms = z.number().finite().min(0).max(MAX_TIME);
const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a node id is letters, digits, _ or -');
const range = (lo: number, hi: number) =>
  z.tuple([z.number().finite().min(lo).max(hi), z.number().finite().min(lo).max(hi)]).refine(([a, b]) => a <= b, 'a range must be [MIN, MAX] with MIN ≤ MAX');
const param = z.union([z.string().max(MAX_SQL), z.number().finite(), z.boolean(), z.null()]);
const statement = z.object({ sql: z.string().min(1).max(MAX_SQL), params: z.array(param).max(1000).optional() }).strict();
const statements = z.array(statement).min(1).max(1000);
const timeout = z.number().finite().min(0).max(600_000);

const body = z.discriminatedUnion('op', [
  z.object({ op: z.literal('execute'), req: z.object({ statements, transaction: z.boolean(), queue: z.boolean(), timeout }).strict() }).strict(),
  z
    .object({
      op: z.literal('query'),
      req: z.object({ statements, level: z.enum(['none', 'weak', 'strong', 'linearizable']), freshness: ms.optional(), timeout }).strict(),
    })
    .strict(),
]);

const probability = z.number().min(0).max(1);
const action = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('kill'), node: nodeId }).strict(),
  z.object({ kind: z.literal('restart'), node: nodeId }).strict(),
  z.object({ kind: z.literal('timeoutNow'), node: nodeId }).strict(),
  z.object({ kind: z.literal('transfer'), node: nodeId }).strict(),
  z.object({ kind: z.literal('isolate'), node: nodeId }).strict(),
  z.object({ kind: z.literal('partition'), groups: z.array(z.array(nodeId).max(16)).min(1).max(16) }).strict(),
  z.object({ kind: z.literal('heal') }).strict(),
  z.object({ kind: z.literal('network'), drop: probability.optional(), duplicate: probability.optional(), latency: range(0, 10_000).optional() }).strict(),
  z.object({ kind: z.literal('request'), id: z.number().int().positive().max(1e9), node: z.union([nodeId, z.literal('any')]), body }).strict(),
  z.object({ kind: z.literal('snapshot'), node: nodeId }).strict(),
  z.object({ kind: z.literal('join'), node: nodeId, voter: z.boolean() }).strict(),
  z.object({ kind: z.literal('remove'), node: nodeId }).strict(),
  z.object({ kind: z.literal('drop'), id: z.number().int().min(0).max(1e12) }).strict(),
]);

/** Servers a run may have once joins are counted: the page draws at most this many. */
const MAX_SERVERS = 16;

const input = z.object({ frame: z.number().int().min(1).max(MAX_FRAMES), time: ms, action }).strict();

export const simOptionsSchema = z
  .object({
    nodes: z.number().int().min(1).max(15),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    electionTimeout: range(1, 60_000),
    latency: range(0, 10_000),
    preVote: z.boolean(),
    tuning: optionsSchema.omit({ electionTimeout: true, latency: true, preVote: true }).optional(),
  })
  .strict();

export const runSchema = z
  .object({
    format: z.literal('raftlite-run'),
    version: z.literal(1),
    options: simOptionsSchema,
    inputs: z.array(input).max(MAX_INPUTS),
    frame: z.number().int().min(0).max(MAX_FRAMES),
    time: ms,
    head: ms,
  })
  .strict()
  .superRefine((run, ctx) => {
    const ids = new Set(Array.from({ length: run.options.nodes }, (_, i) => `n${i + 1}`));
    const requestIds = new Set<number>();
    run.inputs.forEach((inp, i) => {
      const prev = run.inputs[i - 1];
      if (prev && (inp.frame <= prev.frame || inp.time < prev.time)) ctx.addIssue({ code: 'custom', path: ['inputs', i], message: 'inputs must be in the order they happened' });
      const a = inp.action;
      if (a.kind === 'join' && !ids.has(a.node)) {
        // A joining server exists from here on; later inputs may name it.
        if (ids.size >= MAX_SERVERS) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'action'], message: `a run has at most ${MAX_SERVERS} servers` });
        ids.add(a.node);
      }
      const named = a.kind === 'partition' ? a.groups.flat() : 'node' in a && a.node !== 'any' ? [a.node] : [];
      for (const n of named) if (!ids.has(n)) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'action'], message: `unknown node "${n}" (this run has ${[...ids].join(', ')})` });
      if (a.kind === 'request') {
        if (requestIds.has(a.id)) ctx.addIssue({ code: 'custom', path: ['inputs', i, 'action', 'id'], message: `request id ${a.id} is used twice` });
        requestIds.add(a.id);
      }
    });
    if (run.head < run.time) ctx.addIssue({ code: 'custom', path: ['head'], message: 'the run must reach the moment on screen' });
  });

export type RunFile = z.infer<typeof runSchema>;

export { toRunFile } from './runFile';

/** Validate untrusted text; returns the run or a sentence saying what is wrong with it. */
export function parseRun(text: string, what: string): { ok: true; run: RunRecord } | { ok: false; error: string } {
  if (text.length > MAX_TEXT) return { ok: false, error: `${what} is too large (${Math.round(text.length / 1e6)} MB; at most ${MAX_TEXT / 1e6} MB)` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${what} is not valid JSON: ${(e as Error).message}` };
  }
  const res = runSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    const more = res.error.issues.length > 1 ? ` (and ${res.error.issues.length - 1} more problems)` : '';
    return { ok: false, error: `${what} is not a raftlite run${where}: ${issue.message}${more}. Nothing was changed.` };
  }
  const r = res.data;
  return { ok: true, run: { options: r.options, inputs: r.inputs as Input[], frame: r.frame, time: r.time, head: r.head } };
}
