import { useEffect, useRef } from 'react';

const FOCUSABLE = 'button:not(:disabled), [href], input:not(:disabled):not([type=hidden]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"]), [contenteditable=true]';

/** What can take the focus inside `root`, in tab order (visible ones only). */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.checkVisibility?.() ?? true);
}

/**
 * A modal dialog's keyboard manners: the focus moves into it when it opens (to `initial` if given,
 * else its first control), Tab and Shift+Tab go round inside it, Escape closes it, and on closing
 * the focus goes back to what had it before (the button that opened it). An Escape an editor
 * inside used for itself (closing its completion list) does not close the dialog.
 */
export function useDialog<T extends HTMLElement>(onClose: () => void, initial?: string) {
  const ref = useRef<T>(null);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = (initial && root.querySelector<HTMLElement>(initial)) || focusables(root)[0] || root;
    if (first === root && !root.hasAttribute('tabindex')) root.tabIndex = -1;
    first.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        if (e.defaultPrevented) return;
        e.preventDefault();
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const all = focusables(root);
      if (all.length === 0) return;
      const at = all.indexOf(document.activeElement as HTMLElement);
      if (e.shiftKey && (at <= 0 || !root.contains(document.activeElement))) {
        e.preventDefault();
        all[all.length - 1].focus();
      } else if (!e.shiftKey && (at === all.length - 1 || !root.contains(document.activeElement))) {
        e.preventDefault();
        all[0].focus();
      }
    };
    // The bubbling phase, so an editor inside may claim Escape first.
    root.addEventListener('keydown', onKey);
    return () => {
      root.removeEventListener('keydown', onKey);
      if (before?.isConnected) before.focus();
    };
  }, [initial]);
  return ref;
}
