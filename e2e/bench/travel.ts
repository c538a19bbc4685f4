// Time travel in the page over a 30-simulated-minute, 9-node history: jumps, forks (acting in the
// past) and a reload at several moments, as main-thread work read from the DevTools Protocol, and
// the memory 100 forks leave behind. Called once from bench-ui.ts; returns rows of its table.
import type { CDPSession, Page } from 'playwright-core';

export type Row = [string, string, string, string, string];

const MINUTES = Number(process.env.BENCH_TRAVEL_MINUTES ?? 30);
const POINTS = [1, 10, 20, 30].filter((m) => m <= MINUTES);
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const MB = 1048576;

/**
 * The page is left idle this long before each measurement: what the work before it left to do (the
 * garbage of a 12-second build, a jump's event rows read when idle) is done by then, and not
 * counted against the next. Measured straight after the build, "two idle frames" took 42 ms of
 * CPU where the same two frames take 2-3 ms once the page has settled.
 */
const SETTLE_MS = 500;

/**
 * Main-thread time (the DevTools Protocol's TaskDuration: script, style, layout, paint) spent while
 * `work` runs and the next two frames paint, and the main thread's CPU time over the same span
 * (ThreadTime: on a loaded machine TaskDuration also counts the time the thread waited for a core);
 * `sync` is what `work` timed of its own synchronous part.
 */
async function mainThread(cdp: CDPSession, page: Page, work: () => Promise<number>): Promise<{ task: number; cpu: number; sync: number }> {
  await page.waitForTimeout(SETTLE_MS);
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { task: get('TaskDuration'), cpu: get('ThreadTime') };
  };
  const before = await read();
  const sync = await work();
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const after = await read();
  return { task: after.task - before.task, cpu: after.cpu - before.cpu, sync };
}

/** JS heap and ArrayBuffer backing stores (sql.js's wasm memory, checkpoint images) after a full GC. */
async function memory(cdp: CDPSession): Promise<{ heap: number; buffers: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  return { heap: u.usedSize, buffers: u.backingStorageSize ?? NaN };
}

/** A paused 9-node run with a write a second for `minutes` simulated minutes (or `rows` rows at once). */
async function history(page: Page, minutes: number, rows = 0): Promise<number> {
  return page.evaluate(
    ([minutes, rows]) => {
      const store = window.raftlite;
      const s = store.getState();
      s.pause();
      s.newCluster({ ...s.options, nodes: 9 });
      const t0 = performance.now();
      const op = (sql: string) => ({ op: 'execute' as const, req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } });
      store.getState().drive((d) => {
        d.sim.runTo(2000);
        const create = 'CREATE TABLE t(k INTEGER, v TEXT)';
        d.request('n1', op(create), create);
        if (rows > 0) {
          d.sim.runTo(2500);
          const fill = `INSERT INTO t WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT ${rows}) SELECT i, 'value-' || i FROM c`;
          d.request('n1', op(fill), fill);
        }
        const end = minutes * 60_000;
        for (let t = 3000; t < end; t += 1000) {
          d.sim.runTo(t);
          const sql = `INSERT INTO t VALUES (${t}, 'v')`;
          d.request('n1', op(sql), sql);
        }
        d.sim.runTo(end);
      });
      return performance.now() - t0;
    },
    [minutes, rows] as const,
  );
}

/** Rounds of jumps and forks, each on a history built afresh (a fork forgets the future). */
const ROUNDS = Number(process.env.BENCH_TRAVEL_ROUNDS ?? 3);

interface Sample {
  task: number;
  cpu: number;
  sync: number;
  replay?: number;
}

