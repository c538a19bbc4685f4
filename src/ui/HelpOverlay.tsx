import { KEYS } from './keys';
import { useDialog } from './useDialog';
import './dialog.css';

/** Every key of the page, from `?` (or the toolbar's ? button); Escape closes it. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const ref = useDialog<HTMLDivElement>(onClose);
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div ref={ref} className="dialog help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">Keys</h2>
        <p className="muted">
          For a lecture: a clicker’s PageUp / PageDown are the tour’s Back / Next. The keys are the page’s unless a field, a list or the SQL editor
          has the focus, or a button you reached with Tab (Space and Enter press a focused button).
        </p>
        <dl className="keys">
          {KEYS.map((k) => (
            <div key={k.keys}>
              <dt>
                <kbd>{k.keys}</kbd>
              </dt>
              <dd>{k.what}</dd>
            </div>
          ))}
        </dl>
        <div className="buttons">
          <button className="primary" onClick={onClose} data-testid="help-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
