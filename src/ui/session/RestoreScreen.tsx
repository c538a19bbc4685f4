import { useStore } from '../../store/store';
import './session.css';

/** Simulated time as a learner reads a progress line: seconds, then minutes and seconds. */
function simulated(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * A recorded run is being replayed from its start (a saved session holds only what the learner
 * did): how far it is, in the run's own simulated time, and a way out. The page answers meanwhile;
 * the cluster appears once it stands where it was left.
 */
export function RestoreScreen({ at, of, what, cancel: label }: { at: number; of: number; what: string; cancel: string }) {
  const cancel = useStore((s) => s.cancelRestore);
  return (
    <div className="splash">
      <div className="restore" role="status" aria-live="polite" data-testid="restoring">
        <h1>{what}…</h1>
        <p>
          Replaying it from its start: {simulated(at)} of {simulated(of)} simulated.
        </p>
        <progress max={of} value={at} aria-label="Replayed so far" />
        <p className="muted">Every step is run again exactly as it first ran, so the cluster comes back as you left it.</p>
        <button onClick={cancel} data-testid="restore-cancel">
          {label}
        </button>
      </div>
    </div>
  );
}
