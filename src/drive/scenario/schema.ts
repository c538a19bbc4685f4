import { z } from 'zod';

/** The scenario file format (specified in docs/scenario-format.md). Unknown step kinds and fields are errors, not guesses. */
const id = z.string().min(1);
/** Longest duration a file may ask for: one simulated hour, which a run reaches in seconds to minutes. */
export const MAX_DURATION_MS = 3_600_000;
/** Longest election timeout, heartbeat or one-way latency: one simulated minute. */
export const MAX_TIMER_MS = 60_000;
const ms = z.number().finite().nonnegative().max(MAX_DURATION_MS, `at most ${MAX_DURATION_MS} ms (one simulated hour)`);
/** A timer that must advance the clock: at least 1 ms, or the simulation would livelock at one instant. */
const timer = z.number().finite().min(1, 'at least 1 ms (a shorter timer would fire for ever at one simulated instant)').max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms`);
const latencyMs = z.number().finite().nonnegative().max(MAX_TIMER_MS, `at most ${MAX_TIMER_MS} ms`);
const range = (bound: z.ZodNumber, what: string) => z.tuple([bound, bound]).refine(([a, b]) => a <= b, `${what} must be [MIN, MAX] with MIN ≤ MAX`);
const probability = z.number().min(0).max(1);
const param = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const statement = z.union([z.string(), z.tuple([z.string()]).rest(param)]);
const sql = z.union([z.string(), z.array(statement).min(1)]);
const comment = { comment: z.string().optional() };

/** A number expected exactly, or within bounds. */
const count = z.union([z.number(), z.object({ min: z.number().optional(), max: z.number().optional() }).strict()]);
const cellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** What a step's own output must show; every field optional, each one checked when present. */
export const outcomeExpectSchema = z
  .object({
    ok: z.boolean().optional(),
    node: z.string().nullable().optional(),
    /** The node that forwarded the request to the one that answered; null: answered where it was sent. */
    via: z.string().nullable().optional(),
    /** The failure's code (see "Errors"), or null for a step that must not fail. */
    code: z.string().nullable().optional(),
    /** A part of the failure's sentence. */
    error: z.string().optional(),
    /** The rows of the first result (a query), exactly. */
    rows: z.array(z.array(cellValue)).optional(),
    /** rows_affected of the first result (an execute). */
    rowsAffected: z.number().optional(),
    /** Some statement of the result failed with an error containing this text; null: no statement failed. */
    statementError: z.string().nullable().optional(),
  })
  .strict();

const nodeExpectSchema = z
  .object({
    alive: z.boolean().optional(),
    role: z.enum(['follower', 'candidate', 'leader']).optional(),
    term: count.optional(),
    commitIndex: count.optional(),
    lastApplied: count.optional(),
    snapshotIndex: count.optional(),
    firstIndex: count.optional(),
    lastIndex: count.optional(),
    member: z.boolean().optional(),
    voter: z.boolean().optional(),
  })
  .strict();

/** What the cluster must look like at a moment (an `expect` step) or at the end (top-level `expect`). */
export const stateExpectSchema = z
  .object({
    /** The current leader's id, or null for none. */
    leader: z.string().nullable().optional(),
    /** One leader known to a majority, and every member applied its commit index. */
    converged: z.boolean().optional(),
    /** Every live member holds the same database (equal dbHash). */
    sameDatabase: z.boolean().optional(),
    nodes: z.record(z.string(), nodeExpectSchema).optional(),
  })
  .strict();

/** The top-level `expect`: the final state, plus what only the whole run knows. */
export const finalExpectSchema = stateExpectSchema
  .extend({
    /** Safety violations reported by the monitor over the run. */
    violations: count.optional(),
    /** Every step succeeded (true), or at least one failed (false). */
    allStepsOk: z.boolean().optional(),
    stats: z
      .object({
        dropped: count.optional(),
        rejectedAppends: count.optional(),
        elections: count.optional(),
        snapshotsRestored: count.optional(),
        delivered: z.record(z.string(), count).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Count = z.infer<typeof count>;
export type OutcomeExpect = z.infer<typeof outcomeExpectSchema>;
export type StateExpect = z.infer<typeof stateExpectSchema>;
export type FinalExpect = z.infer<typeof finalExpectSchema>;

const expects = { expect: outcomeExpectSchema.optional() };

export const stepSchemas = {
  wait: z.object({ wait: ms, ...comment, ...expects }).strict(),
  waitFor: z.object({ waitFor: z.enum(['leader', 'converged']), timeout: ms.optional(), ...comment, ...expects }).strict(),
  execute: z
    .object({
      execute: sql,
      node: id.optional(),
      transaction: z.boolean().optional(),
      queue: z.boolean().optional(),
      timeout: ms.optional(),
      ...comment,
      ...expects,
    })
    .strict(),
  query: z
    .object({
      query: sql,
      node: id.optional(),
      level: z.enum(['none', 'weak', 'strong', 'linearizable']).optional(),
      freshness: ms.optional(),
      timeout: ms.optional(),
      ...comment,
      ...expects,
    })
    .strict(),
  kill: z.object({ kill: id, ...comment, ...expects }).strict(),
  restart: z.object({ restart: id, ...comment, ...expects }).strict(),
  partition: z.object({ partition: z.array(z.array(id)).min(1), ...comment, ...expects }).strict(),
  isolate: z.object({ isolate: id, ...comment, ...expects }).strict(),
  heal: z.object({ heal: z.literal(true), ...comment, ...expects }).strict(),
  drop: z.object({ drop: probability, ...comment, ...expects }).strict(),
  duplicate: z.object({ duplicate: probability, ...comment, ...expects }).strict(),
  latency: z
    .object({ latency: range(latencyMs, 'latency'), ...comment, ...expects })
    .strict(),
  join: z.object({ join: id, voter: z.boolean().optional(), timeout: ms.optional(), ...comment, ...expects }).strict(),
  remove: z.object({ remove: id, timeout: ms.optional(), ...comment, ...expects }).strict(),
  transfer: z.object({ transfer: id, timeout: ms.optional(), ...comment, ...expects }).strict(),
  snapshot: z.object({ snapshot: id, ...comment, ...expects }).strict(),
  /** Check the cluster's state now; does nothing else. */
  expect: z.object({ expect: stateExpectSchema, ...comment }).strict(),
} as const;

export type StepKind = keyof typeof stepSchemas;
export type Step = { [K in StepKind]: { kind: K } & z.infer<(typeof stepSchemas)[K]> }[StepKind];

export const optionsSchema = z
  .object({
    preVote: z.boolean().optional(),
    snapshotThreshold: z.number().int().positive().optional(),
    snapshotLogRatio: z.number().min(0).max(1000).optional(),
    fastBacktrack: z.boolean().optional(),
    checkQuorum: z.boolean().optional(),
    electionTimeout: range(timer, 'electionTimeout').optional(),
    heartbeat: timer.optional(),
    latency: range(latencyMs, 'latency').optional(),
    drop: probability.optional(),
    duplicate: probability.optional(),
    maxEntriesPerAppend: z.number().int().positive().optional(),
    unsafeCommitOldTerms: z.boolean().optional(),
    unsafeDoubleVote: z.boolean().optional(),
  })
  .strict();

export const scenarioHeadSchema = z
  .object({
    nodes: z.number().int().min(1).max(15).optional(),
    seed: z.number().int().optional(),
    options: optionsSchema.optional(),
    steps: z.array(z.record(z.string(), z.unknown())),
    name: z.string().optional(),
    description: z.string().optional(),
    /** Checked against the output at the end of the run. */
    expect: finalExpectSchema.optional(),
  })
  .strict();

export type ScenarioOptions = z.infer<typeof optionsSchema>;

export interface Scenario {
  nodes: number;
  seed: number;
  options: ScenarioOptions;
  /** The steps to run, with every `repeat` already expanded. */
  steps: Step[];
  expect?: FinalExpect;
}

/** `{"repeat": N, "steps": [...]}`: the steps N times over, `{i}` (or the name given by `as`) replaced by 0…N-1. */
export const repeatSchema = z
  .object({
    repeat: z.number().int().min(0).max(100_000),
    as: z.string().regex(/^[a-z]$/).optional(),
    steps: z.array(z.record(z.string(), z.unknown())).min(1),
    ...comment,
  })
  .strict();

/** Expanded steps in one file at most: a repeat must not turn a small file into a runaway run. */
export const MAX_STEPS = 100_000;
