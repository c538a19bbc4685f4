/**
 * A duration as a learner reads it. Simulated times are sums of fractional latencies, so a raw
 * difference prints as "1032.7000000000007 ms": every duration shown goes through here instead.
 * Tenths of a millisecond below 10 ms (a message's flight), whole milliseconds above.
 */
export function roundMs(ms: number): number {
  const r = Math.abs(ms) < 10 ? Math.round(ms * 10) / 10 : Math.round(ms);
  return r === 0 ? 0 : r; // no "-0 ms"
}

export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? `${roundMs(ms)} ms` : '—';
}
