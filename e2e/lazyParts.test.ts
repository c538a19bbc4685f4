import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

/**
 * Parts of the page that load their code when first wanted (the tours, chaos mode, the SQL editor,
 * the scenario runner, the checks of a saved run): when that code cannot be fetched (offline, or
 * the site updated under an open page), the page says so, carries on, and loads it when asked again;
 * a saved session it could not check is left as it was, not overwritten.
 */

let app: App;
let page: Page;

/** Requests for the build's chunk named after `module` fail until the returned function is called. */
async function failChunk(p: Page, module: string): Promise<() => Promise<void>> {
  const pattern = new RegExp(`/assets/${module}-[^/]+\\.js$`);
  await p.route(pattern, (r) => r.abort('internetdisconnected'));
  return () => p.unroute(pattern);
}

const notice = (p: Page) => p.locator('[data-testid=notice]');

describe('parts loaded when first wanted', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'lazy-parts', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('a tour whose code cannot be fetched is said, and starts when chosen again', async () => {
    const restore = await failChunk(page, 'engine');
    await page.selectOption('[data-testid=tour-picker]', 'rsm');
    await notice(page).waitFor();
    expect(await notice(page).innerText()).toContain('The guided tours could not be loaded');
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
    expect(await page.inputValue('[data-testid=tour-picker]')).toBe('');
    await notice(page).click();
    await restore();
    await page.selectOption('[data-testid=tour-picker]', 'rsm');
    await page.waitForSelector('[data-testid=tour-panel][data-tour=rsm]');
    await page.click('[data-testid=tour-exit]');
  });

  it('chaos mode whose code cannot be fetched is said, and opens when asked again', async () => {
    const restore = await failChunk(page, 'ChaosPanel');
    await page.click('[data-testid=open-chaos]');
    await notice(page).waitFor();
    expect(await notice(page).innerText()).toContain('Chaos mode could not be loaded');
    expect(await page.locator('[data-testid=chaos-panel]').count()).toBe(0);
    // The page carries on: the cluster is still drawn and the header still works.
    expect(await page.locator('[data-testid=cluster-view] svg').count()).toBe(1);
    await notice(page).click();
    await restore();
    await page.click('[data-testid=open-chaos]');
    await page.waitForSelector('[data-testid=chaos-panel]');
    await page.click('[data-testid=chaos-close]');
    await page.waitForSelector('[data-testid=chaos-panel]', { state: 'detached' });
  });

  it('a safety demo whose runner cannot be fetched is said, and runs when asked again', async () => {
    const restore = await failChunk(page, 'runScenario');
    await page.click('[data-testid=tab-safety]');
    await page.click('[data-testid=safety-demo-unsafeDoubleVote]');
    await notice(page).waitFor();
    expect(await notice(page).innerText()).toContain('The scenario runner could not be loaded');
    await notice(page).click();
    await restore();
    await page.click('[data-testid=safety-demo-unsafeDoubleVote]');
    await page.waitForSelector('[data-testid=safety-panel][data-violated=true]', { timeout: 30_000 });
  });

  it('an SQL editor that cannot be fetched leaves a button that loads it', async () => {
    const tab = await app.newPage();
    // Another origin (the same server by its other name): a first visit of its own.
    const restore = await failChunk(tab, 'SqlEditor');
    await tab.goto(app.url.replace('127.0.0.1', 'localhost'));
    await tab.waitForSelector('[data-testid=sql-editor-retry]');
    expect(await notice(tab).innerText()).toContain('The SQL editor could not be loaded');
    await restore();
    await tab.click('[data-testid=sql-editor-retry]');
    await tab.waitForSelector('[data-testid=sql-console] .cm-editor');
    await tab.close();
  });

  it('a saved session whose checks cannot be fetched is said, and kept for the next visit', async () => {
    // Something to save: a write, then wait for the save.
    const before = await page.evaluate(() => localStorage.getItem('raftlite:run'));
    await page.evaluate(() => window.raftlite.getState().submit('CREATE TABLE kept(x)'));
    await page.waitForFunction((before) => localStorage.getItem('raftlite:run') !== before, before, {
      timeout: 10_000,
    });
    const saved = await page.evaluate(() =>
      Object.entries(localStorage).filter(([k]) => k.startsWith('raftlite:run')),
    );
    const restore = await failChunk(page, 'runFormat');
    await page.reload();
    await notice(page).waitFor();
    expect(await notice(page).innerText()).toContain('The checks of a saved run could not be loaded');
    // A fresh cluster plays meanwhile; it is not saved over the session.
    await page.evaluate(() => window.raftlite.getState().play());
    await page.waitForTimeout(2500);
    expect(
      await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('raftlite:run'))),
    ).toEqual(saved);
    await restore();
    await page.reload();
    await page.waitForFunction(
      () => document.querySelector('[data-testid=notice]')?.textContent?.includes('Restored'),
      undefined,
      { timeout: 30_000 },
    );
  });
});
