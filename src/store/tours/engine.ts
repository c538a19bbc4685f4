import { parseScenario } from '../../drive/scenario/parse';
import { getSim, useStore } from '../store';
import { TOURS } from './catalog';
import { failures } from './facts';
import { canonical, loadMemory } from './memory';
import { momentAt, type TourContext, type TourState } from './runnerState';
import { createStepper } from './stepper';
import type { Tour } from './types';
import { createWatcher } from './watcher';

/** The tour store's actions that need the tours themselves: loaded when a tour is first started (runner.ts). */
export interface TourEngine extends Pick<TourState, 'next' | 'previous' | 'skip' | 'doTask' | 'back'> {
  start(id: string | Tour): void;
  resume(): boolean;
}

/**
 * Moving through a tour: the stepper runs steps and shows their text, the watcher follows what the
 * learner does. `ctx` is the tour store's (runner.ts), shared with its own exit and detach.
 */
export function createEngine(ctx: TourContext): TourEngine {
  const { set, get } = ctx;
  // The stepper subscribes the watcher, and the watcher re-enters steps: tied here, after both exist.
  let watch: () => void = () => {};
  const stepper = createStepper(ctx, () => watch());
  watch = createWatcher(ctx, stepper);

  return {
    start(id) {
      const tour = typeof id === 'string' ? TOURS.find((t) => t.id === id) : id;
      if (!tour) return;
      get().exit();
      set({ tour, index: 0, results: [], vars: {} });
      ctx.running = stepper.open(tour);
      stepper.enter(0, true);
    },

    next() {
      const { tour, index } = get();
      if (!tour || !ctx.running) return;
      get().skip();
      if (index + 1 >= tour.steps.length) {
        get().exit();
        return;
      }
      stepper.enter(index + 1, true);
    },

    previous() {
      const { tour, index } = get();
      if (!tour || !ctx.running || index === 0) return;
      // Rebuilt, not scrubbed back: the run from the seed with every earlier step (and its task
      // done for the learner) is the only past in which the step's text is sure to hold.
      const speed = useStore.getState().speed;
      stepper.rebuild(index - 1);
      useStore.getState().setSpeed(speed);
      // The learner asked for it: nothing they changed was undone behind their back.
      set({ rebuilt: false });
    },

    skip() {
      const r = ctx.running;
      if (!r?.stop) return;
      const stop = r.stop;
      r.stop = null;
      set({ playing: false });
      useStore.setState({ playing: false, frame: stop.frame, time: stop.time });
    },

    doTask() {
      const { tour, index } = get();
      const task = tour?.steps[index]?.task;
      if (!task || !ctx.running) return;
      // The learner wandered off (played on, scrubbed): the task belongs to the step's moment.
      if (get().drift) get().back();
      if (ctx.running) stepper.perform(ctx.running, task, true);
    },

    back() {
      const { moment, tour, index } = get();
      const sim = getSim();
      if (!moment || !tour || !sim || !ctx.running) return;
      const holds =
        moment.frame < sim.frames.length &&
        failures(tour.steps[index].facts, momentAt(sim, moment.frame, get())).length === 0;
      if (holds) useStore.setState({ playing: false, frame: moment.frame, time: moment.time });
      else stepper.rebuild(index);
    },

    resume() {
      const mem = loadMemory();
      const tour = TOURS.find((t) => t.id === mem?.id);
      const st = useStore.getState();
      if (!mem || !tour || ctx.running || canonical(st.options) !== mem.options || getSim() === null)
        return false;
      const scenario = parseScenario(JSON.stringify(tour.scenario));
      ctx.running = {
        scenario,
        options: st.options,
        cursor: mem.cursor,
        stop: null,
        known: new WeakSet(),
        scripted: [],
        awaiting: null,
        advance: false,
        unsubscribe: useStore.subscribe(watch),
      };
      const step = tour.steps[mem.index];
      set({
        tour,
        index: mem.index,
        vars: mem.vars,
        results: mem.results,
        taskDone: !step.task,
        note: null,
        rebuilt: false,
        playing: false,
      });
      // The names stay those bound when the step was first shown: "the old leader" must not become whoever leads now.
      stepper.show(mem.index, { frame: st.frame, time: st.time }, false);
      return true;
    },
  };
}
