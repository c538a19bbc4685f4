import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';
import { tourSteps } from './tourSteps';

/**
 * The page from the keyboard alone: dialogs close on Escape and give the focus back, the page's
 * keys leave focused controls alone, and a walk from load (elect, kill the leader, a new leader,
 * restart, an INSERT, tour 1 to its end) with nothing but key presses.
 */

let app: App;
let page: Page;
const { waitForPaused } = tourSteps(() => page);

const leaderOf = () => page.getAttribute('[data-testid=status-line]', 'data-leader');
async function waitForLeader(not = ''): Promise<string> {
  await page.waitForFunction((n) => {
    const l = document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader');
    return !!l && l !== n;
  }, not, { timeout: 30_000 });
  return (await leaderOf())!;
}
const playing = async () => (await page.innerText('[data-testid=play]')).includes('Pause');

/** Press Tab until the focus is on `selector` (at most `max` presses). */
async function tabTo(selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focused(): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.className ?? null);
}

describe('keyboard only', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'keyboard', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('Escape closes every dialog and the focus returns to the button that opened it', async () => {
    const dialogs: [string, string][] = [
      ['new-cluster', 'new-cluster-dialog'],
      ['open-chaos', 'chaos-panel'],
      ['open-scenario-editor', 'scenario-editor'],
      ['share', 'session-popover'],
      ['help', 'help-overlay'],
    ];
    for (const [opener, dialog] of dialogs) {
      await page.focus(`[data-testid=${opener}]`);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`[data-testid=${dialog}]`);
      // The focus moved inside, and Tab keeps it there.
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate((d) => !!document.activeElement?.closest(`[data-testid=${d}]`), dialog), `${dialog} after ${i + 1} Tabs`).toBe(true);
      }
      await page.keyboard.press('Escape');
      await page.waitForSelector(`[data-testid=${dialog}]`, { state: 'detached' });
      expect(await focused()).toBe(opener);
    }
    // `?` opens the list of keys too.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-overlay]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=help-overlay]', { state: 'detached' });
  });

  it('space on a focused button presses the button, not Play', async () => {
    const before = await playing();
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.focus('[data-testid=theme]');
    await page.keyboard.press(' ');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(theme);
    expect(await playing()).toBe(before);
    await page.keyboard.press(' ');
    // Inside the SQL editor a space is a space.
    await page.click('.sql-console .cm-content');
    await page.keyboard.press('End');
    await page.keyboard.press(' ');
    expect(await playing()).toBe(before);
  });

  it('walks from load with keys alone: elect, kill the leader, a new leader, restart, INSERT, tour 1', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    if (!(await playing())) await page.keyboard.press(' ');
    const first = await waitForLeader();
    // A node takes the focus and Enter opens its actions.
    await tabTo(`[data-testid=node-${first}]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'np-kill');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector(`[data-testid=node-${id}]`)?.getAttribute('data-role') === 'down', first);
    if (!(await playing())) {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press(' ');
    }
    const second = await waitForLeader(first);
    expect(second).not.toBe(first);
    // R restarts it (a page key: nothing focused).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('r');
    await page.waitForFunction((id) => document.querySelector(`[data-testid=node-${id}]`)?.getAttribute('data-role') !== 'down', first);
    // An INSERT typed in the editor, reached with Tab.
    await tabTo('.sql-console .cm-content');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=result-entry]')?.getAttribute('data-state') === 'ok', null, { timeout: 30_000 });
    // Tour 1 to its end: the tour picker, then Next (or "Do it for me") by Tab and Enter.
    await tabTo('[data-testid=tour-picker]');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('[data-testid=tour-panel][data-tour=rsm]');
    await page.selectOption('[data-testid=speed]', '5');
    for (let guard = 0; guard < 20 && (await page.locator('[data-testid=tour-panel]').count()) > 0; guard++) {
      await waitForPaused();
      if ((await page.locator('[data-testid=tour-do-it]').count()) > 0) {
        // Doing the task moves the tour on by itself.
        const step = await page.getAttribute('[data-testid=tour-panel]', 'data-step');
        await tabTo('[data-testid=tour-do-it]');
        await page.keyboard.press('Enter');
        await page.waitForFunction((s) => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') !== s, step, { timeout: 30_000 });
        continue;
      }
      await tabTo('[data-testid=tour-next]');
      await page.keyboard.press('Enter');
    }
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
