import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

/**
 * The first seconds: a first visit (no saved session, nothing in the address) opens paused at 0 ms
 * with an invitation to press Play or take tour 1, so the first election is not over before the
 * page can be read; a returning visit gets its saved run back where it was; reduced motion is
 * paused too.
 */

let app: App;
let page: Page;

const clock = () => page.innerText('[data-testid=clock]');
const playing = async () => (await page.innerText('[data-testid=play]')).includes('Pause');

describe('a first visit', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'first-visit', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('opens paused at 0 ms with an invitation to press Play or take tour 1', async () => {
    expect(await playing()).toBe(false);
    expect(await clock()).toBe('t = 0 ms');
    const hint = page.locator('[data-testid=welcome-hint]');
    expect(await hint.getAttribute('data-at-start')).toBe('true');
    expect(await hint.innerText()).toContain('paused at 0 ms');
    expect(await page.locator('[data-testid=welcome-play]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=welcome-start]').isVisible()).toBe(true);
    expect(await page.innerText('[data-testid=status-line]')).toContain('paused at the start');
    // Nothing moves by itself.
    await page.waitForTimeout(1500);
    expect(await clock()).toBe('t = 0 ms');
    expect(await page.getAttribute('[data-testid=status-line]', 'data-frame')).toBe('0');
    await app.shot('first-visit-paused');
  });

  it('plays from the invitation, and the invitation says what is happening instead', async () => {
    await page.click('[data-testid=welcome-play]');
    await page.waitForFunction(() => !!document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader'), null, { timeout: 30_000 });
    expect(await playing()).toBe(true);
    expect(await page.getAttribute('[data-testid=welcome-hint]', 'data-at-start')).toBe('false');
    expect(await page.locator('[data-testid=welcome-play]').count()).toBe(0);
  });

  it('a returning visit gets its saved run back, paused where it was', async () => {
    await page.click('[data-testid=play]');
    const at = await clock();
    expect(at).not.toBe('t = 0 ms');
    // The session is saved at most a second after the last change.
    await page.waitForFunction(() => !!localStorage.getItem('raftlite:run'));
    await page.waitForTimeout(1200);
    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    await page.waitForFunction((t) => document.querySelector('[data-testid=clock]')?.textContent === t, at, { timeout: 10_000 });
    expect(await playing()).toBe(false);
    expect(await page.getAttribute('[data-testid=welcome-hint]', 'data-at-start')).toBe('false');
  });

  it('with reduced motion a first visit is paused too, and nothing pulses', async () => {
    const p = await app.newPage();
    try {
      await p.emulateMedia({ reducedMotion: 'reduce' });
      // A first visit: nothing saved (a reload would save this tab's run as it leaves).
      await p.addInitScript(() => localStorage.clear());
      await p.goto(app.url);
      await p.waitForSelector('[data-testid=cluster-view] svg');
      expect(await p.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
      await p.waitForTimeout(1000);
      expect(await p.innerText('[data-testid=clock]')).toBe('t = 0 ms');
      expect(await p.innerText('[data-testid=play]')).toContain('Play');
      expect(await p.getAttribute('[data-testid=welcome-hint]', 'data-at-start')).toBe('true');
      // And nothing pulses: a tour's rings are drawn still (without reduced motion they pulse).
      const running = async (q: Page) => {
        // A tab in the background runs no animations at all.
        await q.bringToFront();
        await q.click('[data-testid=welcome-start]');
        // Tour 1's first step rings the servers.
        await q.waitForSelector('[data-testid=tour-highlight] .hl-ring');
        return q.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length);
      };
      expect(await running(p)).toBe(0);
      expect(await running(page)).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
    expect(app.pageErrors).toEqual([]);
  });
});
