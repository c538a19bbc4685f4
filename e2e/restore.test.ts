import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from './harness';

/**
 * A long saved session is replayed from its start after a reload. The page is not frozen meanwhile:
 * it shows how far the replay is and answers, and a learner can cancel and start afresh.
 */

let app: App;
let page: Page;

/** Three simulated minutes of a 5-node cluster taking a write a second, paused at its end. */
async function longSession(p: Page): Promise<void> {
  await p.evaluate(() => {
    const store = window.raftlite;
    const s = store.getState();
    s.pause();
    s.newCluster({ ...s.options, nodes: 5 });
    const op = (sql: string) => ({
      op: 'execute' as const,
      req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 },
    });
    store.getState().drive((d) => {
      d.sim.runTo(2000);
      d.request('n1', op('CREATE TABLE t(k INTEGER, v TEXT)'), 'CREATE TABLE t(k INTEGER, v TEXT)');
      for (let t = 3000; t < 180_000; t += 1000) {
        d.sim.runTo(t);
        const sql = `INSERT INTO t VALUES (${t}, 'v')`;
        d.request('any', op(sql), sql);
      }
      d.sim.runTo(180_000);
    });
    store.getState().seekTime(Number.MAX_SAFE_INTEGER);
  });
}

const progress = (p: Page) =>
  p.evaluate(() =>
    Number(document.querySelector<HTMLProgressElement>('[data-testid=restoring] progress')?.value ?? NaN),
  );

