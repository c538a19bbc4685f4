import { useStore } from '../store/store';
import './Notice.css';

/** A refused operator action, in words, until dismissed. */
export function Notice() {
  const notice = useStore((s) => s.notice);
  const dismiss = useStore((s) => s.dismissNotice);
  if (!notice) return null;
  return (
    <div className="notice" role="status" data-testid="notice" onClick={dismiss}>
      {notice} <span className="muted">(click to dismiss)</span>
    </div>
  );
}
