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
  const note = useTour((s) => s.note);
  return (
    <div className={`tour-task${done ? ' done' : ''}`} data-testid="tour-task" data-done={done}>
      <span>{done ? '✓ Done' : `Your turn: ${task.prompt}`}</span>
      {!done && task.kind !== 'partition' && (
        <button onClick={doTask} data-testid="tour-do-it">
          Do it for me
        </button>
      )}
      {note && !done && (
        <p className="tour-note" data-testid="tour-note" role="status">
          {note}
        </p>
      )}
    </div>
  );
}

/**
 * When the picture no longer matches the text (the learner played on, scrubbed or changed the
 * past), say so plainly and offer the way back, instead of leaving a text that has become untrue.
 */
function Honesty() {
  const drift = useTour((s) => s.drift);
  const rebuilt = useTour((s) => s.rebuilt);
  const problems = useTour((s) => s.problems);
  const back = useTour((s) => s.back);
  if (problems.length > 0)
    return (
      <p className="tour-drift" data-testid="tour-problems" role="alert">
        This step no longer matches the cluster ({problems[0]}). Press ✕ and start the tour again.
      </p>
    );
  if (drift)
    return (
      <p className="tour-drift" data-testid="tour-drift" role="status">
        <span>The cluster has moved on since this step: {drift}. The text above describes the step’s moment.</span>
        <button onClick={back} data-testid="tour-back">
          ◂ Back to this step
        </button>
      </p>
    );
  if (rebuilt)
    return (
      <p className="tour-rebuilt muted" data-testid="tour-rebuilt">
        What you changed made this step untrue, so the tour rebuilt its start from the tour’s seed.
      </p>
    );
  return null;
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
  const previous = useTour((s) => s.previous);
  const exit = useTour((s) => s.exit);
  const text = useTour((s) => s.text);
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
      {text.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
      <Honesty />
      {step.refs && <RefLinks refs={step.refs} />}
      {step.task && <TaskBox task={step.task} done={taskDone} />}
      <footer>
        {index > 0 && (
          <button onClick={previous} title="The step before (PageUp)" data-testid="tour-prev">
            ◂ Back
          </button>
        )}
        {playing && <span className="muted">playing…</span>}
        <span className="spacer" />
        <button className="primary" onClick={next} disabled={!taskDone} title="The next step (PageDown)" data-testid="tour-next">
          {last ? 'Finish' : playing ? 'Skip ▸' : 'Next ▸'}
        </button>
      </footer>
    </aside>
  );
}
