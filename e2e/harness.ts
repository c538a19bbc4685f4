import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The end-to-end harness: the built app served by `vite preview` on a free port, and Debian's
 * Chromium driven by playwright-core in a throwaway profile. Each test file starts one in its
 * `beforeAll` and closes it in its `afterAll`.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Where screenshots (and any files a test saves) go. */
export const SHOTS = join(process.cwd(), 'test-results', 'e2e');

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

export interface StartOptions {
  /** Names the profile directory, `raftlite-e2e-<name>-…` in the system's temporary folder. */
  name?: string;
  /** A selector to wait for after the first page has loaded the app. */
  ready?: string;
  /** More options for the browser context (`acceptDownloads`, …). */
  context?: Omit<ContextOptions, 'executablePath' | 'args' | 'headless' | 'viewport'>;
}

export interface App {
  /** The app's address, `http://127.0.0.1:<port>/`. */
  url: string;
  context: BrowserContext;
  /** The first tab, already on `url`. */
  page: Page;
  /** Uncaught errors from every page opened through the harness. */
  pageErrors: string[];
  /** Screenshot `p` (the first tab unless given) to test-results/e2e/<name>.png. */
  shot(name: string, p?: Page): Promise<void>;
  /** Another tab in the same browser, its errors collected with the first one's. */
  newPage(): Promise<Page>;
  /** Close the browser, stop the server and remove the profile. */
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitForHttp(url: string, ms: number): Promise<void> {
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

/** Serve the build (RAFTLITE_OUT_DIR, else dist/) and open it in Chromium. */
export async function startApp(options: StartOptions = {}): Promise<App> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium)`,
    );
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const outDir = process.env.RAFTLITE_OUT_DIR ?? 'dist';
  const server: ChildProcess = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir],
    { stdio: 'pipe', detached: true },
  );
  let context: BrowserContext | undefined;
  let userDir: string | undefined;
  const pageErrors: string[] = [];
  const watch = (p: Page) => p.on('pageerror', (e) => pageErrors.push(e.message));

  const close = async () => {
    await context?.close();
    // The server was started detached: stop its whole process group (npx, vite and esbuild).
    if (server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    }
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  };

  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, 30_000);
    userDir = mkdtempSync(join(tmpdir(), options.name ? `raftlite-e2e-${options.name}-` : 'raftlite-e2e-'));
    context = await chromium.launchPersistentContext(userDir, {
      ...options.context,
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      viewport: { width: 1280, height: 720 },
    });
    const ctx = context;
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    watch(page);
    await page.goto(url);
    if (options.ready) await page.waitForSelector(options.ready);
    return {
      url,
      context: ctx,
      page,
      pageErrors,
      shot: async (name, p = page) => {
        await p.screenshot({ path: join(SHOTS, `${name}.png`) });
      },
      newPage: async () => {
        const p = await ctx.newPage();
        watch(p);
        return p;
      },
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}

/**
 * The text of `selector` as drawn, two animation frames after the call: what a click asked the
 * store for is drawn in the frame after it (the event list and the console follow the frame on
 * screen), so a read straight after a click could see the list from before it.
 */
export async function shownText(page: Page, selector: string): Promise<string> {
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
  return page.innerText(selector);
}

/** Type `sql` into the console's editor, replacing what it held, and run it (Ctrl+Enter). */
export async function typeSql(page: Page, sql: string): Promise<void> {
  await page.click('.sql-console .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Control+Enter');
}

/** Run `sql` from the console and wait for its answer: the new entry's state ("ok", "error") and text. */
export async function runSql(page: Page, sql: string): Promise<{ state: string; text: string }> {
  const before = await page.locator('[data-testid=result-entry]').count();
  await typeSql(page, sql);
  await page.waitForFunction(
    (i) => {
      const e = document.querySelectorAll('[data-testid=result-entry]')[i];
      return !!e && e.getAttribute('data-state') !== 'pending';
    },
    before,
    { timeout: 30_000 },
  );
  const entry = page.locator('[data-testid=result-entry]').nth(before);
  const state = (await entry.getAttribute('data-state')) ?? '';
  return { state, text: await shownText(page, `[data-testid=result-entry] >> nth=${before}`) };
}

/** The centre of the cell of log index `index` in `node`'s strip, on the page (the strips are drawn on a canvas). */
export async function logCellPoint(page: Page, node: string, index: number): Promise<{ x: number; y: number }> {
  const from = Number(await page.getAttribute('[data-testid=log-strips]', 'data-from'));
  const canvas = page.locator(`[data-testid=log-${node}] canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const columns = await canvas.evaluate((c) => parseFloat((c as HTMLCanvasElement).style.width) / 14);
  return { x: box.x + ((index - from + 0.5) / columns) * box.width, y: box.y + box.height / 2 };
}
