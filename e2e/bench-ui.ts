// `npm run bench:ui`: the built app in headless Chromium. One table: each figure, a baseline measured
// in this same run, their ratio and the target.
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { benchDiagram } from './bench/diagram';
import { ARGS, CHROMIUM } from './harness';
import { benchTravel } from './bench/travel';
import { frameBudgetRows, nineNodesWithTable } from './bench/frames';

const PORT = Number(process.env.BENCH_PORT ?? 4391);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const OUT = process.env.RAFTLITE_OUT_DIR ?? 'dist-bench';
const URL = `http://127.0.0.1:${PORT}/`;

type Row = [string, string, string, string, string];
const rows: Row[] = [];
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

execSync(`npx vite build --outDir ${OUT} --emptyOutDir`, { stdio: 'pipe' });

// Bundle: every JS file the build emits, gzipped, against React + ReactDOM's own production builds.
const assets = join(OUT, 'assets');
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const allJs = readdirSync(assets).filter((f) => f.endsWith('.js'));
// What the page loads before it is interactive: the entry script and the modules it preloads. The
// editors (CodeMirror) are split off and load once the cluster is on screen.
const html = readFileSync(join(OUT, 'index.html'), 'utf8');
const initialJs = allJs.filter((f) => html.includes(`assets/${f}`));
const sum = (files: string[]) => files.reduce((n, f) => n + gz(join(assets, f)), 0);
const reactBytes = gz('node_modules/react/cjs/react.production.js') + gz('node_modules/react-dom/cjs/react-dom-client.production.js');
const initialBytes = sum(initialJs);
const totalBytes = sum(allJs);
const kb = (n: number) => `${fmt(n / 1024)} KB`;
rows.push(['JS loaded at start, gzip, without the wasm', kb(initialBytes), `React + ReactDOM alone: ${kb(reactBytes)}`, fmt(initialBytes / reactBytes, 2), '≤ 250 KB']);
rows.push(['all JS incl. lazy editors, gzip', kb(totalBytes), `React + ReactDOM alone: ${kb(reactBytes)}`, fmt(totalBytes / reactBytes, 2), '-']);

const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', OUT], { stdio: 'pipe', detached: true });
const userDir = mkdtempSync(join(tmpdir(), 'raftlite-bench-'));

async function open(page: Page): Promise<{ interactive: number; fcp: number }> {
  await page.goto(URL);
  await page.waitForFunction(() => window.raftlite?.getState().status === 'ready' && document.querySelector('[data-testid=cluster-view] svg') !== null);
  const interactive = await page.evaluate(() => performance.now());
  // The paint entry can be reported a little after the page is interactive.
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 5000 }).catch(() => undefined);
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  return { interactive, fcp };
}

/** Frame times over `seconds` of real time, and long tasks seen meanwhile. */
function frameStats(page: Page, seconds: number, writesPerSecond: number) {
  return page.evaluate(
    async ({ seconds, writesPerSecond }) => {
      const store = window.raftlite;
      const frames: number[] = [];
      const longTasks: number[] = [];
      const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
      obs.observe({ type: 'longtask', buffered: false });
      let n = 0;
      const writer = writesPerSecond > 0 ? setInterval(() => store.getState().submit(`INSERT INTO t VALUES (${n}, 'value ${n++}')`), 1000 / writesPerSecond) : null;
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
      if (writer) clearInterval(writer);
      obs.disconnect();
      frames.sort((a, b) => a - b);
      const p95 = frames[Math.min(frames.length - 1, Math.floor(frames.length * 0.95))];
      return { p95, fps: frames.length / seconds, longTasks: longTasks.length, longest: Math.max(0, ...longTasks), writes: n };
    },
    { seconds, writesPerSecond },
  );
}

