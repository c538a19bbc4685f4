import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startApp, type App } from './harness';
import { checkLayout } from './layoutCheck';

/**
 * The space-time diagram in the page: the view toggle, hovering a message in the diagram lights it
 * in the ring and back, a click moves time, the heartbeat filter, Export SVG, stepping by message,
 * and every size light and dark with the layout checker and axe-core.
 */

let app: App;
let page: Page;
const DIR = join(SHOTS, 'diagram');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Hit {
  msgId: number;
  cls: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
interface SceneInfo {
  arrows: Hit[];
  view: { t0: number; msPerPx: number; width: number; height: number };
}

const scene = () => page.evaluate(() => (document.querySelector('[data-testid=diagram-canvas]') as unknown as { diagramScene: SceneInfo }).diagramScene);
const canvasBox = async () => (await page.locator('[data-testid=diagram-canvas]').boundingBox())!;
const storeTime = () => page.evaluate(() => window.raftlite.getState().time);
/** Let the diagram draw what the store now says (it draws on the next animation frame). */
const drawn = () => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** A paused cluster that elected a leader and took a write through a follower; the view mid-exchange. */
async function exchangeOnScreen(): Promise<void> {
  await page.evaluate(() => {
    const s = window.raftlite.getState();
    s.pause();
    s.newCluster({ ...s.options, seed: 1, nodes: 5 });
    window.raftlite.getState().drive((d) => {
      d.sim.runTo(700);
      const sql = 'CREATE TABLE t(v)';
      d.request('n2', { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } }, sql);
      d.sim.runTo(800);
    });
    window.raftlite.getState().seekTime(712);
  });
  await drawn();
}

describe('the space-time diagram', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'diagram', ready: '[data-testid=cluster-view] svg', context: { acceptDownloads: true } });
    page = app.page;
    // Tall enough that the whole diagram is in the window beside the ring.
    await page.setViewportSize({ width: 1920, height: 1200 });
    mkdirSync(DIR, { recursive: true });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens beside the ring, and the choice is remembered', async () => {
    await page.click('[data-testid=view-both]');
    await page.waitForSelector('[data-testid=diagram-canvas]');
    expect(await page.locator('[data-testid=cluster-view]').count()).toBe(1);
    await page.reload();
    await page.waitForSelector('[data-testid=diagram-canvas]');
    expect(await page.getAttribute('[data-testid=view-both]', 'aria-pressed')).toBe('true');
  });

  it('hovering a message in the diagram lights it in the ring, and hovering it in the ring lights its arrow', async () => {
    await exchangeOnScreen();
    await page.locator('[data-testid=diagram-canvas]').scrollIntoViewIfNeeded();
    const ringIds = await page.$$eval('[data-testid=messages] [data-msg-id]', (els) => els.map((e) => Number(e.getAttribute('data-msg-id'))));
    const { arrows } = await scene();
    const both = arrows.find((a) => ringIds.includes(a.msgId))!;
    expect(both).toBeDefined();
    const box = await canvasBox();
    // Along the arrow, a little before its front: the dot at the front sits on the lane.
    await page.mouse.move(box.x + both.x1 + (both.x2 - both.x1) * 0.6, box.y + both.y1 + (both.y2 - both.y1) * 0.6);

    await page.waitForSelector(`[data-testid=messages] [data-msg-id="${both.msgId}"].hovered`);
    await page.waitForSelector('[data-testid=diagram-tip]');
    await page.mouse.move(box.x + 2, box.y + box.height - 2);
    await page.waitForFunction(() => document.querySelector('[data-testid=diagram-canvas]')?.getAttribute('data-hover') === '');
    // Back: the ring's message lights the diagram's arrow.
    const dot = (await page.locator(`[data-testid=messages] [data-msg-id="${both.msgId}"] circle`).last().boundingBox())!;
    await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
    await page.waitForFunction((id) => document.querySelector('[data-testid=diagram-canvas]')?.getAttribute('data-hover') === String(id), both.msgId);
    await app.shot('diagram/hover');
  });

  it('a click on the diagram moves time there', async () => {
    const { view } = await scene();
    const box = await canvasBox();
    const want = 690;
    const y = 30 + (want - view.t0) / view.msPerPx;
    await page.mouse.click(box.x + box.width / 2, box.y + y);
    expect(Math.abs((await storeTime()) - want)).toBeLessThanOrEqual(view.msPerPx * 2);
  });

  it('heartbeats and their acks are hidden until asked for', async () => {
    await page.evaluate(() => window.raftlite.getState().seekTime(790));
    await drawn();
    await page.click('[data-testid=diagram-fit]');
    await drawn();
    expect((await scene()).arrows.filter((a) => a.cls === 'heartbeat')).toEqual([]);
    await page.click('[data-testid=diagram-filters] summary');
    await page.check('[data-testid=diagram-family-heartbeat]');
    await drawn();
    expect((await scene()).arrows.filter((a) => a.cls === 'heartbeat').length).toBeGreaterThan(5);
    await page.uncheck('[data-testid=diagram-family-heartbeat]');
    await drawn();
    expect((await scene()).arrows.filter((a) => a.cls === 'heartbeat')).toEqual([]);
    await page.click('[data-testid=diagram-filters] summary');
  });

  it('exports the visible part as a valid SVG file', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=diagram-export]')]);
    expect(download.suggestedFilename()).toMatch(/^raftlite-diagram-\d+ms\.svg$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const parsed = await page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: root.nodeName,
        ns: root.namespaceURI,
        paths: root.querySelectorAll('path, line').length,
        texts: [...root.querySelectorAll('text')].map((e) => e.textContent),
      };
    }, text);
    expect(parsed.error).toBe(0);
    expect(parsed.root).toBe('svg');
    expect(parsed.ns).toBe('http://www.w3.org/2000/svg');
    expect(parsed.paths).toBeGreaterThan(10);
    expect(parsed.texts).toEqual(expect.arrayContaining(['n1', 'n3', 'now']));
  });

  it('steps message by message: each step ends right after a delivery', async () => {
    await page.evaluate(() => window.raftlite.getState().seekTime(700));
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await page.click('[data-testid=step-msg-forward]');
      times.push(await storeTime());
    }
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(times[0]).toBeGreaterThan(700);
    await page.click('[data-testid=step-msg-back]');
    expect(await storeTime()).toBe(times[2]);
  });

  for (const [w, h] of [
    [390, 844],
    [1024, 768],
    [1280, 720],
    [1920, 1080],
  ])
    for (const theme of ['light', 'dark'] as const)
      it(`${w}x${h} ${theme}: no layout problem, no serious axe violation`, async () => {
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: theme });
        await page.evaluate((t) => window.raftlite.getState().setTheme(t), theme);
        await page.click(w < 900 ? '[data-testid=view-diagram]' : '[data-testid=view-both]');
        await exchangeOnScreen();
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: join(DIR, `${w}x${h}-${theme}.png`), fullPage: w < 900 });
        const problems = (await checkLayout(page, { minTarget: w < 900 ? 40 : undefined })).map((p) => `${p.kind}: ${p.what}`);
        await page.addScriptTag({ path: AXE });
        const axe = await page.evaluate(async () => {
          const r = await (window as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe.run(document);
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect([...problems, ...axe]).toEqual([]);
        expect(app.pageErrors).toEqual([]);
      });
});
