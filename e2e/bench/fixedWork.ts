// The same work in every frame, for comparing two builds on a machine whose load moves: the store
// advances the cluster by 16.7 simulated ms per animation frame (not by the time the frame took)
// and the writer submits 50 writes per simulated second, so a slow frame does not carry more of the
// simulation into the next, and CPU per frame measures the page's work, not the machine's frame rate.
import type { CDPSession, Page } from 'playwright-core';
import type { Work } from './frames';
import { metrics, type Metric } from './metrics';

const FRAME_MS = 1000 / 60;

/** Play `frames` animation frames of fixed work (`rate` INSERTs a simulated second into table t). */
function play(page: Page, frames: number, rate: number): Promise<{ seconds: number; simMs: number; simLongest: number }> {
  return page.evaluate(
    async ({ frames, rate, frameMs }) => {
      const store = window.raftlite;
      const tick = store.getState().tick;
      let simMs = 0;
      let simLongest = 0;
      store.setState({
        tick: () => {
          const a = performance.now();
          tick(frameMs);
          const took = performance.now() - a;
          simMs += took;
          simLongest = Math.max(simLongest, took);
        },
      });
      const wasPlaying = store.getState().playing;
      store.getState().play();
      const t0 = performance.now();
      let k = 0;
      let sent = 0;
      await new Promise<void>((done) => {
        const frame = () => {
          k++;
          for (const due = Math.floor((k * frameMs * rate) / 1000); sent < due; sent++)
            store.getState().submit(`INSERT INTO t VALUES (${-1_000_000 - sent}, 'fixed')`);
          if (k < frames) requestAnimationFrame(frame);
          else done();
        };
        requestAnimationFrame(frame);
      });
      if (!wasPlaying) store.getState().pause();
      store.setState({ tick });
      return { seconds: (performance.now() - t0) / 1000, simMs, simLongest };
    },
    { frames, rate, frameMs: FRAME_MS },
  );
}

/** Main-thread work per frame over `frames` frames of fixed work, after a warm-up of 120. */
export async function measureFixed(page: Page, cdp: CDPSession, frames = 300, rate = 50): Promise<Work> {
  await play(page, 120, rate);
  const before = await metrics(cdp);
  const w = await play(page, frames, rate);
  const after = await metrics(cdp);
  const per = (k: Metric) => (after[k] - before[k]) / frames;
  return {
    frames,
    seconds: w.seconds,
    task: per('TaskDuration'),
    cpu: per('ThreadTime'),
    script: per('ScriptDuration'),
    layout: per('LayoutDuration'),
    style: per('RecalcStyleDuration'),
    sim: w.simMs / frames,
    simLongest: w.simLongest,
  };
}
