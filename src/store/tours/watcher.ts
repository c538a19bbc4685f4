import { getSim, useStore } from '../store';
import { failures } from './facts';
import { explainMiss, judgeAnswer, satisfies } from './tasks';
import type { Task } from './types';
import { momentAt, type Running, type TourContext } from './runnerState';
import type { Stepper } from './stepper';

/**
 * What the runner does on every change of the page's store: stop the view at the step's moment,
 * judge the learner's inputs against the step's task, notice a fork that threw the step's own
 * inputs away, and say when the picture no longer matches the text.
 */
export function createWatcher(ctx: TourContext, stepper: Stepper): () => void {
  const { set, get } = ctx;

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
      const before = sim.frames.at(input.frame - 1);
      if (!satisfies(task, input, before, get().vars)) {
        const why = explainMiss(task, input, before, get().vars);
        if (why) set({ note: why });
        continue;
      }
      if (task.kind === 'request' && task.confirm && input.action.kind === 'request') {
        set({ note: null });
        stepper.awaitAnswer(r, input.action.id, true);
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

  /** Say plainly when the picture no longer matches the step's text (the learner played on or scrubbed). */
  const driftCheck = (r: Running, frameIndex: number) => {
    const { moment, tour, index } = get();
    const sim = getSim();
    if (r.stop || !moment || !tour || !sim) return;
    let drift: string | null = null;
    if (frameIndex !== moment.frame) {
      const failed = failures(tour.steps[index].facts, momentAt(sim, frameIndex, get()));
      if (failed.length > 0) drift = failed[0];
    }
    if (drift !== get().drift) set({ drift });
  };

  /** Called on every store change: stop at the step's moment, notice the learner's action and a lost future. */
  return () => {
    const r = ctx.running;
    const st = useStore.getState();
    const sim = getSim();
    if (ctx.rebuilding || !r || !sim) return;
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
        queueMicrotask(() => stepper.enter(get().index, true));
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
}
