// The page's frame budget, for `npm run bench:ui`: main-thread work per animation frame from the
// DevTools Protocol's own counters (Performance.getMetrics), not frame time. Headless Chromium caps
// animation frames at about 60 Hz, so a frame time of 16.7 ms says nothing of how much of the frame
// was used; TaskDuration / frames does.
import type { CDPSession, Page } from 'playwright-core';
import { measureFixed } from './fixedWork';
import { metrics, type Metric } from './metrics';

export type BenchRow = [string, string, string, string, string];

export interface Work {
  frames: number;
  seconds: number;
  /** Main-thread milliseconds per frame: all tasks (wall time), and the parts the protocol names. */
  task: number;
  /** The main thread's CPU time per frame (ThreadTime): what a loaded machine does not inflate. */
  cpu: number;
  script: number;
  layout: number;
  style: number;
  /** Of `script`: the simulation advancing (the store's tick). */
  sim: number;
  /**
   * The longest single tick of the window, in ms: a frame whose simulation took a checkpoint (every
   * node's database exported) costs far more than the average says.
   */
  simLongest: number;
}

export interface Writes {
  /** Writes submitted per second of the window, and answered (committed and applied) per second. */
  sent: number;
  answered: number;
}

/**
 * Count animation frames for `seconds` while, if `rate` > 0, a writer submits INSERTs at that rate.
 * The writer catches up: each time it runs it sends every write due by the clock, so a late timer
 * (a busy main thread delays setInterval) still achieves the rate asked for.
 */
