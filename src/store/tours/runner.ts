import { create } from 'zustand';
import { parseScenario } from '../../drive/scenario/parse';
import type { StepOutput } from '../../drive/scenario/run';
import type { Scenario } from '../../drive/scenario/schema';
import type { Frame } from '../../replay/frames';
import { useHighlight } from '../highlight';
import { runStep } from '../../drive/scenario/interpret';
import { simOptionsOf } from '../../replay/options';
import { pageHost } from '../../replay/pageHost';
import type { Input, InputAction, SimOptions } from '../../replay/simulation';
import { nextNodeId } from '../../replay/nodeIds';
import { getSim, useStore } from '../store';
import { TOURS } from './catalog';
import type { Task, Tour } from './types';

interface TourState {
  tour: Tour | null;
  index: number;
  /** The current step's task is done (or it has none). */
  taskDone: boolean;
  /** The view is still playing up to where this step's scenario steps ended. */
  playing: boolean;
  /** Outputs of the tour scenario's steps run so far, as the headless runner would print them. */
  results: StepOutput[];
  start(id: string): void;
  next(): void;
  /** Do the asked action for the learner. */
  doTask(): void;
  exit(): void;
}

interface Running {
  scenario: Scenario;
  options: SimOptions;
  /** Scenario steps run so far. */
  cursor: number;
  /** Where the current step's scenario steps ended: the view stops there. */
  stop: { frame: number; time: number } | null;
  /** Actions that existed when the step began: the learner's answer is an action not among them. */
  known: WeakSet<InputAction>;
  /** Actions the tour's own steps applied, to notice when a fork threw them away. */
  scripted: InputAction[];
  unsubscribe: () => void;
}

let running: Running | null = null;

function leaderOf(frame: Frame | undefined): string | null {
  let best: string | null = null;
  let term = -1;
  for (const n of frame?.nodes ?? []) {
    if (n.alive && n.role === 'leader' && n.term > term) {
      best = n.id;
      term = n.term;
    }
  }
  return best;
}

/** Does a recorded input do what the task asked? */
export function satisfies(task: Task, input: Input, before: Frame | undefined): boolean {
  const a = input.action;
  if (a.kind !== task.kind) return false;
  const wants = (want: string | undefined, node: string) => want === undefined || (want === 'leader' ? leaderOf(before) === node : want === node);
  switch (a.kind) {
    case 'kill':
    case 'restart':
    case 'isolate':
    case 'timeoutNow':
      return task.kind === a.kind && wants(task.node, a.node);
    case 'heal':
    case 'partition':
      return true;
    case 'snapshot':
    case 'remove':
      return task.kind === a.kind && wants(task.node, a.node);
    case 'join':
      return task.kind === 'join' && (task.voter === undefined || task.voter === a.voter);
    case 'request': {
      if (task.kind !== 'request' || a.body.op !== task.op || !wants(task.node, a.node)) return false;
      if (task.level && (a.body.op !== 'query' || a.body.req.level !== task.level)) return false;
      const sql = a.body.req.statements.map((s) => s.sql).join(';');
      return !task.sqlMatches || new RegExp(task.sqlMatches, 'i').test(sql);
    }
    default:
      return false;
  }
}

