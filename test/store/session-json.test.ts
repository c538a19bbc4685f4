import { describe, expect, it } from 'vitest';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { defaultSimOptions, type Input } from '../../src/replay/simulation';
import type { RunRecord } from '../../src/replay/types';
import { momentJson, restoreMoment, sessionJson } from '../../src/store/sessionJson';

const request = (k: number, frame: number): Input => ({
  frame,
  time: frame * 10,
  action: { kind: 'request', id: k, node: 'n1', body: { op: 'execute', req: { statements: [{ sql: `INSERT INTO t VALUES (${k}, 'v "${k}"')` }], transaction: false, queue: false, timeout: 5000 } } },
});

function run(inputs: readonly Input[], moment = { frame: 900, time: 9000, head: 9100 }): RunRecord {
  return { options: { ...defaultSimOptions, seed: 11 }, inputs, ...moment };
}

describe('the saved session, written incrementally', () => {
  it('is the same text as the whole run serialized at once, as inputs are added', () => {
    const inputs: Input[] = [];
    expect(sessionJson(run(inputs))).toBe(JSON.stringify(toRunFile(run(inputs))));
    for (let k = 1; k <= 40; k++) {
      inputs.push(request(k, k * 3));
      expect(sessionJson(run(inputs))).toBe(JSON.stringify(toRunFile(run(inputs))));
    }
    const parsed = parseRun(sessionJson(run(inputs)), 'the session');
    expect(parsed.ok && parsed.run.inputs).toEqual(inputs);
  });

  it('starts again for another run (a fork or a new cluster makes a new array), even a shorter one', () => {
    const long = Array.from({ length: 10 }, (_, k) => request(k + 1, (k + 1) * 2));
    sessionJson(run(long));
    const fork = long.slice(0, 4);
    expect(sessionJson(run(fork))).toBe(JSON.stringify(toRunFile(run(fork))));
    const other = [request(99, 5)];
    expect(sessionJson(run(other))).toBe(JSON.stringify(toRunFile(run(other))));
  });

  it('puts a later moment into the saved run when the moment is of that run', () => {
    const inputs = [request(1, 3), request(2, 8)];
    const saved = sessionJson(run(inputs));
    const later = momentJson(run(inputs, { frame: 2000, time: 15000, head: 15100 }));
    const res = parseRun(restoreMoment(saved, later), 'the session');
    expect(res.ok && { frame: res.run.frame, time: res.run.time, head: res.run.head }).toEqual({ frame: 2000, time: 15000, head: 15100 });
  });

  it('ignores a moment of another run (another tab saved since), or one that is damaged', () => {
    const saved = sessionJson(run([request(1, 3), request(2, 8)]));
    const stale = [
      momentJson(run([request(1, 3)], { frame: 2000, time: 15000, head: 15100 })),
      momentJson({ ...run([request(1, 3), request(2, 8)]), options: { ...defaultSimOptions, seed: 12 } }),
      momentJson(run([request(1, 3), request(2, 9)])),
      '{"frame":"x"',
      JSON.stringify({ frame: null, time: 1, head: 2, seed: 11, inputs: 2, lastInputFrame: 8 }),
    ];
    for (const m of stale) expect(restoreMoment(saved, m)).toBe(saved);
  });
});
