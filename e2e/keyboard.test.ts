import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownText, startApp, type App } from './harness';
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
    // A button the mouse clicked keeps Space and Enter, but a letter or ? is the page's.
    await page.click('[data-testid=step-forward]');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-overlay]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=help-overlay]', { state: 'detached' });
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

  it('log cells, timeline marks and messages in flight are reached by Tab and the arrows, and act on Enter', async () => {
    // The walk above left tour 1's cluster: entries in every log, marks on the timeline.
    const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const active = () => page.evaluate(() => ({ index: document.activeElement?.getAttribute('data-index') ?? null, seq: document.activeElement?.getAttribute('data-seq') ?? null, label: document.activeElement?.getAttribute('aria-label') ?? '', row: document.activeElement?.closest('.log-row')?.getAttribute('data-testid') ?? null }));
    await blur();
    if (!(await leaderOf())) {
      if (!(await playing())) await page.keyboard.press(' ');
      await waitForLeader();
    }
    if (await playing()) await page.keyboard.press(' ');
    // Two client writes (C) a moment apart, so the timeline has marks to move between.
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('c');
      await page.keyboard.press(' ');
      await page.waitForTimeout(600);
      await page.keyboard.press(' ');
    }
    expect(await page.locator('[data-testid=timeline] .marker').count()).toBeGreaterThanOrEqual(3);
    // A client bar is one and a half thousandths of the strip wide (its stroke, in pixels),
    // however far into its layout span the strip's end is; and it is a line, no transform of its own.
    const bar = await page.$eval('[data-testid=timeline] line.marker-client', (el) => {
      const track = el.closest('.timeline-track')!.getBoundingClientRect().width;
      return { track, width: parseFloat(getComputedStyle(el).strokeWidth), transform: getComputedStyle(el).transform };
    });
    expect(bar.width).toBeCloseTo((bar.track * 1.5) / 1000, 1);
    expect(bar.transform).toBe('none');
    // One Tab stop per strip, not one per cell.
    const stops = await page.$$eval('[data-testid=log-strips] .log-row', (rows) => rows.map((r) => r.querySelectorAll('.cell[tabindex="0"]').length));
    const filled = await page.$$eval('[data-testid=log-strips] .log-row', (rows) => rows.map((r) => (r.querySelector('.cell[data-index]') ? 1 : 0)));
    expect(stops).toEqual(filled);
    await tabTo('[data-testid=log-strips] .cell[data-index]');
    const first = await active();
    expect(first.label).toMatch(/^n\d log index \d+, term \d+, (committed|not committed)(, conflicts with the leader)?: \S/);
    // Tab leaves the strip at once.
    await page.keyboard.press('Tab');
    expect((await active()).row).not.toBe(first.row);
    await page.keyboard.press('Shift+Tab');
    expect(await active()).toEqual(first);
    // ← walks back along the strip, ↓ to the same index in the next strip.
    await page.keyboard.press('ArrowLeft');
    const left = await active();
    expect(Number(left.index)).toBe(Number(first.index) - 1);
    expect(left.row).toBe(first.row);
    await page.keyboard.press('ArrowDown');
    const below = await active();
    expect(below.index).toBe(left.index);
    expect(below.row).not.toBe(first.row);
    // Enter shows its command, as a click does.
    await page.keyboard.press('Enter');
    const picked = await page.innerText('[data-testid=log-picked]');
    expect(picked).toContain(`${below.row!.slice(4)} #${below.index} `);
    expect(picked).toContain(below.label.slice(below.label.indexOf(': ') + 2).replace(/…$/, ''));
    // The strip's Tab stop stays where the learner left it.
    expect(await page.$$eval(`[data-testid=${below.row}] .cell[tabindex="0"]`, (c) => c.map((x) => x.getAttribute('data-index')))).toEqual([below.index]);

    // The timeline: one Tab stop, the arrows between its marks, Enter moves time there.
    await blur();
    expect(await page.locator('[data-testid=timeline] .marker[tabindex="0"]').count()).toBe(1);
    await tabTo('[data-testid=timeline] .marker');
    // The stop is the mark last focused (an earlier walk passed it), else the latest; End is the latest.
    await page.keyboard.press('End');
    const last = await active();
    expect(last.label).toMatch(/, at \d+(\.\d+)? m?s$/);
    await page.keyboard.press('Home');
    const earliest = await active();
    expect(Number(earliest.seq)).toBeLessThan(Number(last.seq));
    expect(earliest.label).toMatch(/became leader in term \d+, at /);
    await page.keyboard.press('ArrowRight');
    const second = await active();
    expect(Number(second.seq)).toBeGreaterThan(Number(earliest.seq));
    await page.keyboard.press('Enter');
    await page.waitForFunction((t) => document.querySelector('[data-testid=clock]')?.textContent === `t = ${t}`, second.label.slice(second.label.lastIndexOf(', at ') + 5));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid=timeline]'))).toBe(false);

    // Messages in flight, paused: each is a Tab stop and Enter opens the message inspector.
    await blur();
    for (let i = 0; i < 200 && Number(await page.getAttribute('[data-testid=messages]', 'data-count')) === 0; i++) await page.keyboard.press('ArrowRight');
    await tabTo('[data-testid=messages] .msg');
    expect((await active()).label).toMatch(/^message .+ from n\d to n\d$/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=msg-inspector]');
    expect(app.pageErrors).toEqual([]);
  });

  it('the lecture keys: K, R, P, H, C, T, N and the arrows act, and the live region tells a screen reader', async () => {
    const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const seq = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'));
    // Everything the live region says, kept as it changes (each sentence replaces the last).
    await page.evaluate(() => {
      const w = window as unknown as { said: string[] };
      w.said = [];
      const region = document.querySelector('[data-testid=live-narration]')!;
      new MutationObserver(() => w.said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    const said = async (text: string) => {
      try {
        await page.waitForFunction((t) => (window as unknown as { said: string[] }).said.some((x) => x.includes(t)), text, { timeout: 20_000 });
      } catch (e) {
        throw new Error(`the live region never said "${text}"; it said ${JSON.stringify(await page.evaluate(() => (window as unknown as { said: string[] }).said))}, now "${await page.textContent('[data-testid=live-narration]')}", ${await page.innerText('[data-testid=status-line]')}, ${await page.innerText('[data-testid=clock]')}`, { cause: e });
      }
    };
    await blur();
    if (!(await playing())) await page.keyboard.press(' ');
    const first = await waitForLeader();
    await page.keyboard.press('k');
    await page.waitForFunction((id) => document.querySelector(`[data-testid=node-${id}]`)?.getAttribute('data-role') === 'down', first);
    await said(`${first} crashed.`);
    const second = await waitForLeader(first);
    await said(`${second} is the leader in term`);
    await page.keyboard.press('r');
    await page.waitForFunction((id) => document.querySelector(`[data-testid=node-${id}]`)?.getAttribute('data-role') !== 'down', first);
    await said(`${first} restarted.`);
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.querySelector('[data-testid=status-line]')?.textContent?.includes('network partitioned'));
    await said('The network is partitioned.');
    await page.keyboard.press('h');
    await page.waitForFunction(() => !document.querySelector('[data-testid=status-line]')?.textContent?.includes('network partitioned'));
    await said('The network is healed.');
    await waitForLeader();
    const entries = await page.locator('[data-testid=result-entry]').count();
    await page.keyboard.press('c');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=result-entry]')[n]?.getAttribute('data-state') === 'ok', entries, { timeout: 30_000 });
    await said('committed.');
    // Paused: T times a follower out at the moment on screen, and the event list says so.
    await page.keyboard.press(' ');
    await page.click('[data-testid=tab-events]');
    await blur();
    await page.keyboard.press('t');
    expect(await shownText(page, '[data-testid=event-list] li.current >> nth=-1')).toMatch(/n\d: election timeout \(forced\)/);
    // N: the step lands on an event the event list names (heartbeats are hidden there).
    const at = await seq();
    await page.keyboard.press('n');
    const next = await seq();
    expect(next).toBeGreaterThan(at);
    expect(await page.locator('[data-testid=event-list] li.current').count()).toBeGreaterThan(0);
    // ← and → one event each way.
    await page.keyboard.press('ArrowLeft');
    expect(await seq()).toBeLessThan(next);
    await page.keyboard.press('ArrowRight');
    expect(await seq()).toBe(next);
    expect(app.pageErrors).toEqual([]);
  });

  it('a clicker pages through a tour: PageDown is Next, PageUp is Back, not while a field or the editor has the focus', async () => {
    const step = async () => Number(await page.getAttribute('[data-testid=tour-panel]', 'data-step'));
    const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.selectOption('[data-testid=tour-picker]', 'rsm');
    await page.waitForSelector('[data-testid=tour-panel][data-tour=rsm]');
    await page.selectOption('[data-testid=speed]', '5');
    await blur();
    await waitForPaused();
    expect(await step()).toBe(0);
    await page.keyboard.press('PageDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '1');
    await waitForPaused();
    await page.keyboard.press('PageDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '2');
    await waitForPaused();
    const title2 = await page.innerText('[data-testid=tour-step-title]');
    // Back: the step before, at its moment, paused, with no "rebuilt" excuse (the learner asked for it).
    await page.keyboard.press('PageUp');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '1');
    expect(await playing()).toBe(false);
    expect(await page.locator('[data-testid=tour-rebuilt]').count()).toBe(0);
    expect(await page.locator('[data-testid=tour-problems]').count()).toBe(0);
    // Not while the editor, a field or a list has the focus: there the keys are theirs.
    await page.click('.sql-console .cm-content');
    await page.keyboard.press('PageDown');
    await page.focus('[data-testid=speed]');
    await page.keyboard.press('PageUp');
    await page.waitForTimeout(300);
    expect(await step()).toBe(1);
    // A button means nothing by them: after a click on Next the clicker still pages, back and on.
    await waitForPaused();
    await page.click('[data-testid=tour-next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '2');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tour-next');
    await waitForPaused();
    await page.keyboard.press('PageUp');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '1');
    await waitForPaused();
    await page.keyboard.press('PageDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '2');
    await waitForPaused();
    expect(await page.innerText('[data-testid=tour-step-title]')).toBe(title2);
    // The list of keys names both.
    await blur();
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-overlay]');
    expect(await page.innerText('[data-testid=help-overlay]')).toMatch(/PageUp \/ PageDown\s+the tour’s Back \/ Next/);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=tour-exit]');
    // Without a tour the page keys are the browser's again (they scroll).
    await blur();
    await page.keyboard.press('PageDown');
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