try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(URL)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const ctx = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 720 } });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  // tsx keeps function names with a `__name` helper that does not exist inside the page.
  await page.addInitScript('window.__name = (f) => f');

  // Time to interactive: a cold load, then a warm one (the browser cache holds the assets).
  const cold = await open(page);
  await page.evaluate(() => localStorage.clear());
  const warm = await open(page);
  rows.push(['time to interactive, localhost (cold)', `${fmt(cold.interactive, 0)} ms`, `first contentful paint: ${fmt(cold.fcp, 0)} ms`, fmt(cold.interactive / cold.fcp, 2), '≤ 1,500 ms']);
  rows.push(['time to interactive, localhost (warm)', `${fmt(warm.interactive, 0)} ms`, `first contentful paint: ${fmt(warm.fcp, 0)} ms`, fmt(warm.interactive / warm.fcp, 2), '≤ 1,500 ms']);

  // Frames: 9 nodes idle (paused), then playing at 1× with 50 writes per second.
  await nineNodesWithTable(page, process.env.BENCH_TAB ?? 'events');
  const idle = await frameStats(page, 3, 0);
  await page.evaluate(() => window.raftlite.getState().play());
  const busy = await frameStats(page, SECONDS, 50);
  rows.push(['p95 frame time, 9 nodes, 50 writes/s', `${fmt(busy.p95)} ms`, `paused page: ${fmt(idle.p95)} ms`, fmt(busy.p95 / idle.p95, 2), '≤ 16.7 ms']);
  rows.push(['long tasks > 50 ms (longest)', `${busy.longTasks} (${fmt(busy.longest, 0)} ms)`, `paused page: ${idle.longTasks}`, '-', 'none']);
  rows.push(...(await frameBudgetRows(page, SECONDS)));

  // Time travel over a 10-simulated-minute history of a 5-node cluster taking writes.
  const travel = await page.evaluate(async () => {
    const store = window.raftlite;
    const s = store.getState();
    s.pause();
    s.newCluster({ ...s.options, nodes: 5 });
    store.getState().drive((d) => {
      d.sim.runTo(2000);
      d.request('n1', { op: 'execute', req: { statements: [{ sql: 'CREATE TABLE t(k INTEGER, v TEXT)' }], transaction: false, queue: false, timeout: 5000 } }, 'CREATE TABLE t(k INTEGER, v TEXT)');
      for (let t = 3000; t < 600_000; t += 1000) {
        d.sim.runTo(t);
        const sql = `INSERT INTO t VALUES (${t}, 'v')`;
        d.request('n1', { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } }, sql);
      }
      d.sim.runTo(600_000);
    });
    const paint = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    // Baseline: two animation frames with nothing to do, the floor of any measured jump.
    const floors: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      await paint();
      floors.push(performance.now() - t0);
    }
    const jumps: number[] = [];
    // A fixed pseudo-random walk over the history (no Math.random: the figure must be repeatable).
    let x = 12345;
    for (let i = 0; i < 40; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const t0 = performance.now();
      store.getState().seekTime((x / 2147483648) * 600_000);
      await paint();
      jumps.push(performance.now() - t0);
    }
    store.getState().seekTime(300_000);
    await paint();
    store.getState().act({ kind: 'kill', node: 'n2' });
    const forkMs = store.getState().lastReplayMs ?? NaN;
    const sorted = (a: number[]) => [...a].sort((p, q) => p - q);
    const floor = sorted(floors)[5];
    const js = sorted(jumps);
    return { floor, median: js[Math.floor(js.length / 2)], max: js[js.length - 1], forkMs };
  });
  rows.push(['jump to a moment of a 10-min history (max of 40)', `${fmt(travel.max)} ms`, `two idle frames: ${fmt(travel.floor)} ms`, fmt(travel.max / travel.floor, 2), '≤ 100 ms']);
  rows.push(['  median jump', `${fmt(travel.median)} ms`, `two idle frames: ${fmt(travel.floor)} ms`, fmt(travel.median / travel.floor, 2), '≤ 100 ms']);
  rows.push(['fork: act at minute 5 (replay to there)', `${fmt(travel.forkMs, 0)} ms`, `two idle frames: ${fmt(travel.floor)} ms`, fmt(travel.forkMs / travel.floor, 1), 'interactive']);

  rows.push(...(await benchDiagram(ctx, page)));
  rows.push(...(await benchTravel(page)));
  await ctx.close();
} finally {
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
  rmSync(userDir, { recursive: true, force: true });
}

const head: Row = ['figure', 'measured', 'baseline (same run)', 'ratio', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(head));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows) console.log(line(r));
