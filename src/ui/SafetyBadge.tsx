import { brokenModesOf } from '../store/brokenModes';
import { useInspectorTab } from '../store/inspectorTab';
import { useStore } from '../store/store';
import { useFrame } from './hooks';
import './safety.css';

/**
 * Always in the toolbar while a Raft rule is switched off, so a broken run is never mistaken for
 * Raft; and a warning once the moment on screen is past a safety violation. Both open the Safety tab.
 */
export function SafetyBadge() {
  const options = useStore((s) => s.options);
  const show = useInspectorTab((s) => s.show);
  const f = useFrame();
  const broken = brokenModesOf(options);
  const first = f?.sim.safety.firstViolation() ?? null;
  const violated = first !== null && f !== null && first.event < f.frame.seqEnd;
  if (broken.length === 0 && !violated) return null;
  return (
    <span className="safety-badges">
      {broken.length > 0 && (
        <button
          className="broken-badge"
          data-testid="broken-badge"
          title={broken.map((m) => `${m.label}: ${m.breaks}`).join('\n')}
          onClick={() => show('safety')}
        >
          ⚠ BROKEN RAFT: {broken.map((m) => m.badge).join(', ')}
        </button>
      )}
      {violated && (
        <button className="violation-badge" data-testid="violation-badge" title="Open the Safety tab" onClick={() => show('safety')}>
          ✗ {first.invariant} violated
        </button>
      )}
    </span>
  );
}
