/**
 * How long a run a file, a share link or a saved session may hold (runFormat.ts checks them), and
 * whether a run in the page still fits (the autosave asks, session.ts). The bounds keep a hostile
 * file from replaying for ever or filling memory; the time bound is the one that counts (a replay
 * costs memory and CPU per simulated minute), and the others are set so that a real session meets
 * the time bound first.
 */

/** One simulated hour: what a replay may rebuild (some 4–10 MB of the page's memory a minute). */
export const MAX_TIME = 3_600_000;

/**
 * Frames are steps of the simulation: about 6,800 a simulated minute for 3 idle nodes, 81,000 for
 * 9 nodes taking 50 writes a second, 135,000 for 15 nodes (the most) at that rate, so 8.1 million
 * in MAX_TIME. At 1,000,000 (the bound until 2026-12-03) a 9-node class writing 50 times a second
 * could no longer be restored after 12 simulated minutes. A replay also stops when a run's frames
 * are not reached by their times (RunLoad), so this bound alone costs nothing.
 */
export const MAX_FRAMES = 20_000_000;

/**
 * A class writing 50 times a second for MAX_TIME makes 180,000 requests. (20,000 until 2026-12-03:
 * under 7 simulated minutes of that class.)
 */
export const MAX_INPUTS = 200_000;

/** The text of a run: a request is about 175 characters of JSON, so MAX_INPUTS of them fit. */
export const MAX_TEXT = 40_000_000;

/** A bound a run in the page has gone past: a saved session of it could not be read back. */
export interface RunBound {
  readonly bound: 'time' | 'frames' | 'inputs';
  readonly limit: number;
}

/** The first bound `run` is past, or null while a file of it would be read back. */
export function pastBound(run: { readonly head: number; readonly frame: number; readonly inputs: readonly { readonly frame: number }[] }): RunBound | null {
  if (run.head > MAX_TIME) return { bound: 'time', limit: MAX_TIME };
  const lastFrame = Math.max(run.frame, run.inputs.at(-1)?.frame ?? 0);
  if (lastFrame > MAX_FRAMES) return { bound: 'frames', limit: MAX_FRAMES };
  if (run.inputs.length > MAX_INPUTS) return { bound: 'inputs', limit: MAX_INPUTS };
  return null;
}
