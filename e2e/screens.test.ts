import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARGS, CHROMIUM, SHOTS, startApp, type App } from './harness';
import { checkLayout } from './layoutCheck';
import { tourSteps } from './tourSteps';

/**
 * Every screen: the page at phones, tablet, projector, laptop, full HD and 4K sizes, light and dark,
 * idle and inside a tour. At each the layout checker (layoutCheck.ts) must find nothing, every
 * button of the toolbar and of the tour step must be visible and clickable, axe-core must report no
 * serious or critical violation, and a screenshot is kept in test-results/e2e/screens/.
 */

const SIZES = [
  { w: 390, h: 844, touch: true },
  // The narrowest the page promises (a small Android phone).
  { w: 360, h: 740, touch: true },
  { w: 768, h: 1024, touch: true },
  { w: 1024, h: 768, touch: false },
  { w: 1280, h: 720, touch: false },
  { w: 1920, h: 1080, touch: false },
  { w: 3840, h: 2160, touch: false },
] as const;
const THEMES = ['light', 'dark'] as const;
const STATES = ['idle', 'tour'] as const;
const DIR = join(SHOTS, 'screens');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let app: App;
let browser: Browser;
let page: Page;
const { nextStep, waitForPaused } = tourSteps(() => page);

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is. */
async function axeViolations(p: Page): Promise<string[]> {
  await p.addScriptTag({ path: AXE });
  const found = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Each control of the toolbar and of the tour's card is visible and would take a click. */
async function unreachable(p: Page): Promise<string[]> {
  const out: string[] = [];
  const controls = p.locator('header.toolbar button, header.toolbar select, [data-testid=tour-panel] button');
  for (let i = 0; i < (await controls.count()); i++) {
    const c = controls.nth(i);
    if (!(await c.isVisible())) {
      out.push(`${await c.evaluate((e) => e.outerHTML.slice(0, 80))} is not visible`);
      continue;
    }
    try {
      await c.click({ trial: true, timeout: 3000 });
    } catch (e) {
      out.push(`${(await c.textContent())?.trim() || (await c.getAttribute('data-testid'))} cannot be clicked: ${String(e).split('\n')[0]}`);
    }
  }
  return out;
}

async function openPage(size: (typeof SIZES)[number], theme: (typeof THEMES)[number], query = ''): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: size.w, height: size.h },
    colorScheme: theme,
    isMobile: size.touch,
    hasTouch: size.touch,
  });
  page = await context.newPage();
  page.on('pageerror', (e) => app.pageErrors.push(e.message));
  await page.goto(app.url + query);
  await page.waitForSelector('[data-testid=cluster-view] svg');
  return context;
}

/** Play (if a first visit starts paused) until a leader is elected. */
async function electLeader(): Promise<void> {
  if ((await page.innerText('[data-testid=play]')).includes('Play')) await page.click('[data-testid=play]');
  await page.waitForFunction(() => !!document.querySelector('[data-testid=status-line]')?.getAttribute('data-leader'), null, { timeout: 30_000 });
}

