import { toRunFile } from '../replay/runFile';
import type { RunRecord } from '../replay/types';

/**
 * The saved session, written incrementally. A run's inputs only grow (a fork or a new cluster makes
 * a new array), so each input is turned into JSON once and the text of those before it is kept:
 * a long class session (20,000 requests) used to be serialized whole every second while playing.
 * What moves every frame (the moment on screen) is saved on its own, with a fingerprint of the run
 * it belongs to.
 */

let cache: { inputs: readonly unknown[]; count: number; text: string } | null = null;

function inputsJson(inputs: readonly unknown[]): string {
  if (!cache || cache.inputs !== inputs || cache.count > inputs.length)
    cache = { inputs, count: 0, text: '' };
  let text = cache.text;
  for (let i = cache.count; i < inputs.length; i++) text += (i > 0 ? ',' : '') + JSON.stringify(inputs[i]);
  cache.text = text;
  cache.count = inputs.length;
  return text;
}

/** The run in the one run format (the same text `JSON.stringify(toRunFile(run))` gives). */
export function sessionJson(run: RunRecord): string {
  const file = toRunFile(run);
  const head = JSON.stringify({ ...file, inputs: [] });
  // `"inputs":[]` is spliced open rather than rebuilt: the key order stays the format's.
  const at = head.indexOf('"inputs":[]') + '"inputs":['.length;
  return head.slice(0, at) + inputsJson(file.inputs) + head.slice(at);
}

interface Moment {
  frame: number;
  time: number;
  head: number;
  /** Which run this moment is of: a tab that saved another run in between makes it stale. */
  seed: number;
  inputs: number;
  lastInputFrame: number;
}

function fingerprint(run: { options: { seed: number }; inputs: readonly { frame: number }[] }) {
  return { seed: run.options.seed, inputs: run.inputs.length, lastInputFrame: run.inputs.at(-1)?.frame ?? 0 };
}

export function momentJson(run: RunRecord): string {
  const m: Moment = { frame: run.frame, time: run.time, head: run.head, ...fingerprint(run) };
  return JSON.stringify(m);
}

/**
 * The saved run's text with the later moment put in, when the moment is of that run; otherwise the
 * run as saved. The result is validated like any run (parseRun) before anything is replayed.
 */
export function restoreMoment(runText: string, momentText: string): string {
  try {
    const run = JSON.parse(runText) as { options?: { seed?: unknown }; inputs?: unknown };
    const m = JSON.parse(momentText) as Partial<Moment>;
    if (!run || !Array.isArray(run.inputs) || typeof run.options?.seed !== 'number') return runText;
    const inputs = run.inputs as { frame: number }[];
    const fp = fingerprint({ options: { seed: run.options.seed }, inputs });
    if (m.seed !== fp.seed || m.inputs !== fp.inputs || m.lastInputFrame !== fp.lastInputFrame)
      return runText;
    if (![m.frame, m.time, m.head].every((v) => typeof v === 'number' && Number.isFinite(v))) return runText;
    return JSON.stringify({ ...run, frame: m.frame, time: m.time, head: m.head });
  } catch {
    return runText;
  }
}
