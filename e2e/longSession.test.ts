import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownText, startApp, type App } from './harness';

/**
 * A long class session in the page: 1,200 requests (the saved session then spans three chunks of
 * the autosave), more sent while the page plays, a reload that restores all of them; the console
 * shows the newest answers.
 */

let app: App;
let page: Page;

/** Send `n` requests through the store, ten per 100 simulated ms, and return how many entries there are. */
function send(p: Page, from: number, n: number): Promise<number> {
  return p.evaluate(
    ({ from, n }) => {
      const store = window.raftlite;
      store.getState().drive((d) => {
        for (let k = from; k < from + n; k++) {
          if (k % 10 === 0) d.sim.runTo(d.sim.now + 100);
          const sql = `INSERT OR REPLACE INTO t VALUES (${k % 50}, 'v${k}')`;
          d.request('n1', { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } }, sql);
        }
        d.sim.runTo(d.sim.now + 1000);
      });
      store.getState().seekTime(Number.MAX_SAFE_INTEGER);
      return store.getState().entries.length;
    },
    { from, n },
  );
}

describe('a long class session', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'long-session', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('is saved in chunks as it grows and restored whole after a reload', async () => {
    await page.evaluate(() => {
      const store = window.raftlite;
      store.getState().drive((d) => {
        d.sim.runTo(2000);
        const sql = 'CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)';
        d.request('n1', { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } }, sql);
      });
      // To the end: a script drives the moment on screen, and from t = 0 it would discard this request.
      store.getState().seekTime(Number.MAX_SAFE_INTEGER);
    });
    expect(await send(page, 1, 1199)).toBe(1200);
    // Saved (at most a second later, when the page is idle), then more sent: only the last chunk changes.
    await page.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').includes('"count":1200'), undefined, { timeout: 10_000 });
    expect(await send(page, 1200, 15)).toBe(1215);
    await page.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').includes('"count":1215'), undefined, { timeout: 10_000 });
    const chunks = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('raftlite:run:')).sort());
    // Chunks of 100 inputs (src/store/sessionChunks.ts): 13 for 1,215.
    expect(chunks).toEqual(Array.from({ length: 13 }, (_, k) => `raftlite:run:${k}`).sort());

    // The console shows the newest answer, answered.
    const last = await shownText(page, '[data-testid=result-entry] >> nth=-1');
    expect(last).toContain("INSERT OR REPLACE INTO t VALUES (14, 'v1214')");
    expect(await page.getAttribute('[data-testid=result-entry] >> nth=-1', 'data-state')).toBe('ok');

    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    await page.waitForFunction(() => window.raftlite?.getState().entries.length === 1215, undefined, { timeout: 30_000 });
    expect(await page.innerText('[data-testid=notice]')).toContain('Restored');
    const sqls = await page.evaluate(() => window.raftlite.getState().entries.map((e) => e.sql));
    expect(sqls[0]).toBe('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)');
    expect(sqls.slice(-2)).toEqual(["INSERT OR REPLACE INTO t VALUES (13, 'v1213')", "INSERT OR REPLACE INTO t VALUES (14, 'v1214')"]);
    // The newest answers are drawn; earlier ones come on request, oldest first at the top.
    expect(await page.locator('[data-testid=result-entry]').count()).toBe(30);
    expect(await page.innerText('[data-testid=console-earlier]')).toBe('Show 100 earlier (1,185 not shown)');
    await page.click('[data-testid=console-earlier]');
    expect(await page.locator('[data-testid=result-entry]').count()).toBe(130);
    expect(await page.innerText('[data-testid=console-earlier]')).toBe('Show 100 earlier (1,085 not shown)');
    expect(await shownText(page, '[data-testid=result-entry] >> nth=0')).toContain("INSERT OR REPLACE INTO t VALUES (35, 'v1085')");
    expect(app.pageErrors).toEqual([]);
  });
});