describe('restoring a long session', () => {
  beforeAll(async () => {
    app = await startApp({ name: 'restore', ready: '[data-testid=cluster-view] svg' });
    page = app.page;
  });
  afterAll(() => app?.close());

  it('shows its progress while the page stays responsive, then the run as it was left', async () => {
    await longSession(page);
    const clock = await page.innerText('[data-testid=clock]');
    const answered = await page.evaluate(
      () => window.raftlite.getState().entries.filter((e) => e.answer?.ok).length,
    );
    expect(answered).toBe(178);
    await page.waitForFunction(
      () => (localStorage.getItem('raftlite:run') ?? '').includes('"count":178'),
      undefined,
      { timeout: 10_000 },
    );
    await page.waitForTimeout(1200);

    await page.reload();
    await page.waitForSelector('[data-testid=restoring]', { timeout: 30_000 });
    // Leaving the page half-way saves nothing: the run in memory is not yet the learner's.
    const saved = await page.evaluate(() => {
      const restoring = !!document.querySelector('[data-testid=restoring]');
      window.dispatchEvent(new Event('pagehide'));
      return { restoring, kept: (localStorage.getItem('raftlite:run') ?? '').includes('"count":178') };
    });
    expect(saved).toEqual({ restoring: true, kept: true });
    expect(await page.innerText('[data-testid=restoring] h1')).toContain('Restoring your last session');
    const first = await progress(page);
    // The page answers between slices: animation frames keep coming while the replay goes on.
    const frames = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let n = 0;
          const next = () => (++n === 10 ? resolve(n) : requestAnimationFrame(next));
          requestAnimationFrame(next);
        }),
    );
    expect(frames).toBe(10);
    await app.shot('restore-progress');
    await page.waitForFunction((was) => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid=restoring] progress');
      return !bar || bar.value > was;
    }, first);

    await page.waitForSelector('[data-testid=cluster-view] svg', { timeout: 120_000 });
    expect(await page.locator('[data-testid=restoring]').count()).toBe(0);
    expect(await page.innerText('[data-testid=notice]')).toContain('Restored');
    expect(await page.innerText('[data-testid=clock]')).toBe(clock);
    expect(
      await page.evaluate(() => window.raftlite.getState().entries.filter((e) => e.answer?.ok).length),
    ).toBe(answered);
    expect(app.pageErrors).toEqual([]);
  });

  it('cancelled, it starts afresh (forgetting a tour the session was in) and the page works', async () => {
    // As if a tour had been under way in that session (its memory is what a reload resumes).
    await page.evaluate(() =>
      localStorage.setItem(
        'raftlite:tour',
        JSON.stringify({ id: 'election', index: 2, cursor: 1, vars: {}, results: [], options: '' }),
      ),
    );
    await page.reload();
    await page.waitForSelector('[data-testid=restoring]', { timeout: 30_000 });
    await page.click('[data-testid=restore-cancel]');
    await page.waitForSelector('[data-testid=cluster-view] svg');
    expect(await page.locator('[data-testid=restoring]').count()).toBe(0);
    expect(await page.evaluate(() => window.raftlite.getState().entries.length)).toBe(0);
    expect(await page.innerText('[data-testid=clock]')).toBe('t = 0 ms');
    expect(await page.evaluate(() => localStorage.getItem('raftlite:tour'))).toBeNull();
    expect(app.pageErrors).toEqual([]);
  });

  it('a saved session whose part no longer matches its head is not restored, and the learner is told why', async () => {
    await page.evaluate(() => {
      const store = window.raftlite;
      const op = (sql: string) => ({
        op: 'execute' as const,
        req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 },
      });
      store.getState().drive((d) => {
        d.sim.runTo(2000);
        d.request('n1', op('CREATE TABLE u(k)'), 'CREATE TABLE u(k)');
        d.sim.runTo(3000);
      });
      store.getState().seekTime(Number.MAX_SAFE_INTEGER);
    });
    await page.waitForFunction(
      () => (localStorage.getItem('raftlite:run') ?? '').endsWith('"count":1}'),
      undefined,
      { timeout: 10_000 },
    );
    // A save cut off half-way (the browser closed), or the storage edited: the chunk no longer matches its head.
    await page.evaluate(() =>
      localStorage.setItem('raftlite:run:0', `${localStorage.getItem('raftlite:run:0')} `),
    );
    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    expect(await page.innerText('[data-testid=notice]')).toContain('Your last session could not be restored');
    expect(await page.evaluate(() => window.raftlite.getState().entries.length)).toBe(0);
    expect(await page.innerText('[data-testid=clock]')).toBe('t = 0 ms');
    expect(app.pageErrors).toEqual([]);
  });

  it('a saved session that is not a run is refused with the reason, and a fresh cluster starts', async () => {
    // Written from a page of the same origin that is not the app (its script, shown as text): the
    // app, leaving, saves its own run over whatever else holds the session.
    const script = await page.getAttribute('script[type=module]', 'src');
    await page.goto(new URL(script!, app.url).href);
    await page.evaluate(() =>
      localStorage.setItem('raftlite:run', JSON.stringify({ version: 1, options: { nodes: 'five' }, inputs: [] })),
    );
    await page.goto(app.url);
    await page.waitForSelector('[data-testid=cluster-view] svg');
    expect(await page.innerText('[data-testid=notice]')).toContain('The saved session is not a raftlite run');
    expect(await page.evaluate(() => window.raftlite.getState().entries.length)).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });

  it('storage full: the learner is told the session is no longer saved, and a reload brings it back as last saved', async () => {
    const write = (from: number, to: number) =>
      page.evaluate(
        ([from, to, create]) => {
          const store = window.raftlite;
          const op = (sql: string) => ({ op: 'execute' as const, req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });
          store.getState().drive((d) => {
            if (create) {
              d.sim.runTo(2000);
              d.request('n1', op('CREATE TABLE t(k INTEGER, v TEXT)'), 'CREATE TABLE t(k INTEGER, v TEXT)');
            }
            for (let k = from; k < to; k++) {
              d.sim.runTo(3000 + 50 * k);
              const sql = `INSERT INTO t VALUES (${k}, 'a value long enough to fill a chunk of the saved session quickly ${k}')`;
              d.request('n1', op(sql), sql);
            }
            d.sim.runTo(3000 + 50 * to + 500);
          });
          store.getState().seekTime(Number.MAX_SAFE_INTEGER);
        },
        [from, to, from === 0] as const,
      );
    await page.evaluate(() => {
      const s = window.raftlite.getState();
      s.pause();
      s.newCluster({ ...s.options, nodes: 3 });
    });
    await write(0, 40);
    await page.waitForFunction(() => (localStorage.getItem('raftlite:run') ?? '').endsWith('"count":41}'), undefined, { timeout: 10_000 });
    const answered = await page.evaluate(() => window.raftlite.getState().entries.filter((e) => e.answer?.ok).length);
    // Another page of the site (or another app) has filled the origin's storage to the brim.
    await page.evaluate(() => {
      let size = 1 << 20;
      for (let k = 0; size >= 16; k++) {
        try {
          localStorage.setItem(`filler:${k}`, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
    });
    await write(40, 700);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('storage is full'), undefined, { timeout: 10_000 });
    const notice = await page.innerText('[data-testid=notice]');
    expect(notice).toMatch(/the session is no longer saved\. A reload brings it back as it was at 0:\d\d\.\d\d of simulated time\./);
    // The session as last saved is still whole: a reload restores it.
    expect(await page.evaluate(() => (localStorage.getItem('raftlite:run') ?? '').endsWith('"count":41}'))).toBe(true);
    await page.reload();
    await page.waitForSelector('[data-testid=cluster-view] svg');
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('Restored'), undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.raftlite.getState().entries.filter((e) => e.answer?.ok).length)).toBe(answered);
    // Still full, the restored class writes on: the session stored is the one restored, and the notice says so.
    await write(40, 700);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('storage is full'), undefined, { timeout: 10_000 });
    expect(await page.innerText('[data-testid=notice]')).toContain('A reload brings it back as it was at');
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('filler:')) localStorage.removeItem(k);
    });
    expect(app.pageErrors).toEqual([]);
  });
});
