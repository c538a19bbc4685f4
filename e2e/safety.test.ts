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

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const frameOf = async () => Number(await page.getAttribute('[data-testid=status-line]', 'data-frame'));
const cursorX = async () => Number(await page.getAttribute('[data-testid=timeline] line.cursor', 'x1'));

describe('the safety monitor and the broken modes in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', process.env.RAFTLITE_OUT_DIR ?? 'dist'], { stdio: 'pipe', detached: true });
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, 30_000);
    userDir = mkdtempSync(join(tmpdir(), 'raftlite-e2e-'));
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

  it('shows every property holding on a correct cluster', async () => {
    await page.click('[data-testid=tab-safety]');
    await page.waitForSelector('[data-testid=safety-panel]');
    expect(await page.locator('[data-testid=safety-invariant][data-state=holds]').count()).toBe(5);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=safety-panel]')?.getAttribute('data-checked')) > 0);
    expect(await page.locator('[data-testid=broken-badge]').count()).toBe(0);
    await shot('safety-01-holding');
  });

  it('turns a broken mode on from the New-cluster dialog and keeps a badge up while it is on', async () => {
    await page.click('[data-testid=new-cluster]');
    await page.check('[data-testid=nc-unsafeDoubleVote]');
    await shot('safety-02-dialog');
    await page.click('[data-testid=nc-create]');
    await page.waitForSelector('[data-testid=broken-badge]');
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('double vote');
    await page.waitForSelector('[data-testid=safety-broken-note]');
    // The switch is saved with the session, so a reload restores the broken cluster, badge and all.
    await page.waitForFunction(() => localStorage.getItem('raftlite:run')?.includes('"unsafeDoubleVote":true'), undefined, { timeout: 10_000 });
    await page.reload();
    await page.waitForSelector('[data-testid=broken-badge]');
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('double vote');
    // The restored-session notice covers the bottom of the page: dismiss it.
    await page.click('[data-testid=notice]');
  });

  it('catches Figure 8 with the rule off and jumps back to where it broke', async () => {
    await page.click('[data-testid=tab-safety]');
    await page.click('[data-testid=safety-demo-unsafeCommitOldTerms]');
    await page.waitForSelector('[data-testid=safety-panel][data-violated=true]', { timeout: 30_000 });
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('commit rule off');
    const broken = page.locator('[data-testid=safety-invariant][data-state=violated]');
    const names = await broken.evaluateAll((els) => els.map((e) => e.getAttribute('data-invariant')));
    expect(names).toEqual(['Leader Completeness', 'State Machine Safety']);
    expect(await page.innerText('[data-testid=violation-badge]')).toContain('Leader Completeness');
    expect(await page.locator('[data-testid=timeline] .marker-violation').count()).toBeGreaterThan(0);
    const text = await broken.first().innerText();
    expect(text).toContain('lacks committed entry 3');
    await shot('safety-03-caught');

    const frame = await frameOf();
    const x = await cursorX();
    const event = Number(/event (\d+)/.exec(text)![1]);
    await broken.first().locator('[data-testid=safety-jump]').click();
    await page.waitForFunction((f) => Number(document.querySelector('[data-testid=status-line]')?.getAttribute('data-frame')) < f, frame);
    expect(await cursorX()).toBeLessThan(x);
    // The view now stands on the step that logged the event the monitor named.
    expect(Number(await page.getAttribute('[data-testid=status-line]', 'data-seq'))).toBeGreaterThanOrEqual(event);
    expect(await page.locator('[data-testid=safety-invariant][data-invariant="Leader Completeness"]').getAttribute('data-state')).toBe('violated');

    // One step back, the monitor had not seen it yet: the property still held.
    await page.click('[data-testid=step-back]');
    await page.waitForSelector('[data-testid=safety-invariant][data-invariant="Leader Completeness"][data-state=holds]');
    expect(await page.locator('[data-testid=safety-jump-later]').count()).toBeGreaterThan(0);
    await page.click('[data-testid=step-forward]');
    await page.waitForSelector('[data-testid=safety-invariant][data-invariant="Leader Completeness"][data-state=violated]');
    await shot('safety-04-jumped');
  });

  it('catches two leaders in one term when a node may vote twice', async () => {
    await page.click('[data-testid=safety-demo-unsafeDoubleVote]');
    await page.waitForSelector('[data-testid=safety-invariant][data-invariant="Election Safety"][data-state=violated]', { timeout: 30_000 });
    expect(await page.innerText('[data-testid=broken-badge]')).toContain('double vote');
    expect(await page.innerText('[data-testid=safety-panel]')).toContain('are both leader in term 1');
    await shot('safety-05-double-vote');
    await page.click('[data-testid=theme]');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await shot('safety-06-dark');
    expect(pageErrors).toEqual([]);
  });
});
