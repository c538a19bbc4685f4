import { create } from 'zustand';
import { parseScenario } from '../../drive/scenario/parse';
import type { StepOutput } from '../../drive/scenario/run';
import { runUntil } from '../../drive/host';
import { useHighlight } from '../highlight';
import { runStep } from '../../drive/scenario/interpret';
import { simOptionsOf } from '../../replay/options';
import { pageHost } from '../../replay/pageHost';
import type { Driver } from '../../replay/types';
import { getSim, useStore } from '../store';
import { TOURS } from './catalog';
import { failures, resolveRef, type Moment } from './facts';
import { canonical, loadMemory, saveMemory } from './memory';
import { explainMiss, judgeAnswer, satisfies, taskAction, taskNode } from './tasks';
import { render } from './template';
import type { Task, Tour } from './types';
import { resolveHighlight, type At, type Running, type TourState } from './runnerState';

export { satisfies } from './tasks';

let running: Running | null = null;
/** While the runner rebuilds a step's start, the store's changes are its own, not the learner's. */
let rebuilding = false;

export const useTour = create<TourState>()((set, get) => {
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

  /** Let time run until the learner's request `id` is answered, so a `confirm` task can judge the answer. */
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
    if (tour && running) saveMemory({ id: tour.id, index, cursor: running.cursor, vars, results, options: canonical(running.options) });
  };

  /** Show step k as of `at`: bind its names, fill its text, check its facts; rebuild its start if they fail. */
  const show = (k: number, at: At, rebind: boolean) => {
    const r = running;
    const tour = get().tour;
    const sim = getSim();
    if (!r || !tour || !sim) return;
    const step = tour.steps[k];
    const frame = sim.frames[Math.min(at.frame, sim.frames.length - 1)];
    const vars = { ...get().vars };
    const m: Moment = { frame, vars, results: get().results };
    if (rebind) for (const [name, ref] of Object.entries(step.bind ?? {})) vars[name] = resolveRef(ref, m)?.id ?? '';
    const { text, missing } = render(step.text, m);
    const problems = [...missing.map((p) => `${p} has no value at this moment`), ...failures(step.facts, m)];
    if (problems.length > 0 && !rebuilding) {
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
    const r = running;
    const tour = get().tour;
    if (!r || !tour) return;
    const step = tour.steps[k];
    set({ index: k, taskDone: !step.task, note: null, rebuilt: rebuilding });
    r.awaiting = null;
    r.advance = false;
    show(k, runSteps(r, step.run ?? 0, animate), true);
  };

  /** A fresh cluster built from the tour's seed and options. */
  const open = (tour: Tour): Running => {
    const scenario = parseScenario(JSON.stringify(tour.scenario));
    const options = simOptionsOf(scenario);
    const store = useStore.getState();
    store.newCluster(options);
    store.pause();
    store.setSpeed(tour.speed ?? 0.5);
    return { scenario, options, cursor: 0, stop: null, known: new WeakSet(), scripted: [], awaiting: null, advance: false, unsubscribe: useStore.subscribe(watch) };
  };

  /** Do a task exactly as "do it for me" does, at the moment on screen. */
  const perform = (r: Running, task: Task, animate: boolean) => {
    const store = useStore.getState();
    const frame = getSim()?.frames[store.frame];
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
    running?.unsubscribe();
    rebuilding = true;
    try {
      const r = open(tour);
      running = r;
      set({ vars: {}, results: [] });
      for (let j = 0; j < k; j++) {
        enter(j, false);
        const task = tour.steps[j].task;
        if (task) perform(r, task, false);
      }
      enter(k, false);
    } finally {
      rebuilding = false;
    }
  };

  /** Next, once: the watcher runs re-entrantly (a drive inside it changes the store), so it may ask twice. */
  const queueNext = () => {
    const k = get().index;
    queueMicrotask(() => {
      if (get().index === k && get().tour) get().next();
    });
  };

  /** The learner's inputs since the step began: the task done, or why not. */
  const judge = (r: Running, task: Task) => {
    const st = useStore.getState();
    const sim = getSim()!;
    for (const input of sim.inputs) {
      if (r.known.has(input.action)) continue;
      r.known.add(input.action);
      const before = sim.frames[input.frame - 1];
      if (!satisfies(task, input, before, get().vars)) {
        const why = explainMiss(task, input, before, get().vars);
        if (why) set({ note: why });
        continue;
      }
      if (task.kind === 'request' && task.confirm && input.action.kind === 'request') {
        set({ note: null });
        awaitAnswer(r, input.action.id, true);
        return;
      }
      set({ taskDone: true, note: null });
      return;
    }
    if (r.awaiting !== null) {
      const answer = st.entries.find((e) => e.id === r.awaiting)?.answer;
      if (!answer) return;
      const verdict = judgeAnswer(answer);
      r.awaiting = null;
      set(verdict.ok ? { taskDone: true, note: null } : { note: verdict.note });
    }
  };

  /** Called on every store change: stop at the step's moment, notice the learner's action and a lost future. */
  const watch = () => {
    const r = running;
    const st = useStore.getState();
    const sim = getSim();
    if (rebuilding || !r || !sim) return;
    if (st.options !== r.options) {
      // Someone started another run (new cluster, an import, the scenario editor): the tour is over.
      get().exit();
      return;
    }
    if (r.stop) {
      const kept = new Set(sim.inputs.map((i) => i.action));
      if (r.scripted.some((a) => !kept.has(a))) {
        // The learner pressed play in the past and the store forked: run this step's scenario steps again.
        const step = get().tour?.steps[get().index];
        r.cursor -= step?.run ?? 0;
        r.stop = null;
        set((s) => ({ results: s.results.slice(0, r.cursor) }));
        queueMicrotask(() => enter(get().index, true));
        return;
      }
      if (st.time >= r.stop.time || !st.playing) {
        const stop = r.stop;
        // Cleared first: the setState below calls this watcher again.
        r.stop = null;
        set({ playing: false });
        if (st.time >= stop.time) useStore.setState({ playing: false, frame: stop.frame, time: stop.time });
      }
    }
    const task = get().tour?.steps[get().index]?.task;
    if (task && !get().taskDone) {
      judge(r, task);
      if (get().taskDone) r.advance = true;
    }
    // Move on once the view shows what the task did (a confirmed request's answer arriving).
    if (r.advance && !r.stop) {
      r.advance = false;
      queueNext();
      return;
    }
    driftCheck(r, st.frame);
  };

  /** Say plainly when the picture no longer matches the step's text (the learner played on or scrubbed). */
  const driftCheck = (r: Running, frameIndex: number) => {
    const { moment, tour, index } = get();
    const sim = getSim();
    if (r.stop || !moment || !tour || !sim) return;
    let drift: string | null = null;
    if (frameIndex !== moment.frame) {
      const failed = failures(tour.steps[index].facts, { frame: sim.frames[frameIndex], vars: get().vars, results: get().results });
      if (failed.length > 0) drift = failed[0];
    }
    if (drift !== get().drift) set({ drift });
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

    start(id) {
      const tour = typeof id === 'string' ? TOURS.find((t) => t.id === id) : id;
      if (!tour) return;
      get().exit();
      set({ tour, index: 0, results: [], vars: {} });
      running = open(tour);
      enter(0, true);
    },

    next() {
      const { tour, index } = get();
      if (!tour || !running) return;
      get().skip();
      if (index + 1 >= tour.steps.length) {
        get().exit();
        return;
      }
      enter(index + 1, true);
    },

    previous() {
      const { tour, index } = get();
      if (!tour || !running || index === 0) return;
      // Rebuilt, not scrubbed back: the run from the seed with every earlier step (and its task
      // done for the learner) is the only past in which the step's text is sure to hold.
      const speed = useStore.getState().speed;
      rebuild(index - 1);
      useStore.getState().setSpeed(speed);
      // The learner asked for it: nothing they changed was undone behind their back.
      set({ rebuilt: false });
    },

    skip() {
      const r = running;
      if (!r?.stop) return;
      const stop = r.stop;
      r.stop = null;
      set({ playing: false });
      useStore.setState({ playing: false, frame: stop.frame, time: stop.time });
    },

    doTask() {
      const { tour, index } = get();
      const task = tour?.steps[index]?.task;
      if (!task || !running) return;
      // The learner wandered off (played on, scrubbed): the task belongs to the step's moment.
      if (get().drift) get().back();
      if (running) perform(running, task, true);
    },

    back() {
      const { moment, tour, index } = get();
      const sim = getSim();
      if (!moment || !tour || !sim || !running) return;
      const frame = sim.frames[moment.frame];
      const holds = frame && failures(tour.steps[index].facts, { frame, vars: get().vars, results: get().results }).length === 0;
      if (holds) useStore.setState({ playing: false, frame: moment.frame, time: moment.time });
      else rebuild(index);
    },

    exit() {
      running?.unsubscribe();
      running = null;
      saveMemory(null);
      useHighlight.getState().setHighlight(null);
      set({ tour: null, index: 0, taskDone: true, playing: false, text: [], moment: null, problems: [], drift: null, note: null, rebuilt: false });
    },

    detach() {
      running?.unsubscribe();
      running = null;
      useHighlight.getState().setHighlight(null);
      set({ tour: null, index: 0, taskDone: true, playing: false, results: [], vars: {}, text: [], moment: null });
    },

    resume() {
      const mem = loadMemory();
      const tour = TOURS.find((t) => t.id === mem?.id);
      const st = useStore.getState();
      if (!mem || !tour || running || canonical(st.options) !== mem.options || getSim() === null) return false;
      const scenario = parseScenario(JSON.stringify(tour.scenario));
      running = { scenario, options: st.options, cursor: mem.cursor, stop: null, known: new WeakSet(), scripted: [], awaiting: null, advance: false, unsubscribe: useStore.subscribe(watch) };
      const step = tour.steps[mem.index];
      set({ tour, index: mem.index, vars: mem.vars, results: mem.results, taskDone: !step.task, note: null, rebuilt: false, playing: false });
      // The names stay those bound when the step was first shown: "the old leader" must not become whoever leads now.
      show(mem.index, { frame: st.frame, time: st.time }, false);
      return true;
    },
  };
});
