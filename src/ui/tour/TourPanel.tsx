import { useEffect } from 'react';
import type { Ref, Task } from '../../store/tours/types';
import { useTour } from '../../store/tours/runner';
import './tour.css';

function RefLinks({ refs }: { refs: readonly Ref[] }) {
  return (
    <p className="tour-refs">
      {refs.map((r) => (
        <a key={r.href + r.label} href={r.href} target="_blank" rel="noopener noreferrer">
          {r.label}
        </a>
      ))}
    </p>
  );
}

function TaskBox({ task, done }: { task: Task; done: boolean }) {
  const doTask = useTour((s) => s.doTask);
  return (
    <div className={`tour-task${done ? ' done' : ''}`} data-testid="tour-task" data-done={done}>
      <span>{done ? '✓ Done' : `Your turn: ${task.prompt}`}</span>
      {!done && task.kind !== 'partition' && (
        <button onClick={doTask} data-testid="tour-do-it">
          Do it for me
        </button>
      )}
    </div>
  );
}

/** Outline the control a step points at (a tab, the console): it lives outside the cluster view. */
function useOutlinedTarget(testId: string | undefined) {
  useEffect(() => {
    if (!testId) return;
    const el = document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
    el?.classList.add('tour-target');
    return () => el?.classList.remove('tour-target');
  }, [testId]);
}

/** The narration card of the running tour: what to look at, why, and what to do next. */
export function TourPanel() {
  const tour = useTour((s) => s.tour);
  const index = useTour((s) => s.index);
  const taskDone = useTour((s) => s.taskDone);
  const playing = useTour((s) => s.playing);
  const next = useTour((s) => s.next);
  const exit = useTour((s) => s.exit);
  const step = tour?.steps[index];
  useOutlinedTarget(step?.highlight?.target);
  if (!tour || !step) return null;
  const last = index === tour.steps.length - 1;
  return (
    <aside className="tour-panel" data-testid="tour-panel" data-tour={tour.id} data-step={index} data-playing={playing} aria-live="polite">
      <header>
        <span className="tour-title">{tour.title}</span>
        <span className="muted">
          {index + 1} / {tour.steps.length}
        </span>
        <button className="tour-close" onClick={exit} title="Leave the tour" data-testid="tour-exit">
          ✕
        </button>
      </header>
      <h3 data-testid="tour-step-title">{step.title}</h3>
      {step.text.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      {step.refs && <RefLinks refs={step.refs} />}
      {step.task && <TaskBox task={step.task} done={taskDone} />}
      <footer>
        {playing && <span className="muted">playing…</span>}
        <span className="spacer" />
        <button className="primary" onClick={next} disabled={!taskDone} data-testid="tour-next">
          {last ? 'Finish' : playing ? 'Skip ▸' : 'Next ▸'}
        </button>
      </footer>
    </aside>
  );
}
