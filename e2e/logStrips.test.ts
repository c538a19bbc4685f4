import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termColour } from '../src/ui/palette';
import { logCellPoint, startApp, type App } from './harness';

let app: App;
let page: Page;

interface Pixel {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** The pixel of `node`'s strip canvas at (x, y) CSS px inside the cell of log index `index`. */
function pixel(node: string, index: number, x: number, y: number): Promise<Pixel> {
  return page.evaluate(
    ([node, index, x, y]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid=log-${node}] canvas`)!;
      const from = Number(document.querySelector<HTMLElement>('[data-testid=log-strips]')!.dataset.from);
      const scale = canvas.width / parseFloat(canvas.style.width);
      const [r, g, b, a] = canvas.getContext('2d')!.getImageData(Math.round(((index - from) * 14 + x) * scale), Math.round(y * scale), 1, 1).data;
      return { r, g, b, a };
    },
    [node, index, x, y] as const,
  );
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
/** Within a few levels of a colour: a see-through pixel's colour is read back rounded, a shadow reaches a little way. */
const near = (p: Pixel, hex: string) => [p.r, p.g, p.b].every((v, i) => Math.abs(v - rgb(hex)[i]) <= 4);

/** A 5-node run paused with the leader holding 4 entries no majority has: three of its followers are down. */
async function leaderAhead(): Promise<{ leader: string; down: string; commit: number; last: number }> {
  const { leader, down } = await page.evaluate(() => {
    const store = window.raftlite;
    const s = store.getState();
    s.pause();
    s.newCluster({ ...s.options, nodes: 5, seed: 3 });
    let leader = '';
    let down: string[] = [];
    store.getState().drive((d) => {
      d.sim.runTo(2000);
      const op = (sql: string) => ({ op: 'execute' as const, req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });
      d.request('n1', op('CREATE TABLE t(k, v)'), 'CREATE TABLE t(k, v)');
      d.sim.runTo(d.sim.now + 300);
      for (let k = 0; k < 20; k++) {
        d.request('n1', op(`INSERT INTO t VALUES (${k}, 'v')`), 'insert');
        d.sim.runTo(d.sim.now + 20);
      }
      d.sim.runTo(d.sim.now + 500);
      leader = d.sim.cluster.stableLeader()!.id;
      down = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((n) => n !== leader).slice(0, 3);
      for (const n of down) d.sim.apply({ kind: 'kill', node: n });
      for (let k = 0; k < 4; k++) {
        d.request(leader, op(`INSERT INTO t VALUES (${900 + k}, 'u')`), 'insert');
        d.sim.runTo(d.sim.now + 20);
      }
      d.sim.runTo(d.sim.now + 200);
    });
    store.getState().seekTime(Number.MAX_SAFE_INTEGER);
    return { leader, down: down[0] };
  });
  // Drawn once React has rendered the moment sought.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const row = `[data-testid=log-${leader}]`;
  return { leader, down, commit: Number(await page.getAttribute(row, 'data-commit')), last: Number(await page.getAttribute(row, 'data-last')) };
}

describe('log strips drawn on a canvas, in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'log-strips', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });

  afterAll(() => app?.close());

  it('draws committed entries in their term colour, uncommitted ones see-through, missing ones as a gap', async () => {
    const run = await leaderAhead();
    expect(run.last - run.commit).toBe(4);
    const term = Number((await page.getAttribute(`[data-testid=log-${run.leader}] .cell-stop`, 'aria-label'))!.match(/term (\d+)/)![1]);
    // Inside the cell, clear of the outline and of the printed term.
    // Near the top left corner, clear of the printed term's shadow.
    // (Within a few levels: the text's soft shadow reaches a little way.)
    const committed = await pixel(run.leader, run.commit, 1.5, 1.5);
    expect(near(committed, termColour(term)), JSON.stringify(committed)).toBe(true);
    expect(committed.a).toBe(255);
    const uncommitted = await pixel(run.leader, run.last, 1.5, 1.5);
    expect(near(uncommitted, termColour(term)), JSON.stringify(uncommitted)).toBe(true);
    expect(uncommitted.a).toBeGreaterThan(100);
    expect(uncommitted.a).toBeLessThan(130);
    // What the tours say ("an entry not yet committed has a dashed outline"): its top edge starts
    // with a dash in the text colour; a committed entry's edge is its term colour.
    const text = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--text').trim());
    const dash = await pixel(run.leader, run.last, 3.2, 0.2);
    expect(near(dash, text), JSON.stringify(dash)).toBe(true);
    const edge = await pixel(run.leader, run.commit, 3.2, 0.2);
    expect(near(edge, termColour(term)), JSON.stringify(edge)).toBe(true);
    // A follower that went down before the four came has gaps where the leader has entries.
    const gap = await pixel(run.down, run.last, 6, 6.5);
    expect(gap.a).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });

  it('a click on a drawn cell picks it, and the tooltip names it', async () => {
    const run = await leaderAhead();
    const at = await logCellPoint(page, run.leader, run.commit - 2);
    await page.mouse.move(at.x, at.y);
    expect(await page.getAttribute(`[data-testid=log-${run.leader}] canvas`, 'title')).toMatch(new RegExp(`^#${run.commit - 2} · term \\d+ · committed\\n`));
    await page.mouse.click(at.x, at.y);
    expect(await page.innerText('[data-testid=log-picked]')).toContain(`${run.leader} #${run.commit - 2} · term`);
    // Where the strip has no entry, a click picks nothing.
    const gap = await logCellPoint(page, run.down, run.last);
    await page.mouse.click(gap.x, gap.y);
    expect(await page.innerText('[data-testid=log-picked]')).toContain(`${run.leader} #${run.commit - 2} · term`);
  });