/** min / median of one figure over the rounds. */
function spread(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${fmt(s[0])} / ${fmt(s[s.length >> 1])}`;
}

/** "main thread min / median (CPU min / median)" over the rounds. */
function summary(xs: readonly Sample[]): string {
  return `${spread(xs.map((x) => x.task))} ms (CPU ${spread(xs.map((x) => x.cpu))})`;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function benchTravel(page: Page): Promise<Row[]> {
  const rows: Row[] = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const builds: number[] = [];
  const idles: Sample[] = [];
  const jumps = POINTS.map((): Sample[] => []);
  const forks = POINTS.map((): Sample[] => []);
  let reload: Sample | null = null;
  let longest = 0;

  for (let round = 0; round < ROUNDS; round++) {
    builds.push(await history(page, MINUTES));
    idles.push(await mainThread(cdp, page, async () => 0));
    for (const [k, m] of POINTS.entries()) {
      jumps[k].push(
        await mainThread(cdp, page, () =>
          page.evaluate((t) => {
            const t0 = performance.now();
            window.raftlite.getState().seekTime(t);
            return performance.now() - t0;
          }, m * 60_000 - 500),
        ),
      );
    }
    // A reload replays the saved run: the same work as opening a saved session or a shared link. It
    // runs in slices between frames (restoreRun): the whole of it, and the longest task it held the
    // page for (Long Tasks API: tasks of 50 ms or more; none means every task was shorter). Once:
    // it takes some 14 s.
    if (round === 0) {
      reload = await mainThread(cdp, page, () =>
        page.evaluate(async () => {
          const store = window.raftlite;
          const run = store.getState().currentRun()!;
          const long: number[] = [];
          const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
          observer.observe({ type: 'longtask' });
          const t0 = performance.now();
          await store.getState().restoreRun({ ...run, frame: run.frame, time: run.time }, 'Restoring');
          const wall = performance.now() - t0;
          await new Promise((r) => setTimeout(r, 0));
          long.push(...observer.takeRecords().map((e) => e.duration));
          observer.disconnect();
          (window as unknown as { benchLongest: number }).benchLongest = long.length > 0 ? Math.max(...long) : 0;
          return wall;
        }),
      );
      longest = await page.evaluate(() => (window as unknown as { benchLongest: number }).benchLongest);
    }
    // Latest moment first: a fork forgets the future, so the earlier moments stay in the history.
    for (const [k, m] of [...POINTS.entries()].reverse()) {
      const fork: Sample = await mainThread(cdp, page, () =>
        page.evaluate((t) => {
          const store = window.raftlite;
          store.getState().seekTime(t);
          const t0 = performance.now();
          store.getState().act({ kind: 'kill', node: 'n9' });
          return performance.now() - t0;
        }, m * 60_000 - 500),
      );
      fork.replay = await page.evaluate(() => window.raftlite.getState().lastReplayMs ?? NaN);
      forks[k].push(fork);
    }
  }

  const floor = median(idles.map((x) => x.task));
  const base = `two idle frames: ${summary(idles)}`;
  const rounds = `${ROUNDS} rounds, min / median`;
  rows.push([`a ${MINUTES}-min 9-node history, a write a second (built ${ROUNDS} times)`, `${spread(builds.map((b) => b / 1000))} s`, '-', '-', '-']);
  for (const [k, m] of POINTS.entries()) {
    const sync = median(jumps[k].map((j) => j.sync));
    rows.push([`jump to minute ${m}: main thread (${rounds})`, summary(jumps[k]), `${base}; seekTime() ${fmt(sync)} ms (median)`, fmt(median(jumps[k].map((j) => j.task)) / floor, 1), '≤ 100 ms']);
  }
  if (reload) {
    rows.push([`reload (load the saved ${MINUTES}-min run): main thread`, `${fmt(reload.task, 0)} ms (CPU ${fmt(reload.cpu, 0)})`, `${base}; in slices over ${fmt(reload.sync / 1000)} s`, fmt(reload.task / floor, 0), '≤ 100 ms']);
    rows.push([`reload: the longest task it held the page for`, longest > 0 ? `${fmt(longest, 0)} ms` : '< 50 ms', 'Long Tasks API (reports tasks of 50 ms or more)', '-', '-']);
  }
  for (const [k, m] of [...POINTS.entries()].reverse()) {
    const f = forks[k];
    const detail = `act() ${spread(f.map((x) => x.sync))} ms, of it replaying ${spread(f.map((x) => x.replay ?? NaN))} ms`;
    rows.push([`fork at minute ${m} (act in the past): main thread (${rounds})`, summary(f), `${base}; ${detail}`, fmt(median(f.map((x) => x.task)) / floor, 1), '≤ 100 ms']);
  }

  // 100 forks of a 9-node run holding 20,000 rows: what the dropped runs leave behind.
  await history(page, 0.5, 20_000);
  const forkOnce = () =>
    page.evaluate(() => {
      const store = window.raftlite;
      const st = store.getState();
      st.seekTime(Math.max(0, st.time - 200));
      st.act({ kind: 'network', drop: 0 });
    });
  await forkOnce();
  const first = await memory(cdp);
  const t0 = Date.now();
  for (let i = 1; i < 100; i++) await forkOnce();
  const perFork = (Date.now() - t0) / 99;
  const last = await memory(cdp);
  rows.push([
    `100 forks of a 9-node, 20,000-row run (${fmt(perFork, 0)} ms wall each)`,
    `JS heap ${fmt(last.heap / MB)} MB, buffers ${fmt(last.buffers / MB)} MB`,
    `after the first: ${fmt(first.heap / MB)} MB, ${fmt(first.buffers / MB)} MB`,
    `${fmt(last.heap / first.heap, 2)} / ${fmt(last.buffers / first.buffers, 2)}`,
    'flat (1.0)',
  ]);
  await cdp.detach();
  return rows;
}
