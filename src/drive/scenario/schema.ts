import { z } from 'zod';

/** The scenario file format (specified in docs/scenario-format.md). Unknown step kinds and fields are errors, not guesses. */
const id = z.string().min(1);
const ms = z.number().finite().nonnegative();
const probability = z.number().min(0).max(1);
const param = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const statement = z.union([z.string(), z.tuple([z.string()]).rest(param)]);
const sql = z.union([z.string(), z.array(statement).min(1)]);
const comment = { comment: z.string().optional() };

export const stepSchemas = {
  wait: z.object({ wait: ms, ...comment }).strict(),
  waitFor: z.object({ waitFor: z.enum(['leader', 'converged']), timeout: ms.optional(), ...comment }).strict(),
  execute: z
    .object({
      execute: sql,
      node: id.optional(),
      transaction: z.boolean().optional(),
      queue: z.boolean().optional(),
      timeout: ms.optional(),
      ...comment,
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
    })
    .strict(),
  kill: z.object({ kill: id, ...comment }).strict(),
  restart: z.object({ restart: id, ...comment }).strict(),
  partition: z.object({ partition: z.array(z.array(id)).min(1), ...comment }).strict(),
  isolate: z.object({ isolate: id, ...comment }).strict(),
  heal: z.object({ heal: z.literal(true), ...comment }).strict(),
  drop: z.object({ drop: probability, ...comment }).strict(),
  duplicate: z.object({ duplicate: probability, ...comment }).strict(),
  latency: z
    .object({ latency: z.tuple([ms, ms]).refine(([a, b]) => a <= b, 'latency must be [MIN, MAX] with MIN ≤ MAX'), ...comment })
    .strict(),
  join: z.object({ join: id, voter: z.boolean().optional(), timeout: ms.optional(), ...comment }).strict(),
  remove: z.object({ remove: id, timeout: ms.optional(), ...comment }).strict(),
  transfer: z.object({ transfer: id, timeout: ms.optional(), ...comment }).strict(),
  snapshot: z.object({ snapshot: id, ...comment }).strict(),
} as const;

export type StepKind = keyof typeof stepSchemas;
export type Step = { [K in StepKind]: { kind: K } & z.infer<(typeof stepSchemas)[K]> }[StepKind];

export const optionsSchema = z
  .object({
    preVote: z.boolean().optional(),
    snapshotThreshold: z.number().int().positive().optional(),
    fastBacktrack: z.boolean().optional(),
    checkQuorum: z.boolean().optional(),
    electionTimeout: z.tuple([ms, ms]).optional(),
    heartbeat: z.number().positive().optional(),
    latency: z.tuple([ms, ms]).optional(),
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
  })
  .strict();

export type ScenarioOptions = z.infer<typeof optionsSchema>;

export interface Scenario {
  nodes: number;
  seed: number;
  options: ScenarioOptions;
  steps: Step[];
}
