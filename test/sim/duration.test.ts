import { describe, expect, it } from 'vitest';
import { problemText } from '../../src/cluster/errors';
import { describeEvent } from '../../src/replay/describe';
import { formatMs, roundMs } from '../../src/sim/duration';
import { fmtTime } from '../../src/ui/format';

describe('durations are rounded wherever they are shown', () => {
  it('rounds to whole milliseconds from 10 ms, to tenths below', () => {
    expect(formatMs(1032.7000000000007)).toBe('1033 ms');
    expect(formatMs(12.5)).toBe('13 ms');
    expect(formatMs(7.349999999)).toBe('7.3 ms');
    expect(formatMs(150)).toBe('150 ms');
    expect(formatMs(-0.01)).toBe('0 ms');
    expect(formatMs(Infinity)).toBe('—');
    expect(roundMs(0.30000000000000004)).toBe(0.3);
  });

  it('an answer, an event and the clock print no float noise', () => {
    const text = problemText({ code: 'stale', node: 'n3', age: 1032.7000000000007, freshness: 1000 });
    expect(text).toBe('stale read: n3 last heard from a leader 1033 ms ago, more than the freshness of 1000 ms');
    expect(describeEvent({ seq: 1, time: 0, kind: 'network', drop: 0, duplicate: 0, latency: [4.000000000000001, 12.300000000000002] })).toContain('latency 4–12 ms');
    expect(fmtTime(532.4000000000001)).toBe('532 ms');
    expect(fmtTime(1032.7000000000007)).toBe('1.033 s');
  });
});
