// The DevTools Protocol's main-thread counters, read before and after a window of frames.
import type { CDPSession } from 'playwright-core';

export type Metric =
  'TaskDuration' | 'ThreadTime' | 'ScriptDuration' | 'LayoutDuration' | 'RecalcStyleDuration';

/** The DevTools Protocol's main-thread counters, in ms. */
export async function metrics(cdp: CDPSession): Promise<Record<Metric, number>> {
  const { metrics: all } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const get = (n: string) => (all.find((m) => m.name === n)?.value ?? 0) * 1000;
  return {
    TaskDuration: get('TaskDuration'),
    ThreadTime: get('ThreadTime'),
    ScriptDuration: get('ScriptDuration'),
    LayoutDuration: get('LayoutDuration'),
    RecalcStyleDuration: get('RecalcStyleDuration'),
  };
}
