import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answersBy } from '../../src/store/frameSearch';

describe('answersBy: the answers come by a moment, found by binary search', () => {
  it('counts the answers at or before the time, ties included', () => {
    const answers = [10, 20, 20, 35].map((time) => ({ time }));
    expect([0, 9, 10, 19, 20, 34, 35, 1e9].map((t) => answersBy(answers, t))).toEqual([0, 0, 1, 1, 3, 3, 4, 4]);
    expect(answersBy([], 5)).toBe(0);
  });

  it('agrees with counting every answer (what the console did each frame)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000)), fc.integer({ min: -5, max: 1005 }), (times, t) => {
        const answers = [...times].sort((a, b) => a - b).map((time) => ({ time }));
        expect(answersBy(answers, t)).toBe(answers.filter((a) => a.time <= t).length);
      }),
    );
  });
});
