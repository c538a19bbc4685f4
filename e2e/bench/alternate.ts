// `npx tsx e2e/bench/alternate.ts DIR_A DIR_B [reps] [--travel] [--console]`: two builds of the app
// (vite build --outDir) measured in turns in the same run, A B B A A B…, so a machine whose load
// drifts (shared cores) weighs on both alike. Per build: main-thread CPU per frame with 9 nodes
// playing at 50 writes/s (frames.ts), and with --travel the time-travel rows (travel.ts) once each.
// With --console the window is instead the long class session of frames.ts (20,000 console
// entries, 5 nodes) playing, first alone (the README's row), then with a class still writing
// (CONSOLE_RATE INSERTs a second, 10 unless set). With --fixed the 9-node window is instead the
// same work in every frame (fixedWork.ts): 16.7 simulated ms and its writes per animation frame,
// the figure least moved by the machine's load.
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARGS, CHROMIUM } from '../harness';
import { classSession, measure, nineNodesWithTable, type Work, type Writes } from './frames';
import { measureFixed } from './fixedWork';
import { benchTravel } from './travel';

const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const reps = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
const travel = args.includes('--travel');
const consoleMode = args.includes('--console');
const fixed = args.includes('--fixed');
const CONSOLE_RATE = Number(process.env.CONSOLE_RATE ?? 10);
if (dirs.length !== 2) {
  process.stderr.write('usage: npx tsx e2e/bench/alternate.ts DIR_A DIR_B [reps] [--travel | --console | --fixed]\n');
  process.exit(2);
}
const BASE_PORT = Number(process.env.BENCH_PORT ?? 4412);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function serve(dir: string, port: number): ChildProcess {
  return spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dir],
    { stdio: 'ignore', detached: true },
  );
}

async function open(page: Page, port: number): Promise<void> {
  // tsx keeps function names with a `__name` helper that does not exist inside the page.
  await page.addInitScript('window.__name = (f) => f');
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/`);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await page.waitForFunction(
    () =>
      window.raftlite?.getState().status === 'ready' &&
      document.querySelector('[data-testid=cluster-view] svg') !== null,
  );
}

const f = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d });
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  // Of an even count, the mean of the middle two (the upper one alone read high).
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const line = (w: Work & Writes) =>
  `${f(w.cpu)} ms CPU per frame (wall ${f(w.task)}: script ${f(w.script)}, the simulation ${f(w.sim)} (longest frame ${f(w.simLongest)}), style and layout ${f(w.style + w.layout)}), ${f(w.sent, 1)} writes/s sent, ${f(w.answered, 1)} answered, ${f(w.frames / w.seconds, 0)} fps`;

/** The console rows: per build, CPU per frame and fps of the class session alone and while writing. */
async function consoleRuns(browser: Browser): Promise<void> {
  const runs = dirs.map(() => ({ alone: [] as (Work & Writes)[], writing: [] as (Work & Writes)[] }));
  for (let r = 0; r < reps; r++) {
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await open(page, BASE_PORT + i);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await page.click('[data-testid=tab-events]');
      const built = await classSession(page);
      const alone = await measure(page, cdp, SECONDS);
      const writing = await measure(page, cdp, SECONDS, CONSOLE_RATE);
      runs[i].alone.push(alone);
      runs[i].writing.push(writing);
      process.stdout.write(
        `${dirs[i]}: ${f(built.entries, 0)} entries (built in ${f(built.ms / 1000, 1)} s), playing: ${line(alone)}\n`,
      );
      process.stdout.write(`${dirs[i]}:   and ${CONSOLE_RATE} writes/s: ${line(writing)}\n`);
      await page.close();
    }
  }
  const sum = (ws: (Work & Writes)[]) => {
    const cpu = ws.map((w) => w.cpu);
    const fps = ws.map((w) => w.frames / w.seconds);
    return `min ${f(Math.min(...cpu))} / median ${f(median(cpu))} ms CPU per frame, median ${f(median(fps), 0)} fps`;
  };
  dirs.forEach((d, i) => {
    process.stdout.write(`${d}: class session playing: ${sum(runs[i].alone)} (${reps} runs)\n`);
    process.stdout.write(`${d}:   and ${CONSOLE_RATE} writes/s: ${sum(runs[i].writing)}\n`);
  });
}

/** The default rows: 9 nodes at 50 writes/s in turns, then with --travel the time-travel rows. */
async function frameRuns(browser: Browser): Promise<void> {
  const cpu: number[][] = [[], []];
  const perSecond: number[][] = [[], []];
  for (let r = 0; r < reps; r++) {
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await open(page, BASE_PORT + i);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await nineNodesWithTable(page, 'events');
      await page.evaluate(() => window.raftlite.getState().play());
      const w = fixed ? { ...(await measureFixed(page, cdp)), sent: NaN, answered: NaN } : await measure(page, cdp, SECONDS, 50);
      cpu[i].push(w.cpu);
      perSecond[i].push((w.cpu * w.frames) / w.seconds);
      // A loaded machine drops frames: then a frame holds more of the simulation, and CPU per second says more.
      if (fixed) {
        process.stdout.write(`${dirs[i]}: ${f(w.cpu)} ms CPU per frame of fixed work (wall ${f(w.task)}, script ${f(w.script)}, the simulation ${f(w.sim)}, its longest frame ${f(w.simLongest)})\n`);
        await page.close();
        continue;
      }
      process.stdout.write(
        `${dirs[i]}: ${f(w.cpu)} ms CPU per frame, ${f((w.cpu * w.frames) / w.seconds, 0)} ms CPU per second (wall ${f(w.task)}, script ${f(w.script)}, the simulation ${f(w.sim)}), ${f(w.sent, 1)} writes/s sent, ${f(w.answered, 1)} answered, ${f(w.frames / w.seconds, 0)} fps\n`,
      );
      await page.close();
    }
  }
  if (reps > 0)
    dirs.forEach((d, i) =>
      process.stdout.write(
        `${d}: 9 nodes, 50 writes/s${fixed ? ' (fixed work)' : ''}: median ${f(median(cpu[i]))} ms CPU per frame, min ${f(Math.min(...cpu[i]))}${fixed ? '' : `; median ${f(median(perSecond[i]), 0)} ms CPU per second`} (${reps} runs)\n`,
      ),
    );
  if (travel) {
    for (const i of [0, 1]) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await open(page, BASE_PORT + i);
      for (const row of await benchTravel(page)) process.stdout.write(`${dirs[i]}: ${row.join(' | ')}\n`);
      await page.close();
    }
  }
}

// A port already served (a server left over from another run) would be measured in place of the build.
for (const port of [BASE_PORT, BASE_PORT + 1]) {
  const answered = await fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
  if (answered) {
    process.stderr.write(`port ${port} is already served: stop that server or set BENCH_PORT\n`);
    process.exit(2);
  }
}
const servers = dirs.map((d, i) => serve(d, BASE_PORT + i));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  if (consoleMode) await consoleRuns(browser);
  else await frameRuns(browser);
} finally {
  await browser.close();
  for (const s of servers) {
    try {
      if (s.pid) process.kill(-s.pid);
    } catch (e) {
      // Already gone (ESRCH): stop the others all the same.
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') process.stderr.write(`could not stop server ${s.pid}: ${String(e)}\n`);
    }
  }
}
