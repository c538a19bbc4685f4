import type { WhyTarget } from '../../replay/why';
import { getSim } from '../../store/store';
import { useWhy } from '../../store/why';

/**
 * The control that opened the panel, so closing it gives the focus back there; and how to find it
 * again if the list it sat in was drawn anew meanwhile (a cause moved time, an event row left).
 */
let opener: { el: HTMLElement; selector: string } | null = null;

function selectorOf(el: HTMLElement): string {
  const own = `[data-testid="${el.dataset.testid ?? ''}"]`;
  const owner = el.parentElement?.closest<HTMLElement>('[data-seq], [data-testid]');
  if (!owner) return own;
  return `${owner.dataset.seq !== undefined ? `[data-seq="${owner.dataset.seq}"]` : `[data-testid="${owner.dataset.testid}"]`} ${own}`;
}

/** Give the focus back to the "Why?" button that opened the panel (if it is still on the page). */
export function returnFocus(): void {
  const el = opener?.el.isConnected ? opener.el : opener ? document.querySelector<HTMLElement>(opener.selector) : null;
  el?.focus();
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
        opener = { el: e.currentTarget, selector: selectorOf(e.currentTarget) };
        useWhy.getState().ask(sim, t);
      }}
    >
      Why?
    </button>
  );
}
