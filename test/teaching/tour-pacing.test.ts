import { describe, expect, it } from 'vitest';
import { TOURS } from '../../src/store/tours/catalog';

/** Words a learner reads in a step: its paragraphs, a placeholder counting as one word. */
export function words(text: readonly string[]): number {
  return text.join(' ').split(/\s+/).filter(Boolean).length;
}

const counts = TOURS.flatMap((t) => t.steps.map((s) => ({ step: `${t.id}: ${s.title}`, words: words(s.text) })));
const sorted = counts.map((c) => c.words).sort((a, b) => a - b);
const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

describe('tour pacing: one idea per step', () => {
  it('the median step is at most 40 words', () => {
    if (process.env.TOUR_PACING) console.log({ steps: counts.length, median, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, max: sorted.at(-1), over60: sorted.filter((w) => w > 60).length });
    expect(median).toBeLessThanOrEqual(40);
  });

  it('no step is over 70 words', () => {
    expect(counts.filter((c) => c.words > 70)).toEqual([]);
  });
});
