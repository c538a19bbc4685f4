import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(process.cwd(), 'test-results', 'e2e');

let server: ChildProcess;
let context: BrowserContext;
let page: Page;
let userDir: string;
const pageErrors: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

describe('chaos mode in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', process.env.RAFTLITE_OUT_DIR ?? 'dist'], { stdio: 'pipe', detached: true });
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, 30_000);
    userDir = mkdtempSync(join(tmpdir(), 'raftlite-e2e-chaos-'));
    context = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 720 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('[data-testid=cluster-view] svg');
  });

  afterAll(async () => {
    await context?.close();
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it('runs chaos, shows every level verdict, and points at a stale read', async () => {
    await page.click('[data-testid=open-chaos]');
    await page.waitForSelector('[data-testid=chaos-panel]');
    await page.selectOption('[data-testid=chaos-nodes]', '5');
    // Two runs in three or so catch a stale `none` read (seed 1 does today; the CLI finds the same).
    // Every run must keep Raft's promises; the first with a stale read is the one to look at.
    let stale = false;
    for (let seed = 1; seed <= 8 && !stale; seed++) {
      await page.fill('[data-testid=chaos-seed]', String(seed));
      await page.click('[data-testid=chaos-run]');
      await page.waitForSelector(`[data-testid=chaos-summary][data-seed="${seed}"]`, { timeout: 60_000 });
      expect(await page.getAttribute('[data-testid=chaos-summary]', 'data-ok'), `seed ${seed}`).toBe('true');
      expect(await page.innerText('[data-testid=chaos-summary]')).toContain('no safety violations');
      for (const level of ['strong', 'linearizable']) {
        expect(await page.getAttribute(`[data-testid=chaos-verdict-${level}]`, 'data-result'), `seed ${seed} ${level}`).toBe('ok');
      }
      stale = (await page.getAttribute('[data-testid=chaos-verdict-none]', 'data-result')) === 'illegal' && (await page.innerText('[data-testid=chaos-explanation]')).startsWith('Stale read');
    }
    expect(stale).toBe(true);
    // The panel opens on the failing level and marks the operations involved.
    expect(await page.innerText('[data-testid=chaos-explanation]')).toMatch(/Stale read: client \d read \w+ = \d+/);
    expect(await page.locator('[data-testid=chaos-timeline] [data-marked=true]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid=chaos-timeline] [data-op]').count()).toBe(80);
    await page.screenshot({ path: join(SHOTS, 'chaos.png') });

    // Picking a level that passed says so in words.
    await page.click('[data-testid=chaos-verdict-linearizable]');
    expect(await page.innerText('[data-testid=chaos-explanation]')).toMatch(/consistent with one order/);
    expect(pageErrors).toEqual([]);
  });

  it('ran in the cluster view: watching it plays the recorded faults and requests', async () => {
    const seed = await page.getAttribute('[data-testid=chaos-summary]', 'data-seed');
    await page.click('[data-testid=chaos-watch]');
    await page.waitForSelector('[data-testid=chaos-panel]', { state: 'detached' });
    // The view now holds the chaos cluster, with the client requests in the console.
    expect(await page.innerText('.toolbar .meta')).toContain(`seed ${seed}`);
    await page.selectOption('[data-testid=speed]', '2');
    const seq = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'));
    const before = await seq();
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid=status-line]')?.getAttribute('data-seq')) > b + 50, before, { timeout: 30_000 });
    // The console lists the chaos clients' requests sent so far, answered as they were recorded:
    // watching did not fork the run and throw its future away.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=result-entry]').length >= 10, undefined, { timeout: 30_000 });
    expect(await page.innerText('.right')).not.toContain('belonged to a future that was discarded');
    // The schedule's first crash plays out in the view.
    await page.waitForSelector('[data-testid^=node-n][data-role=down]', { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'chaos-view.png') });
    // Reopening the panel shows the same result.
    await page.click('[data-testid=open-chaos]');
    expect(await page.getAttribute('[data-testid=chaos-summary]', 'data-seed')).toBe(seed);
    await page.click('[data-testid=chaos-close]');
    expect(pageErrors).toEqual([]);
  });
});
