import { runUntil } from '../../drive/host';
import { runStep } from '../../drive/scenario/interpret';
import { parseScenario } from '../../drive/scenario/parse';
import type { StepOutput } from '../../drive/scenario/run';
import { simOptionsOf } from '../../replay/options';
import { pageHost } from '../../replay/pageHost';
import type { Driver } from '../../replay/types';
import { useHighlight } from '../highlight';
import { getSim, useStore } from '../store';
import { failures, resolveRef, type Moment } from './facts';
import { canonical, saveMemory } from './memory';
import { taskAction, taskNode } from './tasks';
import { render } from './template';
import type { Task, Tour } from './types';
import { momentAt, resolveHighlight, type At, type Running, type TourContext } from './runnerState';

/** How the runner moves through a tour: runs each step's scenario steps, shows its text, rebuilds its start. */
export interface Stepper {
  /** A fresh cluster built from the tour's seed and options; `watch` hears every store change. */
  open(tour: Tour): Running;
  /** Make step k current: run its scenario steps (playing up to their end, or jumping there), then show it. */
  enter(k: number, animate: boolean): void;
  /** Show step k as of `at`: bind its names, fill its text, check its facts; rebuild its start if they fail. */
  show(k: number, at: At, rebind: boolean): void;
  /** Rebuild step k's start deterministically (see below). */
  rebuild(k: number): void;
  /** Do a task exactly as "do it for me" does, at the moment on screen. */
  perform(r: Running, task: Task, animate: boolean): void;
  /** Let time run until the learner's request `id` is answered, so a `confirm` task can judge the answer. */
  awaitAnswer(r: Running, id: number, animate: boolean): void;
}

export function createStepper(ctx: TourContext, watch: () => void): Stepper {
  const { set, get } = ctx;

  /** Run a script on the page's recorded simulation at the moment on screen (see store.drive). */
  const driveHere = (script: (d: Driver) => void): At | null => {
    const sim = getSim();
    if (!sim) return null;
    // The learner's last action may lie ahead of the view (they acted while it played): keep it.
    const last = sim.inputs[sim.inputs.length - 1];
    if (last && last.frame > useStore.getState().frame) useStore.setState({ frame: last.frame, time: last.time });
    return useStore.getState().drive(script);
  };

  /** Play the view up to `end`, or (rebuilding) jump there. */
  const goTo = (r: Running, end: At, animate: boolean) => {
    if (animate) {
      r.stop = end;
      set({ playing: true });
      // Not store.play(): that forks at the view and would forget the inputs just scripted ahead of it.
      useStore.setState({ playing: true });
    } else useStore.setState({ playing: false, frame: end.frame, time: end.time });
  };

  /** Run the next `n` scenario steps at the moment on screen; returns the step's moment. */
  const runSteps = (r: Running, n: number, animate: boolean): At => {
    const st = useStore.getState();
    const here = { frame: st.frame, time: st.time };
    if (n <= 0) return here;
    const from = r.cursor;
    const outputs: StepOutput[] = [];
    const end = driveHere((d) => {
      const before = d.sim.inputs.length;
      const host = pageHost(d);
      for (let i = from; i < Math.min(from + n, r.scenario.steps.length); i++) outputs.push(runStep(host, r.scenario.steps[i], i));
      r.scripted = d.sim.inputs.slice(before).map((inp) => inp.action);
    });
    r.cursor = Math.min(from + n, r.scenario.steps.length);
    set((s) => ({ results: [...s.results, ...outputs] }));
    if (!end) return here;
    goTo(r, end, animate);
    return end;
  };

  const awaitAnswer = (r: Running, id: number, animate: boolean) => {
    r.awaiting = id;
    const timeout = useStore.getState().settings.timeout;
    const end = driveHere((d) => {
      const host = pageHost(d);
      runUntil(host, () => d.answer(id) !== null, host.cluster.now + timeout + 1);
    });
    if (end) goTo(r, end, animate);
  };

  const save = () => {
    const { tour, index, vars, results } = get();
    if (tour && ctx.running) saveMemory({ id: tour.id, index, cursor: ctx.running.cursor, vars, results, options: canonical(ctx.running.options) });
  };

  const show = (k: number, at: At, rebind: boolean) => {
    const r = ctx.running;
    const tour = get().tour;
    const sim = getSim();
    if (!r || !tour || !sim) return;
    const step = tour.steps[k];
    const vars = { ...get().vars };
    const m: Moment = momentAt(sim, at.frame, { vars, results: get().results });
    if (rebind) for (const [name, ref] of Object.entries(step.bind ?? {})) vars[name] = resolveRef(ref, m)?.id ?? '';
    const { text, missing } = render(step.text, m);
    const problems = [...missing.map((p) => `${p} has no value at this moment`), ...failures(step.facts, m)];
    if (problems.length > 0 && !ctx.rebuilding) {
      rebuild(k);
      return;
    }
    set({ vars, text, problems, moment: at, drift: null });
    useHighlight.getState().setHighlight(resolveHighlight(step.highlight, vars));
    if (step.select) useStore.getState().select(resolveRef(step.select, m)?.id ?? null);
    r.known = new WeakSet(sim.inputs.map((i) => i.action));
    save();
  };

  const enter = (k: number, animate: boolean) => {
    const r = ctx.running;
    const tour = get().tour;
    if (!r || !tour) return;
    const step = tour.steps[k];
    set({ index: k, taskDone: !step.task, note: null, rebuilt: ctx.rebuilding });
    r.awaiting = null;
    r.advance = false;
    show(k, runSteps(r, step.run ?? 0, animate), true);
  };

  const open = (tour: Tour): Running => {
    const scenario = parseScenario(JSON.stringify(tour.scenario));
    const options = simOptionsOf(scenario);
    const store = useStore.getState();
    store.newCluster(options);
    store.pause();
    store.setSpeed(tour.speed ?? 0.5);
    return { scenario, options, cursor: 0, stop: null, known: new WeakSet(), scripted: [], awaiting: null, advance: false, unsubscribe: useStore.subscribe(watch) };
  };

  const perform = (r: Running, task: Task, animate: boolean) => {
    const store = useStore.getState();
    const frame = getSim()?.frames.at(store.frame);
    if (task.kind === 'request') {
      store.setSettings({ node: taskNode(task.node, frame, get().vars) ?? store.settings.node, level: task.level ?? store.settings.level });
      store.submit(task.example);
      const last = getSim()?.inputs.at(-1)?.action;
      // Normally the store's watcher has judged it already; while rebuilding nobody watches.
      if (task.confirm && last?.kind === 'request' && !r.known.has(last)) {
        r.known.add(last);
        awaitAnswer(r, last.id, animate);
      }
      return;
    }
    const action = taskAction(task, frame, get().vars);
    if (action) store.act(action);
  };

  /**
   * Rebuild step k's start deterministically: a new cluster from the tour's seed, every earlier
   * step's scenario steps, and every earlier task done as "do it for me" does it.
   */
  const rebuild = (k: number) => {
    const tour = get().tour;
    if (!tour) return;
    ctx.running?.unsubscribe();
    ctx.rebuilding = true;
    try {
      const r = open(tour);
      ctx.running = r;
      set({ vars: {}, results: [] });
      for (let j = 0; j < k; j++) {
        enter(j, false);
        const task = tour.steps[j].task;
        if (task) perform(r, task, false);
      }
      enter(k, false);
    } finally {
      ctx.rebuilding = false;
    }
  };

  return { open, enter, show, rebuild, perform, awaitAnswer };
}
