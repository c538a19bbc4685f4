import type { StoreApi } from 'zustand';
import { RunLoad } from '../replay/runLoad';
import type { AnswerSink } from '../replay/simulation';
import type { ConsoleEntry, RunRecord } from '../replay/types';
import { answerInto, entriesOfRun } from './consoleEntries';
import { ensureAhead, follow, getSim, PAGE_RUN, replaceSim, reserveRequestIds, sqlJs } from './current';
import type { AppState } from './store';
import { yieldToPage } from './yieldToPage';

/** How long a restore may hold the page at once: the first slice, then each one between frames. */
const FIRST_SLICE_MS = 40;
const SLICE_MS = 12;

interface Loading {
  job: RunLoad;
  /** The new run's console, answered as its replay goes. */
  entries: ConsoleEntry[];
  t0: number;
  /** The run is on screen: its answers go to the store's console from now on. */
  shown: () => void;
}

type Set = StoreApi<AppState>['setState'];

/**
 * Loading a recorded run (a saved session, a shared link, an imported file): at once for scripts and
 * tests, or in slices between frames for the page, which a 30-minute session froze for 31 s.
 */
export function loadActions(set: Set, onAnswer: AnswerSink): Pick<AppState, 'loadRun' | 'restoreRun' | 'cancelRestore'> & { cancelLoads(): void } {
  /** The restore under way, if any; `cancelled` stops it at its next slice. */
  let loading: { cancelled: boolean } | null = null;

  /** Begin rebuilding `run` in place of the current one, which stays on screen until `finish`. */
  const begin = (run: RunRecord): Loading | null => {
    const SQL = sqlJs();
    if (!SQL) return null;
    const entries = entriesOfRun(run);
    reserveRequestIds(entries.reduce((next, e) => Math.max(next, e.id + 1), 0));
    // Answers land in the new console while it is replayed, then in the store's once it is shown.
    let sink: AnswerSink = answerInto(entries);
    const load: Loading = {
      job: new RunLoad(SQL, run, (id, answer, time) => sink(id, answer, time), (n) => follow(n), PAGE_RUN),
      entries,
      t0: performance.now(),
      shown: () => (sink = onAnswer),
    };
    set({ playing: false });
    return load;
  };

  const finish = ({ job, entries, t0, shown }: Loading) => {
    const { run } = job;
    const loaded = replaceSim(job.sim);
    shown();
    const frame = Math.min(run.frame, loaded.frames.length - 1);
    const time = Math.max(run.time, loaded.frames.time(frame));
    ensureAhead(loaded, time);
    set((st) => ({
      options: run.options,
      revision: st.revision + 1,
      lastReplayMs: performance.now() - t0,
      entries,
      frame,
      time,
      playing: false,
      selected: null,
      selectedMsg: null,
      settings: { ...st.settings, node: 'n1' },
    }));
  };

  /**
   * A load stopped half-way: its databases freed, and with `refollow` the indexes back on the run
   * shown. Not when another load took over: they follow that one's replay, and moved back they would
   * have to read all of it back at its end, replaying every dropped chunk again.
   */
  const abandon = ({ job }: Loading, refollow: boolean) => {
    job.sim.cluster.dispose();
    const shown = getSim();
    if (shown && refollow) follow(shown);
  };

  /** Stop the load under way at its next slice: something else is put in place. */
  const cancel = () => {
    if (loading) loading.cancelled = true;
    loading = null;
  };

  return {
    loadRun(run) {
      cancel();
      const load = begin(run);
      if (!load) return;
      try {
        load.job.advance(() => false);
      } catch (e) {
        abandon(load, true);
        throw e;
      }
      finish(load);
    },

    async restoreRun(run, what, cancelLabel = 'Cancel') {
      cancel();
      const load = begin(run);
      if (!load) return false;
      const mine = { cancelled: false };
      loading = mine;
      /** The load is over, done or not; what it shows is only cleared if no other load took over. */
      const over = (): boolean => {
        const current = loading === mine;
        if (current) {
          loading = null;
          set({ restoring: null });
        }
        return current;
      };
      try {
        // Short sessions are restored in one go, never flashing the progress screen.
        for (let budget = FIRST_SLICE_MS; ; budget = SLICE_MS) {
          const end = performance.now() + budget;
          if (load.job.advance(() => performance.now() >= end)) break;
          set({ restoring: { ...load.job.progress, what, cancel: cancelLabel } });
          await yieldToPage();
          if (mine.cancelled) {
            abandon(load, over());
            return false;
          }
        }
      } catch (e) {
        abandon(load, over());
        throw e;
      }
      over();
      finish(load);
      return true;
    },

    cancelRestore() {
      if (loading) loading.cancelled = true;
    },

    cancelLoads: cancel,
  };
}
