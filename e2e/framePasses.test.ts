import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nineNodesWithTable } from './bench/frames';
import { startApp, type App } from './harness';

// What a playing frame makes the browser do, counted (not timed): the DevTools Protocol's layout and
// style-recalculation counts over a window of animation frames, while 9 nodes play and a class
// writes. Rows with `content-visibility: auto` in the event list and the console once cost a
// second style and layout pass in every frame with a new row (2.0 a frame, now 1.0).

let app: App;
let page: Page;
let cdp: CDPSession;

const FRAMES = 120;

async function counts(): Promise<{ layouts: number; styles: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
  return { layouts: get('LayoutCount'), styles: get('RecalcStyleCount') };
}

/**
 * `FRAMES` animation frames of 16.7 simulated ms each, a write submitted in every other one (30 a
 * simulated second: most frames show a new event row or console answer). Returns the input
 * attributes written meanwhile, and what the frames' counts grew by.
 */
async function playFrames(): Promise<{ frames: number; inputAttributes: string[] }> {
  return page.evaluate(async (frames) => {
    const store = window.raftlite;
    const tick = store.getState().tick;
    store.setState({ tick: () => tick(1000 / 60) });
    const written: string[] = [];
    const obs = new MutationObserver((records) => {
      for (const r of records) if ((r.target as Element).tagName === 'INPUT') written.push(r.attributeName ?? '?');
    });
    obs.observe(document.body, { subtree: true, attributes: true });
    store.getState().play();
    let k = 0;
    await new Promise<void>((done) => {
      const frame = () => {
        if (k % 2 === 0) store.getState().submit(`INSERT INTO t VALUES (${k}, 'frame ${k}')`);
        if (++k < frames) requestAnimationFrame(frame);
        else done();
      };
      requestAnimationFrame(frame);
    });
    store.getState().pause();
    store.setState({ tick });
    obs.disconnect();
    return { frames: k, inputAttributes: written };
  }, FRAMES);
}

describe('a playing frame', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'frame-passes', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await nineNodesWithTable(page, 'events');
  });
  afterAll(() => app?.close());

  it('is styled and laid out once, with new event rows and console answers coming in', async () => {
    await playFrames(); // warm: the lists fill, the editor loads
    const before = await counts();
    const { frames } = await playFrames();
    const after = await counts();
    const layouts = (after.layouts - before.layouts) / frames;
    const styles = (after.styles - before.styles) / frames;
    // The rows did come in (otherwise there is nothing to lay out twice).
    expect(await page.locator('[data-testid=event-list] li').count()).toBeGreaterThan(10);
    expect(await page.locator('[data-testid=result-entry]').count()).toBeGreaterThan(10);
    // One pass a frame, and some slack for a frame the pointer or a resize adds one to.
    expect(layouts).toBeGreaterThan(0.5);
    expect(layouts).toBeLessThan(1.3);
    expect(styles).toBeLessThan(1.3);
  });

  it('writes no attribute of the console’s or the event list’s inputs', async () => {
    const { inputAttributes } = await playFrames();
    expect(inputAttributes).toEqual([]);
  });

  it('redraws the event list, the console and the timeline marks at most every 100 ms while playing, and at once when paused', async () => {
    const r = await page.evaluate(async () => {
      const store = window.raftlite;
      // The animation frames in which each list changed, and how long the window was.
      let frame = 0;
      const changed = { events: new Set<number>(), console: new Set<number>(), marks: new Set<number>(), ring: new Set<number>() };
      const watch = (sel: string, into: Set<number>) => {
        const obs = new MutationObserver(() => into.add(frame));
        obs.observe(document.querySelector(sel) as Element, { subtree: true, childList: true, characterData: true, attributes: true });
        return obs;
      };
      const observers = [
        watch('[data-testid=event-list] ol', changed.events),
        watch('[data-testid=sql-results]', changed.console),
        watch('.timeline-marks', changed.marks),
        watch('[data-testid=cluster-view] svg', changed.ring),
      ];
      store.getState().play();
      const t0 = performance.now();
      let k = 0;
      await new Promise<void>((done) => {
        const next = () => {
          frame++;
          if (k++ % 2 === 0) store.getState().submit(`INSERT INTO t VALUES (${k}, 'paced ${k}')`);
          if (k < 90) requestAnimationFrame(next);
          else done();
        };
        requestAnimationFrame(next);
      });
      const ms = performance.now() - t0;
      // Paused: the lists follow the very next change (a step), with no wait.
      store.getState().pause();
      store.getState().submit(`INSERT INTO t VALUES (-1, 'paused')`);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const lastSql = [...document.querySelectorAll('[data-testid=result-entry] code')].at(-1)?.textContent;
      for (const o of observers) o.disconnect();
      return { ms, frames: frame, events: changed.events.size, console: changed.console.size, marks: changed.marks.size, ring: changed.ring.size, lastSql };
    });
    // The ring moved in most frames; each list changed in at most one frame per 100 ms (and some).
    expect(r.ring).toBeGreaterThan(r.frames / 2);
    expect(r.events).toBeGreaterThan(0);
    expect(r.console).toBeGreaterThan(0);
    expect(r.events).toBeLessThanOrEqual(Math.ceil(r.ms / 100) + 2);
    expect(r.console).toBeLessThanOrEqual(Math.ceil(r.ms / 100) + 2);
    // A client mark for each write: the marks changed, paced too.
    expect(r.marks).toBeGreaterThan(0);
    expect(r.marks).toBeLessThanOrEqual(Math.ceil(r.ms / 100) + 2);
    expect(r.lastSql).toBe(`INSERT INTO t VALUES (-1, 'paused')`);
  });
});
