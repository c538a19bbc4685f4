import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

let app: App;
let page: Page;

describe('chaos mode in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'chaos', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });

  afterAll(() => app?.close());

  it('runs chaos, shows every level verdict, and points at a stale read', async () => {
    await page.click('[data-testid=open-chaos]');
    await page.waitForSelector('[data-testid=chaos-panel]');
    await page.selectOption('[data-testid=chaos-nodes]', '5');
    // Two runs in three or so catch a stale `none` read (seed 1 does today; the CLI finds the same).
    // Every run must keep Raft's promises; the first with a stale read is the one to look at.
    let stale = false;
    for (let seed = 1; seed <= 8 && !stale; seed++) {
      await page.fill('[data-testid=chaos-seed]', String(seed));
      await page.click('[data-testid=chaos-run]');
      await page.waitForSelector(`[data-testid=chaos-summary][data-seed="${seed}"]`, { timeout: 60_000 });
      expect(await page.getAttribute('[data-testid=chaos-summary]', 'data-ok'), `seed ${seed}`).toBe('true');
      expect(await page.innerText('[data-testid=chaos-summary]')).toContain('no safety violations');
      for (const level of ['strong', 'linearizable']) {
        expect(await page.getAttribute(`[data-testid=chaos-verdict-${level}]`, 'data-result'), `seed ${seed} ${level}`).toBe('ok');
      }
      stale = (await page.getAttribute('[data-testid=chaos-verdict-none]', 'data-result')) === 'illegal' && (await page.innerText('[data-testid=chaos-explanation]')).startsWith('Stale read');
    }
    expect(stale).toBe(true);
    // The panel opens on the failing level and marks the operations involved.
    expect(await page.innerText('[data-testid=chaos-explanation]')).toMatch(/Stale read: client \d read \w+ = \d+/);
    expect(await page.locator('[data-testid=chaos-timeline] [data-marked=true]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid=chaos-timeline] [data-op]').count()).toBe(80);
    await app.shot('chaos');

    // Picking a level that passed says so in words.
    await page.click('[data-testid=chaos-verdict-linearizable]');
    expect(await page.innerText('[data-testid=chaos-explanation]')).toMatch(/consistent with one order/);
    expect(app.pageErrors).toEqual([]);
  });

  it('ran in the cluster view: watching it plays the recorded faults and requests', async () => {
    const seed = await page.getAttribute('[data-testid=chaos-summary]', 'data-seed');
    await page.click('[data-testid=chaos-watch]');
    await page.waitForSelector('[data-testid=chaos-panel]', { state: 'detached' });
    // The view now holds the chaos cluster, with the client requests in the console.
    expect(await page.innerText('.toolbar .meta')).toContain(`seed ${seed}`);
    await page.selectOption('[data-testid=speed]', '2');
    const seq = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'));
    const before = await seq();
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid=status-line]')?.getAttribute('data-seq')) > b + 50, before, { timeout: 30_000 });
    // The console lists the chaos clients' requests sent so far, answered as they were recorded:
    // watching did not fork the run and throw its future away.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-entry]').length >= 10, undefined, { timeout: 30_000 });
    expect(await page.innerText('.right')).not.toContain('belonged to a future that was discarded');
    // The schedule's first crash is in the recorded run: its mark is on the timeline, and going
    // there shows the server down. (Waiting for it while playing raced the clock: the crash and the
    // end of the recorded run can be a few simulated ms apart, one animation frame at 2×.)
    await page.evaluate(() => window.raftlite.getState().pause());
    const crash = page.locator('[data-testid=timeline] .marker-crash').first();
    await crash.waitFor({ state: 'attached' });
    const crashSeq = Number(await crash.getAttribute('data-seq'));
    await page.evaluate((seq) => window.raftlite.getState().seekEvent(seq), crashSeq);
    await page.waitForSelector('[data-testid^=node-n][data-role=down]', { timeout: 10_000 });
    expect(await page.innerText('.right')).not.toContain('belonged to a future that was discarded');
    await app.shot('chaos-view');
    // Reopening the panel shows the same result.
    await page.click('[data-testid=open-chaos]');
    expect(await page.getAttribute('[data-testid=chaos-summary]', 'data-seed')).toBe(seed);
    await page.click('[data-testid=chaos-close]');
    expect(app.pageErrors).toEqual([]);
  });
});
