import type { WhyTarget } from '../../replay/why';
import { getSim } from '../../store/store';
import { useWhy } from '../../store/why';

/** The control that opened the panel, so closing it gives the focus back there. */
let opener: HTMLElement | null = null;

/** Give the focus back to the "Why?" button that opened the panel (if it is still on the page). */
export function returnFocus(): void {
  if (opener?.isConnected) opener.focus();
  opener = null;
}

interface Props {
  /** Built when pressed, from the moment on screen. */
  target: () => WhyTarget | null;
  /** What the question is about, for screen readers ("Why is n1 leader?"). */
  label: string;
  className?: string;
  testId?: string;
}

/** A "Why?" button: asks the causal model about one thing on screen and opens the panel. */
export function WhyButton({ target, label, className, testId }: Props) {
  return (
    <button
      type="button"
      className={`why-button${className ? ` ${className}` : ''}`}
      aria-label={label}
      title={label}
      data-testid={testId ?? 'why-button'}
      onClick={(e) => {
        e.stopPropagation();
        const sim = getSim();
        const t = target();
        if (!sim || !t) return;
        opener = e.currentTarget;
        useWhy.getState().ask(sim, t);
      }}
    >
      Why?
    </button>
  );
}
