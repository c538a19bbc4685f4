import { useStore } from '../store/store';
import { leaderOf, useFrame } from './hooks';
import { ViolationStatus } from './SafetyAlerts';

/** One sentence on the cluster's health: who leads, who is down, is it split. */
export function StatusLine() {
  const f = useFrame();
  const playing = useStore((s) => s.playing);
  if (!f) return null;
  const leader = leaderOf(f.frame);
  const down = f.frame.nodes.filter((n) => !n.alive).map((n) => n.id);
  const split = new Set(f.frame.net.groups).size > 1;
  const atHead = f.index >= f.sim.frames.length - 1 - 64;
  return (
    <div className="status-line" data-testid="status-line" data-leader={leader ?? ''} data-seq={f.frame.seqEnd - 1} data-frame={f.index}>
      <span>{leader ? `leader: ${leader} (term ${f.frame.nodes.find((n) => n.id === leader)?.term})` : 'no leader'}</span>
      {down.length > 0 && <span className="bad">down: {down.join(', ')}</span>}
      {split && <span className="bad">network partitioned</span>}
      <ViolationStatus />
      {f.frame.net.drop > 0 && <span className="bad">{Math.round(f.frame.net.drop * 100)}% loss</span>}
      {!playing && f.index === 0 && <span className="muted">paused at the start</span>}
      {!playing && f.index > 0 && <span className="muted">paused at event {f.frame.seqEnd - 1}{atHead ? '' : ' (in the past — acting here forks a new future)'}</span>}
    </div>
  );
}
