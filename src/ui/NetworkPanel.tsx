import { useStore } from '../store/store';
import { CommitSlider } from './CommitSlider';
import { leaderOf, useFrame } from './hooks';

/** Partition presets, heal, and link quality sliders. */
export function NetworkPanel() {
  const f = useFrame();
  const act = useStore((s) => s.act);
  if (!f) return null;
  return <NetworkControls ids={f.frame.nodes.map((n) => n.id)} leader={leaderOf(f.frame)} net={f.frame.net} act={act} />;
}

interface ControlsProps {
  ids: string[];
  leader: string | null;
  net: { drop: number; duplicate: number; latencyMin: number; latencyMax: number; groups: readonly number[] };
  act: ReturnType<typeof useStore.getState>['act'];
}

function NetworkControls({ ids, leader, net, act }: ControlsProps) {
  const half = Math.floor(ids.length / 2);
  const partitioned = net.groups.some((g) => g !== net.groups[0]);
  const minorityWithLeader = () => {
    const others = ids.filter((id) => id !== leader);
    const minority = [leader ?? ids[0], ...others.slice(0, Math.max(0, half - 1))];
    return [minority, ids.filter((id) => !minority.includes(id))];
  };
  return (
    <div className="network-panel" data-testid="network-panel">
      <div className="buttons">
        <button onClick={() => act({ kind: 'partition', groups: [ids.slice(0, half), ids.slice(half)] })} data-testid="net-split">
          Split {ids.slice(0, half).join(',')} | rest
        </button>
        <button disabled={!leader} onClick={() => act({ kind: 'partition', groups: minorityWithLeader() })} data-testid="net-leader-minority">
          Leader in the minority
        </button>
        <button disabled={!leader} onClick={() => leader && act({ kind: 'isolate', node: leader })} data-testid="net-isolate-leader">
          Isolate the leader
        </button>
        <button className="primary" disabled={!partitioned} onClick={() => act({ kind: 'heal' })} data-testid="net-heal">
          Heal
        </button>
      </div>
      <p className="hint">Or drag a node in the cluster view to the right edge to cut it off, and across the dashed line to move it between groups.</p>
      <CommitSlider
        label="message loss"
        value={net.drop}
        min={0}
        max={0.5}
        step={0.01}
        format={(v) => `${Math.round(v * 100)}%`}
        onCommit={(v) => act({ kind: 'network', drop: v })}
        testId="net-loss"
      />
      <CommitSlider
        label="duplication"
        value={net.duplicate}
        min={0}
        max={0.3}
        step={0.01}
        format={(v) => `${Math.round(v * 100)}%`}
        onCommit={(v) => act({ kind: 'network', duplicate: v })}
      />
      <CommitSlider
        label="latency (max)"
        value={net.latencyMax}
        min={1}
        max={200}
        step={1}
        format={(v) => `${Math.max(1, Math.round(v / 3))}–${v} ms`}
        onCommit={(v) => act({ kind: 'network', latency: [Math.max(1, Math.round(v / 3)), v] })}
        testId="net-latency"
      />
    </div>
  );
}