function window_(page: Page, seconds: number, rate: number) {
  return page.evaluate(
    async ({ seconds, rate }) => {
      const store = window.raftlite;
      const t0 = performance.now();
      const firstId = store.getState().entries.length;
      let sent = 0;
      const write = () => {
        const due = Math.floor(((performance.now() - t0) / 1000) * rate);
        for (; sent < due; sent++) store.getState().submit(`INSERT INTO t VALUES (${sent}, 'value ${sent}')`);
      };
      const writer = rate > 0 ? setInterval(write, 1000 / rate) : null;
      // The simulation's share: the store's tick (advancing the cluster) timed from outside.
      const tick = store.getState().tick;
      let simMs = 0;
      let simLongest = 0;
      store.setState({
        tick: (ms: number) => {
          const a = performance.now();
          tick(ms);
          const took = performance.now() - a;
          simMs += took;
          simLongest = Math.max(simLongest, took);
        },
      });
      let frames = 0;
      await new Promise<void>((resolve) => {
        const tick = (now: number) => {
          frames++;
          if (now - t0 < seconds * 1000) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      if (writer) {
        clearInterval(writer);
        write();
      }
      store.setState({ tick });
      const elapsed = (performance.now() - t0) / 1000;
      const s = store.getState();
      const answered = s.entries
        .slice(firstId)
        .filter((e) => e.answeredAt !== null && e.answeredAt <= s.time).length;
      return { frames, elapsed, sent, answered, simMs, simLongest };
    },
    { seconds, rate },
  );
}

/** Main-thread work per frame over `seconds`, with `rate` INSERTs a second submitted meanwhile. */
export async function measure(
  page: Page,
  cdp: CDPSession,
  seconds: number,
  rate = 0,
): Promise<Work & Writes> {
  const before = await metrics(cdp);
  const w = await window_(page, seconds, rate);
  const after = await metrics(cdp);
  const per = (k: Metric) => (after[k] - before[k]) / w.frames;
  return {
    frames: w.frames,
    seconds: w.elapsed,
    task: per('TaskDuration'),
    cpu: per('ThreadTime'),
    script: per('ScriptDuration'),
    layout: per('LayoutDuration'),
    style: per('RecalcStyleDuration'),
    sim: w.simMs / w.frames,
    simLongest: w.simLongest,
    sent: w.sent / w.elapsed,
    answered: w.answered / w.elapsed,
  };
}

/** DOM mutations per second while the page plays (what the browser then has to style, lay out and paint). */
function mutations(page: Page, seconds: number, rate: number) {
  return page.evaluate(
    async ({ seconds, rate }) => {
      let n = 0;
      const obs = new MutationObserver((records) => {
        for (const r of records)
          n += r.type === 'childList' ? r.addedNodes.length + r.removedNodes.length : 1;
      });
      obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      const store = window.raftlite;
      const t0 = performance.now();
      let sent = 0;
      const writer = setInterval(
        () => {
          const due = Math.floor(((performance.now() - t0) / 1000) * rate);
          for (; sent < due; sent++) store.getState().submit(`INSERT INTO t VALUES (${-sent}, 'm')`);
        },
        1000 / Math.max(1, rate),
      );
      await new Promise((r) => setTimeout(r, seconds * 1000));
      clearInterval(writer);
      obs.disconnect();
      return n / ((performance.now() - t0) / 1000);
    },
    { seconds, rate },
  );
}

const f = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const split = (w: Work) =>
  `wall ${f(w.task, 2)} ms = script ${f(w.script, 2)} (the simulation ${f(w.sim, 2)}, its longest frame ${f(w.simLongest, 1)}) + style and layout ${f(w.style + w.layout, 2)} + the rest (paint, commit, GC) ${f(w.task - w.script - w.style - w.layout, 2)}; ${f(w.frames / w.seconds, 0)} fps`;
const cpu = (w: Work) => `${f(w.cpu, 2)} ms CPU`;

/**
 * A long class session: `entries` requests in the console (and in the run's inputs and timeline),
 * recorded through the store on a fresh 5-node cluster, then the page playing on from its end at 1×.
 */
export function classSession(page: Page, entries = 20_000): Promise<{ ms: number; entries: number }> {
  return page.evaluate(async (n) => {
    const store = window.raftlite;
    const s = store.getState();
    s.pause();
    s.newCluster({ ...s.options, nodes: 5 });
    const t0 = performance.now();
    store.getState().drive((d) => {
      d.sim.runTo(2000);
      const execute = (sql: string) =>
        d.request(
          'n1',
          { op: 'execute', req: { statements: [{ sql }], transaction: false, queue: false, timeout: 5000 } },
          sql,
        );
      const query = (sql: string) =>
        d.request('n1', { op: 'query', req: { statements: [{ sql }], level: 'none', timeout: 5000 } }, sql);
      execute('CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)');
      // Ten requests every 100 ms of simulated time, a write and nine reads, as a class types
      // them: 20,000 entries in 200 simulated seconds. The table stays small (the writes replace
      // 50 rows), so what is measured is the page holding the session, not a big database.
      for (let k = 1, t = 2100; k < n; t += 100) {
        d.sim.runTo(t);
        for (let j = 0; j < 10 && k < n; j++, k++) {
          if (j === 0) execute(`INSERT OR REPLACE INTO t VALUES (${k % 50}, 'v${k}')`);
          else query(`SELECT v FROM t WHERE k = ${k % 50}`);
        }
      }
      d.sim.runTo(d.sim.now + 1000);
    });
    const end = store.getState();
    end.seekTime(Number.MAX_SAFE_INTEGER);
    store.getState().setSpeed(1);
    store.getState().play();
    await new Promise((r) => setTimeout(r, 1000));
    return { ms: performance.now() - t0, entries: store.getState().entries.length };
  }, entries);
}

/** A fresh 9-node cluster at 1×, a leader elected and table `t(k, v)` created, paused, with `tab` open. */
export async function nineNodesWithTable(page: Page, tab: string): Promise<void> {
  await page.click(`[data-testid=tab-${tab}]`);
  await page.evaluate(async () => {
    const s = window.raftlite.getState();
    s.newCluster({ ...s.options, nodes: 9 });
    s.setSpeed(1);
    s.play();
    await new Promise((r) => setTimeout(r, 1500));
    window.raftlite.getState().submit('CREATE TABLE t (k INTEGER, v TEXT)');
    await new Promise((r) => setTimeout(r, 500));
    window.raftlite.getState().pause();
  });
}

/**
 * The frame-budget rows: 9 nodes paused against 9 nodes playing at 1× with 50 writes/s (the rate
 * achieved is reported; the ratio column is the figure over its 6 ms target), then a long class session (20,000 console entries) playing. The inspector
 * shows the event list, the busiest panel.
 */
export async function frameBudgetRows(
  page: Page,
  seconds = 10,
  progress: (what: string) => void = () => undefined,
): Promise<BenchRow[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await nineNodesWithTable(page, 'events');
  progress('frames: 9 nodes paused');
  const idle = await measure(page, cdp, 3);
  progress(`frames: paused ${cpu(idle)}, ${split(idle)}; 9 nodes, 50 writes/s`);
  await page.evaluate(() => window.raftlite.getState().play());
  const busy = await measure(page, cdp, seconds, 50);
  progress(
    `frames: busy ${cpu(busy)}, ${split(busy)}; ${f(busy.sent)} writes/s sent, ${f(busy.answered)} answered`,
  );
  // The same 9 nodes with the same work in every frame: in real time the page is CPU-bound, and a
  // frame that took longer carried more simulation (fixedWork.ts).
  const fixed = await measureFixed(page, cdp);
  progress(`frames: fixed work ${cpu(fixed)}, ${split(fixed)}`);
  const dom = await mutations(page, 3, 50);
  const rows: BenchRow[] = [
    ['main thread per frame, 9 nodes, paused', cpu(idle), split(idle), '-', '-'],
    [
      'main thread per frame, 9 nodes, 50 writes/s, playing 1×',
      cpu(busy),
      `paused: ${cpu(idle)}; ${split(busy)}`,
      f(busy.cpu / 6, 2),
      '≤ 6 ms',
    ],
    [
      '  the same, with the same work in every frame (16.7 simulated ms and its writes)',
      cpu(fixed),
      `paused: ${cpu(idle)}; ${split(fixed)}`,
      f(fixed.cpu / 6, 2),
      '≤ 6 ms',
    ],
    [
      '  writes/s achieved (sent / answered on screen)',
      `${f(busy.sent)} / ${f(busy.answered)}`,
      'asked: 50',
      f(busy.answered / 50, 2),
      '50',
    ],
    ['  DOM mutations/s, 9 nodes, 50 writes/s', f(dom, 0), '-', '-', '-'],
  ];

  progress('frames: building 20,000 console entries');
  const build = await classSession(page);
  progress(`frames: built in ${f(build.ms / 1000)} s; playing`);
  const long = await measure(page, cdp, seconds);
  rows.push([
    `main thread per frame, ${f(build.entries, 0)} console entries, 5 nodes, playing 1×`,
    cpu(long),
    `paused 9 nodes: ${cpu(idle)}; ${split(long)}`,
    f(long.cpu / 6, 2),
    '≤ 6 ms',
  ]);
  progress(`frames: 20k entries ${cpu(long)}, ${split(long)}`);
  await page.evaluate(() => window.raftlite.getState().pause());
  await cdp.detach();
  return rows;
}
