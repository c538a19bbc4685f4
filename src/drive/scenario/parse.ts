import type { z } from 'zod';
import { scenarioHeadSchema, stepSchemas, type Scenario, type Step, type StepKind } from './schema';

export class ScenarioError extends Error {}

const kinds = Object.keys(stepSchemas) as StepKind[];
const NODE_FIELDS: StepKind[] = ['kill', 'restart', 'isolate', 'remove', 'transfer', 'snapshot'];

function describe(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      const where = i.path.length > 0 ? `"${i.path.join('.')}"` : 'the value';
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

/** Parse and validate a scenario; throws ScenarioError with a message naming the bad step. */
export function parseScenario(text: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`not valid JSON: ${(e as Error).message}`);
  }
  const head = scenarioHeadSchema.safeParse(raw);
  if (!head.success) throw new ScenarioError(`invalid scenario: ${describe(head.error.issues)}`);
  const nodes = head.data.nodes ?? 3;
  const known = new Set(Array.from({ length: nodes }, (_, i) => `n${i + 1}`));
  const steps: Step[] = head.data.steps.map((obj, i) => {
    const found = kinds.filter((k) => k in obj);
    if (found.length === 0) {
      throw new ScenarioError(`step ${i}: unknown step (keys: ${Object.keys(obj).join(', ') || 'none'}); expected one of ${kinds.join(', ')}`);
    }
    // `snapshot` and `join` etc. are unique keys; `heal` may not be combined with other kinds.
    if (found.length > 1) throw new ScenarioError(`step ${i}: one step may do only one thing, found ${found.join(' and ')}`);
    const kind = found[0];
    const parsed = stepSchemas[kind].safeParse(obj);
    if (!parsed.success) throw new ScenarioError(`step ${i} (${kind}): ${describe(parsed.error.issues)}`);
    const step = { kind, ...parsed.data } as Step;
    checkIds(step, i, known);
    return step;
  });
  return { nodes, seed: head.data.seed ?? 1, options: head.data.options ?? {}, steps };
}

function checkIds(step: Step, i: number, known: Set<string>): void {
  const check = (ref: string, allowAny: boolean) => {
    if (ref === 'leader' || (allowAny && ref === 'any') || known.has(ref)) return;
    throw new ScenarioError(`step ${i} (${step.kind}): unknown node id "${ref}" (known: ${[...known].join(', ')}, leader${allowAny ? ', any' : ''})`);
  };
  if (step.kind === 'execute' || step.kind === 'query') {
    if (step.node !== undefined) check(step.node, true);
  } else if (step.kind === 'partition') {
    step.partition.forEach((g) => g.forEach((ref) => check(ref, false)));
  } else if (step.kind === 'join') {
    if (!/^[A-Za-z0-9_-]+$/.test(step.join) || step.join === 'leader' || step.join === 'any') {
      throw new ScenarioError(`step ${i} (join): "${step.join}" is not a valid new node id`);
    }
    known.add(step.join);
  } else if ((NODE_FIELDS as string[]).includes(step.kind)) {
    check((step as Record<string, unknown>)[step.kind] as string, false);
  }
}
