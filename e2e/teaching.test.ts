import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
let baseUrl: string;
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

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(SHOTS, `${name}.png`) });
}

const stepOf = async () => Number(await page.getAttribute('[data-testid=tour-panel]', 'data-step'));

/** Wait until the tour has stopped playing at the current step, then press Next (or Finish). */
async function nextStep(): Promise<void> {
  const before = await stepOf();
  await page.waitForFunction(() => !/Skip/.test(document.querySelector('[data-testid=tour-next]')?.textContent ?? 'Skip'), null, { timeout: 60_000 });
  await page.click('[data-testid=tour-next]');
  await page.waitForFunction((b) => {
    const p = document.querySelector('[data-testid=tour-panel]');
    return !p || Number(p.getAttribute('data-step')) !== b;
  }, before);
}

async function startTour(id: string): Promise<void> {
  await page.selectOption('[data-testid=tour-picker]', id);
  await page.waitForSelector(`[data-testid=tour-panel][data-tour=${id}]`);
  // Fast playback: the tour still stops at every step.
  await page.selectOption('[data-testid=speed]', '5');
}

async function waitForPaused(): Promise<void> {
  await page.waitForFunction(() => !/Skip/.test(document.querySelector('[data-testid=tour-next]')?.textContent ?? 'Skip'), null, { timeout: 60_000 });
}

async function typeSql(sql: string): Promise<void> {
  await page.click('.sql-console .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Control+Enter');
}

describe('teaching mode in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`);
    mkdirSync(SHOTS, { recursive: true });
    execSync('npx vite build', { stdio: 'pipe' });
    const port = await freePort();
    server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'pipe', detached: true });
    baseUrl = `http://127.0.0.1:${port}/`;
    await waitForHttp(baseUrl, 30_000);
    userDir = mkdtempSync(join(tmpdir(), 'raftlite-e2e-'));
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      viewport: { width: 1280, height: 720 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(baseUrl);
    await page.waitForSelector('[data-testid=cluster-view] svg');
  });

  afterAll(async () => {
    await context?.close();
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it('tour 1: a replicated state machine, with the learner typing the INSERT', async () => {
    await startTour('rsm');
    await shot(page, 't1-start');
    await nextStep();
    await waitForPaused();
    await shot(page, 't1-log');
    await nextStep();
    expect(await page.getAttribute('[data-testid=tour-task]', 'data-done')).toBe('false');
    await typeSql("INSERT INTO fruit VALUES('apple', 3)");
    // Doing the asked action moves the tour on by itself.
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '3');
    await waitForPaused();
    await shot(page, 't1-identical');
    const answers = await page.locator('[data-testid=result-table]').allInnerTexts();
    expect(answers.slice(-3).every((a) => a.includes('apple'))).toBe(true);
    await nextStep();
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 2: leader election, with the learner killing the leader', async () => {
    await startTour('election');
    await nextStep();
    await waitForPaused();
    await shot(page, 't2-candidates');
    await nextStep();
    await nextStep();
    await nextStep();
    await nextStep();
    const leader = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    expect(leader).toBeTruthy();
    await shot(page, 't2-task');
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-kill]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '6');
    await waitForPaused();
    const next = await page.getAttribute('[data-testid=status-line]', 'data-leader');
    expect(next).toBeTruthy();
    expect(next).not.toBe(leader);
    await shot(page, 't2-new-leader');
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 4: leader crash and log repair, with the learner crashing and restarting', async () => {
    await startTour('crash');
    await nextStep();
    await waitForPaused();
    await nextStep();
    const leader = (await page.getAttribute('[data-testid=status-line]', 'data-leader'))!;
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=tab-node]');
    await page.click('[data-testid=np-kill]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '3');
    await waitForPaused();
    await nextStep();
    await page.click(`[data-testid=node-${leader}]`);
    await page.click('[data-testid=np-restart]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '5');
    await waitForPaused();
    await shot(page, 't4-conflict');
    await nextStep();
    await waitForPaused();
    await shot(page, 't4-repaired');
    const commits = await page.locator('[data-testid^=log-n]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-last')));
    expect(new Set(commits).size).toBe(1);
    await nextStep();
    expect(await page.locator('[data-testid=tour-panel]').count()).toBe(0);
  });

  it('tour 7: read consistency, using "do it for me"', async () => {
    await startTour('reads');
    for (let k = 0; k < 3; k++) await nextStep();
    await page.click('[data-testid=tour-do-it]');
    await page.waitForFunction(() => document.querySelector('[data-testid=tour-panel]')?.getAttribute('data-step') === '4');
    await waitForPaused();
    await nextStep();
    await waitForPaused();
    await shot(page, 't7-reads');
    const results = await page.locator('[data-testid=result-entry]').allInnerTexts();
    expect(results.some((r) => r.includes('old'))).toBe(true);
    expect(results.some((r) => r.includes('new'))).toBe(true);
    await nextStep();
    expect(pageErrors).toEqual([]);
  });
});

export { readFileSync };
