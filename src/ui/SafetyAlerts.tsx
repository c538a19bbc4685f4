import { brokenModesOf } from '../store/brokenModes';
import { useInspectorTab } from '../store/inspectorTab';
import { useStore } from '../store/store';
import { useFrame } from './hooks';
import './safety.css';

/**
 * A strip under the toolbar for as long as a Raft rule is switched off, so a broken run is never
 * mistaken for Raft (it comes back with a share link or a restored session too).
 */
export function BrokenBanner() {
  const options = useStore((s) => s.options);
  const show = useInspectorTab((s) => s.show);
  const broken = brokenModesOf(options);
  if (broken.length === 0) return null;
  return (
    <button className="broken-banner" data-testid="broken-badge" title={broken.map((m) => `${m.label}: ${m.breaks}`).join('\n')} onClick={() => show('safety')}>
      <strong>⚠ Broken Raft: {broken.map((m) => m.badge).join(', ')}.</strong> This cluster is unsafe on purpose; the Safety tab
      shows what the monitor catches.
    </button>
  );
}

/** In the status line once the moment on screen is past a safety violation; opens the Safety tab. */
export function ViolationStatus() {
  const show = useInspectorTab((s) => s.show);
  const f = useFrame();
  const first = f?.sim.safety.firstViolation() ?? null;
  if (!f || !first || first.event >= f.frame.seqEnd) return null;
  return (
    <button className="violation-badge" data-testid="violation-badge" title="Open the Safety tab" onClick={() => show('safety')}>
      ✗ {first.invariant} violated
    </button>
  );
}
