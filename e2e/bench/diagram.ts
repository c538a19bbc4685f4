// The space-time diagram's figures for `npm run bench:ui` (also runnable alone against a built
// dist/: `npx tsx e2e/bench/diagram.ts`). Main-thread work is read from the DevTools Protocol's own
// counters (TaskDuration, ScriptDuration), not from frame times: headless Chromium caps frames at
// ~60 Hz, so a frame's length hides how much of it was used.
import { pathToFileURL } from 'node:url';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';

export type Row = [string, string, string, string, string];

const fmt = (n: number | undefined, digits = 1) => (n ?? NaN).toLocaleString('en-US', { maximumFractionDigits: digits });

async function mainThread(cdp: CDPSession): Promise<{ task: number; script: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (n: string) => (metrics.find((m) => m.name === n)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration') };
}

/** Main-thread work (ms) while `action` runs in the page. */
async function work(cdp: CDPSession, action: () => Promise<unknown>): Promise<{ task: number; script: number }> {
  const before = await mainThread(cdp);
  await action();
  const after = await mainThread(cdp);
  return { task: after.task - before.task, script: after.script - before.script };
}

/** Record a 10-simulated-minute history of 9 nodes taking a write a second, at the ring view. */
function record(page: Page): Promise<void> {
  return page.evaluate(() => {
    const store = window.raftlite;
    const s = store.getState();
    s.pause();
    s.newCluster({ ...s.options, nodes: 9 });
    store.getState().drive((d) => {
      d.sim.runTo(2000);
      const write = (sql: string) => d.request('n1', { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } }, sql);
      write('CREATE TABLE t(k INTEGER, v TEXT)');
      for (let t = 3000; t < 600_000; t += 1000) {
        d.sim.runTo(t);
        write(`INSERT INTO t VALUES (${t}, 'v')`);
      }
      d.sim.runTo(600_000);
    });
    store.getState().seekTime(599_000);
  });
}

const twoFrames = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Zoom in from the whole run to a 20 ms window, pan 60 steps, zoom back out: one wheel event per animation frame. */
function gestures(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const canvas = document.querySelector('[data-testid=diagram-canvas]') as HTMLCanvasElement;
    (document.querySelector('[data-testid=diagram-fit]') as HTMLButtonElement).click();
    const r = canvas.getBoundingClientRect();
    const at = { clientX: r.left + r.width / 2, clientY: r.top + r.height * 0.6 };
    const frame = () => new Promise<void>((res) => requestAnimationFrame(() => res()));
    await frame();
    const wheel = (deltaY: number, shiftKey = false) => canvas.dispatchEvent(new WheelEvent('wheel', { deltaY, shiftKey, bubbles: true, cancelable: true, view: window, ...at }));
    const view = () => (canvas as unknown as { diagramScene: { view: { msPerPx: number } } }).diagramScene.view;
    let frames = 0;
    while (view().msPerPx * r.height > 20 && frames < 200) {
      wheel(-100);
      await frame();
      frames++;
    }
    for (let i = 0; i < 60; i++, frames++) {
      wheel(120, true);
      await frame();
    }
    while (view().msPerPx * r.height < 600_000 && frames < 500) {
      wheel(100);
      await frame();
      frames++;
    }
    return frames;
  });
}

/**
 * The diagram's rows: its first draw on a long run, its draw after a fork, and main-thread work
 * per frame while zooming and panning (heartbeats hidden, then shown).
 */
