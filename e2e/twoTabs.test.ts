import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

/**
 * Two tabs of the page share one saved session (localStorage). Their saves take turns, and the
 * last tab to save owns it whole: a tab never writes part of its run over another tab's.
 */

let app: App;
let a: Page;
let b: Page;

/** The saved head's input count, or null when nothing is saved. */
const savedCount = (p: Page) =>
  p.evaluate(() => {
    const head = localStorage.getItem('raftlite:run');
    return head === null ? null : (JSON.parse(head) as { count: number }).count;
  });

/** A fresh paused cluster in `p` given `n` CREATE TABLEs. */
async function runWith(p: Page, n: number): Promise<void> {
  await p.evaluate((n) => {
    const store = window.raftlite;
    store.getState().pause();
    store.getState().newCluster({ ...store.getState().options, nodes: 3 });
    const op = (sql: string) => ({
      op: 'execute' as const,
      req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 },
    });
    store.getState().drive((d) => {
      for (let k = 0; k < n; k++) {
        d.sim.runTo(2000 + 500 * k);
        d.request('n1', op(`CREATE TABLE t${k}(x)`), `CREATE TABLE t${k}(x)`);
      }
      d.sim.runTo(2000 + 500 * n);
    });
    store.getState().seekTime(Number.MAX_SAFE_INTEGER);
  }, n);
}

describe('two tabs of the page', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'two-tabs', ready: '[data-testid=cluster-view] svg' });
    a = app.page;
    b = await app.newPage();
    await b.goto(app.url);
    await b.waitForSelector('[data-testid=cluster-view] svg');
  });
  afterAll(() => app?.close());

  it('save in turns: a save waits while another tab is saving', async () => {
    await runWith(a, 1);
    await a.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').includes('"count":1'), undefined, { timeout: 10_000 });
    // Tab b is in the middle of a save (it holds the turn) while tab a has a new run to save.
    await b.evaluate(() => {
      void navigator.locks.request('raftlite:session', () => new Promise<void>((r) => ((window as unknown as { endSave: () => void }).endSave = r)));
    });
    await runWith(a, 2);
    await a.waitForTimeout(2500);
    expect(await savedCount(a)).toBe(1);
    await b.evaluate(() => (window as unknown as { endSave: () => void }).endSave());
    await a.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').includes('"count":2'), undefined, { timeout: 10_000 });
    expect(app.pageErrors).toEqual([]);
  });

  it('a tab that only moved its moment saves its whole run over the run another tab saved since', async () => {
    await runWith(b, 3);
    await b.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').includes('"count":3'), undefined, { timeout: 10_000 });
    // Tab a's run has not changed since it saved it; only its moment moves. Writing the moment
    // alone would put a's moment on b's run.
    await a.evaluate(() => window.raftlite.getState().seekTime(2000));
    await a.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').includes('"count":2'), undefined, { timeout: 10_000 });
    // Reloaded, tab a finds its own run at the moment it left it.
    await a.reload();
    await a.waitForSelector('[data-testid=cluster-view] svg');
    await a.waitForFunction(() => window.raftlite.getState().restoring === null, undefined, { timeout: 10_000 });
    expect(await a.evaluate(() => window.raftlite.getState().currentRun()?.inputs.length)).toBe(2);
    expect(await a.innerText('[data-testid=clock]')).toBe('t = 2.000 s');
    expect(app.pageErrors).toEqual([]);
  });
});
