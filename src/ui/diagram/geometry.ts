/** Where things go in the diagram: lanes are columns, simulated time runs down. */

/** Height of the lane labels' band at the top. */
export const HEADER = 30;
/** Width of the time axis at the left. */
export const GUTTER = 58;
const RIGHT_PAD = 6;

/** The visible part of the history: `t0` at the top (below the header), `msPerPx` down the page. */
export interface Viewport {
  readonly t0: number;
  readonly msPerPx: number;
  readonly width: number;
  readonly height: number;
}

/** From a whole 10-minute history on a short screen to a 20 ms burst on a tall one. */
export const MIN_MS_PER_PX = 0.005;
export const MAX_MS_PER_PX = 5000;

export function yOf(v: Viewport, t: number): number {
  return HEADER + (t - v.t0) / v.msPerPx;
}

export function timeAt(v: Viewport, y: number): number {
  return v.t0 + (y - HEADER) * v.msPerPx;
}

/** The last simulated time visible at the bottom edge. */
export function tEnd(v: Viewport): number {
  return timeAt(v, v.height);
}

export function columnWidth(v: Viewport, lanes: number): number {
  return Math.max(1, (v.width - GUTTER - RIGHT_PAD) / Math.max(1, lanes));
}

export function laneX(v: Viewport, col: number, lanes: number): number {
  return GUTTER + columnWidth(v, lanes) * (col + 0.5);
}

/** Zoom by `factor` (>1 zooms out) keeping time under `y` where it is. */
export function zoomAround(v: Viewport, factor: number, y: number): Viewport {
  const msPerPx = Math.min(MAX_MS_PER_PX, Math.max(MIN_MS_PER_PX, v.msPerPx * factor));
  const at = timeAt(v, y);
  return { ...v, msPerPx, t0: at - (y - HEADER) * msPerPx };
}

/** A viewport showing [from, to] whole. */
export function fitTimes(v: Viewport, from: number, to: number): Viewport {
  const span = Math.max(20, to - from);
  const rows = Math.max(40, v.height - HEADER - 12);
  const msPerPx = Math.min(MAX_MS_PER_PX, Math.max(MIN_MS_PER_PX, span / rows));
  return { ...v, msPerPx, t0: from - 4 * msPerPx };
}

/** A tick every 1, 2 or 5 × 10^k ms, at least `minPx` apart. */
export function tickStep(msPerPx: number, minPx = 64): number {
  const raw = msPerPx * minPx;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (p * m >= raw) return p * m;
  return p * 10;
}

/** A tick's label: as short as its step allows ("250 ms", "1.5 s", "2:05"). */
export function tickLabel(t: number, step: number): string {
  if (t < 1000 && step < 1000) return `${+t.toFixed(3)} ms`;
  const s = t / 1000;
  if (t < 60_000) return `${+s.toFixed(step < 1 ? 4 : step < 10 ? 3 : step < 100 ? 2 : step < 1000 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  const digits = step < 10 ? 3 : step < 100 ? 2 : step < 1000 ? 1 : 0;
  return `${m}:${rest.toFixed(digits).padStart(digits > 0 ? 3 + digits : 2, '0')}`;
}