describe('every screen', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'screens', ready: '[data-testid=cluster-view] svg' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    mkdirSync(DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const size of SIZES)
    for (const theme of THEMES)
      for (const state of STATES) {
        const name = `${size.w}x${size.h}-${theme}-${state}`;
        it(name, async () => {
          const context = await openPage(size, theme);
          try {
            if (state === 'tour') {
              await page.click('[data-testid=welcome-start]');
              await page.waitForSelector('[data-testid=tour-panel]');
              await page.selectOption('[data-testid=speed]', '5');
              // Step 2 points at the servers: the highlight must be in view beside the narration.
              await nextStep();
              await waitForPaused();
            } else {
              await electLeader();
              if ((await page.innerText('[data-testid=play]')).includes('Pause')) await page.click('[data-testid=play]');
            }
            await page.evaluate(() => window.scrollTo(0, 0));
            // A tour's sheet is fixed to the window: the window is what a learner sees.
            await page.screenshot({ path: join(DIR, `${name}.png`), fullPage: state === 'idle' });
            const problems = (await checkLayout(page, { minTarget: size.touch ? 40 : undefined })).map((p) => `${p.kind}: ${p.what}`);
            problems.push(...(await unreachable(page)));
            problems.push(...(await axeViolations(page)));
            writeFileSync(join(DIR, `${name}.json`), JSON.stringify(problems, null, 1));
            expect(problems).toEqual([]);
          } finally {
            await context.close();
          }
        });
      }

  for (const size of [SIZES[3], SIZES[5]])
    it(`presenter mode at ${size.w}x${size.h}`, async () => {
      const context = await openPage(size, 'light', '?present');
      try {
        await electLeader();
        expect(await page.evaluate(() => document.documentElement.hasAttribute('data-presenter'))).toBe(true);
        expect(await page.locator('[data-testid=sql-console]').isVisible()).toBe(false);
        await page.keyboard.press('?');
        await page.waitForSelector('[data-testid=help-overlay]');
        await page.screenshot({ path: join(DIR, `presenter-${size.w}x${size.h}-help.png`) });
        const withHelp = (await checkLayout(page)).map((p) => `${p.kind}: ${p.what}`);
        await page.keyboard.press('Escape');
        await page.screenshot({ path: join(DIR, `presenter-${size.w}x${size.h}.png`) });
        const problems = [...withHelp, ...(await checkLayout(page)).map((p) => `${p.kind}: ${p.what}`), ...(await unreachable(page)), ...(await axeViolations(page))];
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });

  it('partitions by a touch drag in mobile emulation', async () => {
    const context = await openPage(SIZES[0], 'light');
    try {
      await page.click('[data-testid=welcome-dismiss]');
      await electLeader();
      const node = (await page.locator('[data-testid=node-n2] .body').boundingBox())!;
      const svg = (await page.locator('[data-testid=cluster-view] svg').boundingBox())!;
      const from = { x: node.x + node.width / 2, y: node.y + node.height / 2 };
      const to = { x: svg.x + svg.width - 4, y: from.y };
      const cdp = await context.newCDPSession(page);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', p: { x: number; y: number } | null) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y, id: 1 }] : [] });
      await touch('touchStart', from);
      for (let k = 1; k <= 8; k++) await touch('touchMove', { x: from.x + ((to.x - from.x) * k) / 8, y: from.y });
      await page.screenshot({ path: join(DIR, 'touch-drag-midway.png') });
      await touch('touchEnd', null);
      await page.waitForFunction(() => document.querySelector('[data-testid=status-line]')?.textContent?.includes('network partitioned'), null, { timeout: 10_000 });
      await page.screenshot({ path: join(DIR, 'touch-drag-done.png') });
    } finally {
      await context.close();
    }
  });

  it('keeps a phone’s page as tall as its parts while the cluster plays and writes', async () => {
    const context = await openPage(SIZES[0], 'light');
    try {
      await page.click('[data-testid=welcome-dismiss]');
      await electLeader();
      const sizes = await page.evaluate(async () => {
        const store = window.raftlite;
        store.getState().submit('CREATE TABLE IF NOT EXISTS t (k INTEGER, v TEXT)');
        const read = () => ({
          page: document.documentElement.scrollHeight,
          rows: document.querySelectorAll('[data-testid=event-list] li').length,
          tab: document.querySelector('.tab-body')!.getBoundingClientRect().height,
          answers: document.querySelector('[data-testid=sql-results]')!.getBoundingClientRect().height,
        });
        const seen = [];
        // Three seconds of writes, 25 a second: the event list and the console fill up.
        for (let i = 0; i < 75; i++) {
          store.getState().submit(`INSERT INTO t VALUES (${i}, 'phone')`);
          await new Promise((r) => setTimeout(r, 40));
          if (i % 25 === 24) seen.push(read());
        }
        return { seen, window: window.innerHeight };
      });
      // The inspector fills 60 % of the window and the list as many rows as its tab shows (and 4
      // more): it once grew by a few rows at each reading, the page with it, without end.
      for (const s of sizes.seen) {
        expect(s.tab).toBeLessThanOrEqual(sizes.window);
        expect(s.rows).toBeLessThanOrEqual(Math.ceil(s.tab / 20) + 4);
        expect(s.answers).toBeLessThanOrEqual(sizes.window);
      }
      const first = sizes.seen[0].page;
      expect(sizes.seen.at(-1)!.page).toBeLessThanOrEqual(first + 200);
    } finally {
      await context.close();
    }
  });

  it('raised no page errors', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
