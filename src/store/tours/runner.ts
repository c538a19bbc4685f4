import { create } from 'zustand';
import { useHighlight } from '../highlight';
import { LoadFailed, loadPart } from '../loadPart';
import { useStore } from '../store';
import type { TourEngine } from './engine';
import { loadMemory, saveMemory } from './memory';
import type { TourContext, TourState } from './runnerState';

/**
 * The tour store: which tour, which step, its text as of its moment. The learner's buttons are its
 * actions. The tours themselves (their text, scenarios and checks: a fifth of the page's script)
 * and what moves through them (engine.ts) load when a tour is first started or resumed, not with
 * the page; until then no tour runs, so the actions that move one have nothing to do.
 */
export const useTour = create<TourState>()((set, get) => {
  const ctx: TourContext = { set, get, running: null, rebuilding: false };
  let engine: TourEngine | null = null;
  let loading: Promise<TourEngine> | null = null;
  const load = () => (loading ??= loadPart('The guided tours', () => import('./engine')).then((m) => (engine = m.createEngine(ctx))));
  /** A failed load is said, and tried again when a tour is next asked for. */
  const failed = (e: unknown) => {
    if (!(e instanceof LoadFailed)) throw e;
    loading = null;
    useStore.getState().setNotice(e.message);
  };

  return {
    tour: null,
    index: 0,
    taskDone: true,
    playing: false,
    results: [],
    text: [],
    moment: null,
    vars: {},
    problems: [],
    rebuilt: false,
    drift: null,
    note: null,

    async start(id) {
      const e = await load().catch(failed);
      e?.start(id);
    },
    next: () => engine?.next(),
    previous: () => engine?.previous(),
    skip: () => engine?.skip(),
    doTask: () => engine?.doTask(),
    back: () => engine?.back(),

    exit() {
      ctx.running?.unsubscribe();
      ctx.running = null;
      saveMemory(null);
      useHighlight.getState().setHighlight(null);
      set({ tour: null, index: 0, taskDone: true, playing: false, text: [], moment: null, problems: [], drift: null, note: null, rebuilt: false });
    },

    detach() {
      ctx.running?.unsubscribe();
      ctx.running = null;
      useHighlight.getState().setHighlight(null);
      set({ tour: null, index: 0, taskDone: true, playing: false, results: [], vars: {}, text: [], moment: null });
    },

    async resume() {
      // No tour was saved: nothing to load.
      if (!loadMemory()) return false;
      const e = await load().catch(failed);
      return e?.resume() ?? false;
    },
  };
});
