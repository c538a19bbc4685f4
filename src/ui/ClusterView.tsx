import { useMemo } from 'react';
import { useStore } from '../store/store';
import { useFrame } from './hooks';
import { ringLayout, VIEW_H, VIEW_W } from './layout';
import { Links } from './Links';
import { MessageLegend } from './MessageLegend';
import { MessagesLayer } from './MessagesLayer';
import { NodeGlyph } from './NodeGlyph';
import { HighlightLayer } from './tour/HighlightLayer';

/** The cluster as a ring of servers with the network between them. */
export function ClusterView() {
  const f = useFrame();
  const time = useStore((s) => s.time);
  const selected = useStore((s) => s.selected);
  const select = useStore((s) => s.select);
  const ids = f ? f.frame.nodes.map((n) => n.id).join(',') : '';
  const pos = useMemo(() => ringLayout(ids ? ids.split(',') : []), [ids]);
  if (!f) return <div className="cluster-view" />;
  const { frame } = f;
  const biggest = new Map<number, number>();
  for (const g of frame.net.groups) biggest.set(g, (biggest.get(g) ?? 0) + 1);
  const majorityGroup = [...biggest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return (
    <div className="cluster-view" data-testid="cluster-view">
      <svg viewBox={`0 0 ${VIEW_W} ${VIEW_H}`} preserveAspectRatio="xMidYMid meet" onClick={(e) => e.target === e.currentTarget && select(null)}>
        <Links frame={frame} pos={pos} />
        <MessagesLayer pos={pos} seqEnd={frame.seqEnd} />
        {frame.nodes.map((n, i) => (
          <NodeGlyph
            key={n.id}
            view={n}
            at={pos.get(n.id)!}
            time={time}
            selected={selected === n.id}
            cutOff={frame.net.groups.length > 1 && biggest.size > 1 && frame.net.groups[i] !== majorityGroup}
            onSelect={select}
          />
        ))}
        <HighlightLayer frame={frame} pos={pos} />
      </svg>
      <MessageLegend />
    </div>
  );
}
