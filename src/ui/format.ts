import { formatMs } from '../sim/duration';

/** The clock as the page shows it: milliseconds rounded (formatMs), seconds, then minutes. */
export function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return formatMs(ms);
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(3)} s`;
  const m = Math.floor(s / 60);
  return `${m}:${(s - m * 60).toFixed(2).padStart(5, '0')}`;
}