export const useTour = create<TourState>()((set, get) => {
  const resolve = (ref: string | undefined): string | null => {
    const sim = getSim();
    if (!sim) return null;
    if (ref === 'leader') return leaderOf(sim.frames[useStore.getState().frame]);
    return ref ?? null;
  };

  /** Run the next `n` scenario steps at the moment on screen, then play the view up to where they end. */
  const runSteps = (r: Running, n: number) => {
    const sim = getSim();
    if (!sim || n <= 0) return;
    // The learner's last action may lie ahead of the view (they acted while it played): keep it.
    const last = sim.inputs[sim.inputs.length - 1];
    if (last && last.frame > useStore.getState().frame) useStore.setState({ frame: last.frame, time: last.time });
    const from = r.cursor;
    const outputs: StepOutput[] = [];
    const end = useStore.getState().drive((d) => {
      const before = d.sim.inputs.length;
      const host = pageHost(d);
      for (let i = from; i < Math.min(from + n, r.scenario.steps.length); i++) outputs.push(runStep(host, r.scenario.steps[i], i));
      r.scripted = d.sim.inputs.slice(before).map((inp) => inp.action);
    });
    r.cursor = Math.min(from + n, r.scenario.steps.length);
    set((st) => ({ results: [...st.results, ...outputs] }));
    if (!end) return;
    r.stop = end;
    set({ playing: true });
    // Not store.play(): that forks at the view and would forget the inputs just scripted ahead of it.
    useStore.setState({ playing: true });
  };

  const enter = (k: number) => {
    const r = running;
    const tour = get().tour;
    if (!r || !tour) return;
    const step = tour.steps[k];
    set({ index: k, taskDone: !step.task });
    useHighlight.getState().setHighlight(step.highlight ?? null);
    runSteps(r, step.run ?? 0);
    if (step.select) useStore.getState().select(resolve(step.select));
    const sim = getSim();
    r.known = new WeakSet(sim?.inputs.map((i) => i.action) ?? []);
  };

  /** Called on every store change: stop at the step's end, notice the learner's action, notice a lost future. */
  const watch = () => {
    const r = running;
    const st = useStore.getState();
    const sim = getSim();
    if (!r || !sim) return;
    if (st.options !== r.options) {
      // Someone started another run (new cluster, an import, the scenario editor): the tour is over.
      get().exit();
      return;
    }
    if (r.stop) {
      const kept = sim.inputs.length > 0 ? new Set(sim.inputs.map((i) => i.action)) : new Set<InputAction>();
      if (r.scripted.some((a) => !kept.has(a))) {
        // The learner pressed play in the past and the store forked: run this step's scenario steps again.
        const step = get().tour?.steps[get().index];
        r.cursor -= step?.run ?? 0;
        r.stop = null;
        set((s) => ({ results: s.results.slice(0, r.cursor) }));
        queueMicrotask(() => enter(get().index));
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
    const tour = get().tour;
    const task = tour?.steps[get().index]?.task;
    if (task && !get().taskDone) {
      const done = sim.inputs.some((i) => !r.known.has(i.action) && satisfies(task, i, sim.frames[i.frame - 1]));
      if (done) {
        set({ taskDone: true });
        queueMicrotask(() => get().next());
      }
    }
  };

  return {
    tour: null,
    index: 0,
    taskDone: true,
    playing: false,
    results: [],

    start(id) {
      const tour = TOURS.find((t) => t.id === id);
      if (!tour) return;
      get().exit();
      const scenario = parseScenario(JSON.stringify(tour.scenario));
      const options = simOptionsOf(scenario);
      const store = useStore.getState();
      store.newCluster(options);
      store.pause();
      store.setSpeed(tour.speed ?? 0.5);
      const unsubscribe = useStore.subscribe(watch);
      running = { scenario, options, cursor: 0, stop: null, known: new WeakSet(), scripted: [], unsubscribe };
      set({ tour, index: 0, results: [] });
      enter(0);
    },

    next() {
      const { tour, index } = get();
      const r = running;
      if (!tour || !r) return;
      // Skipping ahead while the view still plays: jump to where the step's scenario ended first.
      if (r.stop) {
        const stop = r.stop;
        r.stop = null;
        set({ playing: false });
        useStore.setState({ playing: false, frame: stop.frame, time: stop.time });
      }
      if (index + 1 >= tour.steps.length) {
        get().exit();
        return;
      }
      enter(index + 1);
    },

    doTask() {
      const { tour, index } = get();
      const task = tour?.steps[index]?.task;
      if (!task) return;
      const store = useStore.getState();
      if (task.kind === 'heal' || task.kind === 'partition') {
        if (task.kind === 'heal') store.act({ kind: 'heal' });
        return;
      }
      if (task.kind === 'join') {
        store.act({ kind: 'join', node: nextNodeId(getSim()?.frames[store.frame]?.nodes ?? []), voter: task.voter ?? true });
        return;
      }
      if (task.kind === 'request') {
        const node = resolve(task.node) ?? store.settings.node;
        store.setSettings({ node, level: task.level ?? store.settings.level });
        store.submit(task.example);
        return;
      }
      const sim = getSim();
      const frame = sim?.frames[store.frame];
      // Without a named node: the leader for a crash or a snapshot, the first crashed server for a
      // restart, a live follower that still votes for a removal.
      const follower = frame?.nodes.find((n) => n.alive && n.role === 'follower' && n.membership === 'voter')?.id ?? null;
      const fallback = task.kind === 'restart' ? (frame?.nodes.find((n) => !n.alive)?.id ?? null) : task.kind === 'remove' ? follower : leaderOf(frame);
      const node = task.node === undefined ? fallback : resolve(task.node);
      if (node) store.act({ kind: task.kind, node });
    },

    exit() {
      running?.unsubscribe();
      running = null;
      useHighlight.getState().setHighlight(null);
      set({ tour: null, index: 0, taskDone: true, playing: false });
    },
  };
});
