import { failures } from '../../src/store/tours/facts';
import { useTour } from '../../src/store/tours/runner';
import { momentAt } from '../../src/store/tours/runnerState';
import { contradictions, render, unvouched } from '../../src/store/tours/template';
import type { Tour } from '../../src/store/tours/types';
import { parseRun, toRunFile } from '../../src/replay/runFormat';
import { getSim, useStore } from '../../src/store/store';

/**
 * The tour auditor: walks a tour through the page's own engine (store + runner, headless) the way
 * a learner may, and at every step shown checks, independently of the runner, that the step's
 * declared facts hold at its moment and that every server, term and index its shown text names
 * is one the cluster has. What a learner may do inside a step: nothing, play on for 5 simulated
 * seconds, scrub to t=0, fork the past, or reload the page.
 */
export type Mode = 'straight' | 'play' | 'scrub' | 'fork' | 'reload';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** Let the view reach what the runner is playing to. */
async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    useTour.getState().skip();
    await flush();
  }
}

/** Everything untrue about step k as the runner shows it now. */
export function auditShown(tour: Tour, k: number): string[] {
  const t = useTour.getState();
  const where = `${tour.id} step ${k + 1} “${tour.steps[k].title}”`;
  if (t.tour?.id !== tour.id) return [`${where}: the tour is not running`];
  if (t.index !== k) return [`${where}: the runner shows step ${t.index + 1}`];
  const sim = getSim()!;
  const moment = t.moment;
  if (!moment) return [`${where}: no moment`];
  const m = momentAt(sim, moment.frame, t);
  const step = tour.steps[k];
  const out = [
    ...t.problems.map((p) => `runner: ${p}`),
    ...failures(step.facts, m).map((f) => `fact: ${f}`),
    ...contradictions(t.text, m).map((c) => `text ${c}`),
    ...render(step.text, m).missing.map((p) => `placeholder ${p} has no value`),
  ];
  if (JSON.stringify(render(step.text, m).text) !== JSON.stringify(t.text)) out.push('the shown text is not the template filled at the moment');
  // A request the cluster did receive is never shown as belonging to a discarded future.
  const sent = new Set(sim.inputs.flatMap((i) => (i.action.kind === 'request' ? [i.action.id] : [])));
  for (const e of useStore.getState().entries) if (e.forgotten && sent.has(e.id)) out.push(`console entry “${e.sql}” is shown as discarded but was sent`);
  for (const [name, id] of Object.entries(step.bind ?? {})) if (!t.vars[name]) out.push(`$${name} (${id}) is bound to no server`);
  return out.map((p) => `${where}: ${p}`);
}

/** What a step's template names in its prose without a fact or a placeholder behind it. */
export function auditTemplate(tour: Tour): string[] {
  return tour.steps.flatMap((s, k) => unvouched(s.text, s.facts, s.bind).map((u) => `${tour.id} step ${k + 1}: names ${u} literally, with no fact declaring it`));
}

async function perturb(mode: Mode): Promise<void> {
  const store = useStore.getState();
  const t = useTour.getState();
  switch (mode) {
    case 'straight':
      return;
    case 'play': {
      store.play();
      const until = useStore.getState().time + 5000;
      while (useStore.getState().time < until) useStore.getState().tick(100);
      useStore.getState().pause();
      break;
    }
    case 'scrub':
      store.seekTime(0);
      break;
    case 'fork':
      // An input in the past: the store forks there and the tour's own later inputs are thrown away.
      store.seekTime((t.moment?.time ?? 0) / 2);
      useStore.getState().act({ kind: 'network' });
      break;
    case 'reload': {
      const run = parseRun(JSON.stringify(toRunFile(store.currentRun()!)), 'the run');
      if (!run.ok) throw new Error(run.error);
      t.detach();
      useStore.getState().loadRun(run.run);
      if (!(await useTour.getState().resume())) throw new Error('the tour did not resume after the reload');
      break;
    }
  }
  await flush();
}

/** Walk the tour; every complaint found on the way. */
export async function walk(tour: Tour, mode: Mode): Promise<string[]> {
  const complaints: string[] = [];
  await useTour.getState().start(tour);
  for (let k = 0; k < tour.steps.length; k++) {
    await settle();
    complaints.push(...auditShown(tour, k));
    await perturb(mode);
    if (mode === 'reload') complaints.push(...auditShown(tour, k).map((c) => `after reload: ${c}`));
    if (tour.steps[k].task) {
      useTour.getState().doTask();
      await flush();
      await settle();
    } else {
      useTour.getState().next();
      await flush();
    }
    if (complaints.length > 0) break;
  }
  if (complaints.length === 0 && useTour.getState().tour !== null) complaints.push(`${tour.id}: did not reach the end (stuck at step ${useTour.getState().index + 1}${useTour.getState().note ? `: ${useTour.getState().note}` : ''})`);
  useTour.getState().exit();
  return complaints;
}
