import type { z } from 'zod';
import { MAX_STEPS, repeatSchema, scenarioHeadSchema, stepSchemas, type Scenario, type Step, type StepKind } from './schema';

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

/** Parse a scenario file's bytes: invalid UTF-8 is an error, not silently replaced. */
export function parseScenarioBytes(bytes: Uint8Array): Scenario {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ScenarioError(`not valid UTF-8 (first bad byte at offset ${at}): save the file as UTF-8`);
  }
  return parseScenario(text);
}

/** Offset of the first byte that does not start or continue a UTF-8 sequence (approximately, for the message). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return bytes.length;
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
  const steps: Step[] = [];
  expand(head.data.steps, '', {}, steps, known);
  const scenario: Scenario = { nodes, seed: head.data.seed ?? 1, options: head.data.options ?? {}, steps };
  if (head.data.expect) scenario.expect = head.data.expect;
  return scenario;
}

/**
 * Validate steps in order into `out`, expanding `repeat` blocks. `where` prefixes step numbers in
 * messages ("step 3.steps[1]"); `vars` are the repeat counters in scope, substituted for `{i}`.
 */
function expand(raw: readonly Record<string, unknown>[], where: string, vars: Record<string, number>, out: Step[], known: Set<string>): void {
  raw.forEach((obj0, k) => {
    const label = where === '' ? `step ${k}` : `${where}.steps[${k}]`;
    const obj = substitute(obj0, vars) as Record<string, unknown>;
    if ('repeat' in obj) {
      const rep = repeatSchema.safeParse(obj);
      if (!rep.success) throw new ScenarioError(`${label} (repeat): ${describe(rep.error.issues)}`);
      const name = rep.data.as ?? 'i';
      if (name in vars) throw new ScenarioError(`${label} (repeat): the counter "${name}" is already used by an outer repeat; name this one with "as"`);
      if (out.length + rep.data.repeat * rep.data.steps.length > MAX_STEPS) {
        throw new ScenarioError(`${label} (repeat): the file would expand to more than ${MAX_STEPS} steps`);
      }
      for (let n = 0; n < rep.data.repeat; n++) expand(rep.data.steps, label, { ...vars, [name]: n }, out, known);
      return;
    }
    const found = kinds.filter((kind) => kind in obj && kind !== 'expect');
    // `expect` beside another kind checks that step's outcome; alone, it is a step of its own.
    if (found.length === 0 && 'expect' in obj) found.push('expect');
    if (found.length === 0) {
      throw new ScenarioError(`${label}: unknown step (keys: ${Object.keys(obj).join(', ') || 'none'}); expected one of ${kinds.join(', ')}, repeat`);
    }
    // `snapshot` and `join` etc. are unique keys; `heal` may not be combined with other kinds.
    if (found.length > 1) throw new ScenarioError(`${label}: one step may do only one thing, found ${found.join(' and ')}`);
    const kind = found[0];
    const parsed = stepSchemas[kind].safeParse(obj);
    if (!parsed.success) throw new ScenarioError(`${label} (${kind}): ${describe(parsed.error.issues)}`);
    const step = { kind, ...parsed.data } as Step;
    checkIds(step, label, known);
    out.push(step);
  });
}

/** Every string in `v` with `{name}` replaced by the counter's value; a string that is only `{name}` becomes the number. */
function substitute(v: unknown, vars: Record<string, number>): unknown {
  const names = Object.keys(vars);
  if (names.length === 0) return v;
  if (typeof v === 'string') {
    for (const name of names) if (v === `{${name}}`) return vars[name];
    return names.reduce((t, name) => t.split(`{${name}}`).join(String(vars[name])), v);
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    // A nested repeat's own steps are substituted when that repeat expands (its counter is not known yet).
    for (const [key, x] of Object.entries(v)) o[key] = key === 'steps' && 'repeat' in v ? x : substitute(x, vars);
    return o;
  }
  return v;
}

function checkIds(step: Step, label: string, known: Set<string>): void {
  const check = (ref: string, allowAny: boolean) => {
    if (ref === 'leader' || (allowAny && ref === 'any') || known.has(ref)) return;
    throw new ScenarioError(`${label} (${step.kind}): unknown node id "${ref}" (known: ${[...known].join(', ')}, leader${allowAny ? ', any' : ''})`);
  };
  if (step.kind === 'execute' || step.kind === 'query') {
    if (step.node !== undefined) check(step.node, true);
  } else if (step.kind === 'partition') {
    step.partition.forEach((g) => g.forEach((ref) => check(ref, false)));
  } else if (step.kind === 'join') {
    if (!/^[A-Za-z0-9_-]+$/.test(step.join) || step.join === 'leader' || step.join === 'any') {
      throw new ScenarioError(`${label} (join): "${step.join}" is not a valid new node id`);
    }
    known.add(step.join);
  } else if ((NODE_FIELDS as string[]).includes(step.kind)) {
    check((step as Record<string, unknown>)[step.kind] as string, false);
  }
}