export async function benchDiagram(ctx: BrowserContext, page: Page): Promise<Row[]> {
  const rows: Row[] = [];
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  // What switching the view costs by itself (React mounting the diagram, the page's layout): the
  // same switch on a new cluster that has run for a second.
  await page.evaluate(() => {
    const s = window.raftlite.getState();
    s.pause();
    s.newCluster({ ...s.options, nodes: 9 });
    window.raftlite.getState().drive((d) => d.sim.runTo(1000));
    window.raftlite.getState().seekTime(1000);
  });
  await twoFrames(page);
  const fresh = await work(cdp, async () => {
    await page.click('[data-testid=view-diagram]');
    await twoFrames(page);
  });
  await page.click('[data-testid=view-ring]');
  await record(page);
  await twoFrames(page);
  let wall = 0;
  const first = await work(cdp, async () => {
    const t0 = Date.now();
    await page.click('[data-testid=view-diagram]');
    await twoFrames(page);
    wall = Date.now() - t0;
  });
  const firstDraw = await page.evaluate(() => (document.querySelector('[data-testid=diagram-canvas]') as unknown as { diagramScene: { drawMs: number; modelMs: number } }).diagramScene);
  rows.push(['diagram: first draw of a 10-min 9-node run', `${fmt(first.task, 0)} ms main thread`, `the same switch on a 1-s run: ${fmt(fresh.task, 0)} ms; wall ${fmt(wall, 0)} ms; the draw's script ${fmt(firstDraw.drawMs, 1)} ms (model ${fmt(firstDraw.modelMs, 1)} ms)`, fmt(first.task / fresh.task, 2), '≤ ~100 ms']);

  // A fork at minute 5 (kill n2): the replay is the fork's own cost; what the diagram adds is the
  // redraw on the new run that follows it.
  await page.evaluate(() => window.raftlite.getState().seekTime(300_000));
  await twoFrames(page);
  const fork = await page.evaluate(async () => {
    window.raftlite.getState().act({ kind: 'kill', node: 'n2' });
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    const scene = (document.querySelector('[data-testid=diagram-canvas]') as unknown as { diagramScene: { drawMs: number; modelMs: number } }).diagramScene;
    return { replay: window.raftlite.getState().lastReplayMs ?? NaN, draw: scene.drawMs, model: scene.modelMs };
  });
  rows.push(['diagram: draw after a fork at minute 5 (script)', `${fmt(fork.draw, 1)} ms`, `of which the model: ${fmt(fork.model, 1)} ms; the replay itself: ${fmt(fork.replay, 0)} ms`, '-', '≤ ~100 ms']);

  // Zoom and pan over the whole run again (back to the end of it, the fork undone by a new record).
  await page.click('[data-testid=view-ring]');
  await record(page);
  await page.click('[data-testid=view-diagram]');
  await twoFrames(page);
  let frames = 0;
  const quiet = await work(cdp, async () => (frames = await gestures(page)));
  rows.push(['diagram zoom/pan, 10-min 9-node run: main thread per frame', `${fmt(quiet.task / frames, 2)} ms`, `script alone: ${fmt(quiet.script / frames, 2)} ms (${frames} frames)`, '-', '≤ 8 ms']);
  await page.click('[data-testid=diagram-filters] summary');
  await page.check('[data-testid=diagram-family-heartbeat]');
  await page.click('[data-testid=diagram-filters] summary');
  const loud = await work(cdp, async () => (frames = await gestures(page)));
  rows.push(['  the same with heartbeats and acks shown', `${fmt(loud.task / frames, 2)} ms`, `script alone: ${fmt(loud.script / frames, 2)} ms (${frames} frames)`, '-', '≤ 8 ms']);
  await cdp.detach();
  return rows;
}

// Run alone: the app already built in dist/ (or RAFTLITE_OUT_DIR), served by the e2e harness.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { startApp } = await import('../harness');
  const app = await startApp({ name: 'bench-diagram', ready: '[data-testid=cluster-view] svg' });
  try {
    await app.page.addInitScript('window.__name = (f) => f');
    await app.page.reload();
    await app.page.waitForFunction(() => window.raftlite?.getState().status === 'ready');
    await app.page.setViewportSize({ width: 1280, height: 720 });
    for (const r of await benchDiagram(app.context, app.page)) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await app.close();
  }
}