  it('draws again in the colours of the theme chosen', async () => {
    const run = await leaderAhead();
    // The top edge of a missing entry's dashed outline: the border colour.
    const border = () => pixel(run.down, run.last, 1, 0);
    await page.evaluate(() => window.raftlite.getState().setTheme('light'));
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    const light = await border();
    expect(near(light, '#d9dde3'), JSON.stringify(light)).toBe(true);
    await page.evaluate(() => window.raftlite.getState().setTheme('dark'));
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const css = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--border').trim());
    expect(css).not.toBe('#d9dde3');
    await expect.poll(async () => near(await border(), css)).toBe(true);
    await page.evaluate(() => window.raftlite.getState().setTheme('light'));
  });

  it('paints only the columns that changed, and leaves the same pixels as painting afresh', async () => {
    const { down } = await leaderAhead();
    // A follower back and writes while the cluster plays: the strips shift under new entries, gaps fill, commits move.
    await page.evaluate(async (down) => {
      const store = window.raftlite;
      store.getState().setTheme('light');
      store.getState().setSpeed(4);
      store.getState().act({ kind: 'restart', node: down });
      store.getState().play();
      for (let k = 0; k < 12; k++) {
        store.getState().submit(`INSERT INTO t VALUES (${1000 + k}, 'w')`);
        await new Promise((r) => setTimeout(r, 60));
      }
      store.getState().pause();
    }, down);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const pixels = () => page.$$eval('[data-testid=log-strips] canvas', (cs) => cs.map((c) => (c as HTMLCanvasElement).toDataURL()));
    const painted = await pixels();
    // A new theme and back: every strip painted whole again, from new sprites.
    await page.evaluate(() => window.raftlite.getState().setTheme('dark'));
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.evaluate(() => window.raftlite.getState().setTheme('light'));
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await pixels()).toEqual(painted);
  });

  it('draws its strips at the screen’s scale from the first frame, and as the window widens', async () => {
    // Every width a strip's backing store takes (setting it sets the attribute), from the page's start.
    const tab = await app.newPage();
    await tab.addInitScript(() => {
      const seen: number[] = [];
      (window as unknown as { widths: number[] }).widths = seen;
      new MutationObserver((ms) => {
        for (const m of ms) if (m.target instanceof HTMLCanvasElement && m.target.classList.contains('strip-canvas')) seen.push(m.target.width);
      }).observe(document, { attributes: true, attributeFilter: ['width'], subtree: true });
    });
    await tab.setViewportSize({ width: 1024, height: 800 });
    // Another origin (the same server by its other name): a first visit, not the session the first tab saved.
    await tab.goto(app.url.replace('127.0.0.1', 'localhost'));
    await tab.waitForFunction(() => window.raftlite?.getState().status === 'ready' && document.querySelector('[data-testid=log-strips] canvas') !== null);
    const frames = () => tab.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 200)));
    await frames();
    const before = await tab.$eval('[data-testid=log-strips] canvas', (c) => (c as HTMLCanvasElement).width);
    await tab.setViewportSize({ width: 1280, height: 800 });
    await frames();
    const widths = await tab.evaluate(() => (window as unknown as { widths: number[] }).widths);
    await tab.close();
    expect(Math.max(...widths)).toBeGreaterThan(before);
    // At a pixel ratio of 1 a strip is a whole number of 14-px columns: a backing store stretched by
    // the old column count over the new (a zoom that is not there) would not be.
    for (const w of widths) expect(w % 14, `backing store ${w} px wide among ${widths.join(', ')}`).toBe(0);
  });
});
