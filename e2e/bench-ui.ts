// `npm run bench:ui`: frame times of the built app in headless Chromium with 9 nodes and 50 writes/s.
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PORT = 4391;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

execSync('npx vite build', { stdio: 'pipe' });
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'pipe', detached: true });
const userDir = mkdtempSync(join(tmpdir(), 'raftlite-bench-'));
try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const ctx = await chromium.launchPersistentContext(userDir, { executablePath: '/usr/bin/chromium', args: ARGS, headless: true, viewport: { width: 1280, height: 720 } });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  // tsx keeps function names with a `__name` helper that does not exist inside the page.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await page.waitForFunction(() => window.raftlite?.getState().status === 'ready');
  // Which inspector tab is open changes what re-renders with every frame.
  await page.click(`[data-testid=tab-${process.env.BENCH_TAB ?? 'events'}]`);
  const result = await page.evaluate(async (seconds) => {
    const store = window.raftlite;
    const s = store.getState();
    s.newCluster({ ...s.options, nodes: 9 });
    s.setSpeed(1);
    s.play();
    await new Promise((r) => setTimeout(r, 1500));
    store.getState().submit('CREATE TABLE t (k INTEGER, v TEXT)');
    await new Promise((r) => setTimeout(r, 500));
    const frames: number[] = [];
    const longTasks: number[] = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
    let n = 0;
    // 50 writes per second of real time, which at 1× is 50 per simulated second too.
    const writer = setInterval(() => store.getState().submit(`INSERT INTO t VALUES (${n}, 'value ${n++}')`), 20);
    let last = performance.now();
    const end = last + seconds * 1000;
    await new Promise<void>((resolve) => {
      const tick = (now: number) => {
        frames.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    clearInterval(writer);
    frames.sort((a, b) => a - b);
    const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))];
    const st = store.getState();
    return {
      frames: frames.length,
      fps: frames.length / seconds,
      p50: pct(0.5),
      p95: pct(0.95),
      p99: pct(0.99),
      max: frames[frames.length - 1],
      longTasks: longTasks.length,
      longestTask: Math.max(0, ...longTasks),
      writes: n,
      answered: st.entries.filter((e) => e.answer?.ok).length,
      simTime: st.time,
    };
  }, SECONDS);
  console.log(JSON.stringify(result, null, 2));
  await ctx.close();
} finally {
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
  rmSync(userDir, { recursive: true, force: true });
}
