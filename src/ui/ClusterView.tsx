import { useCallback, useMemo, useRef, type CSSProperties } from 'react';
import { useInspectorTab } from '../store/inspectorTab';
import { useStore } from '../store/store';
import { leaderOf, textZoom, useBoxSize, useFrame, useMedia } from './hooks';
import { groupLayout, RING_LEFT, VIEW_H, VIEW_W, type Point } from './layout';
import { Links } from './Links';
import { AddNodeControl, addNodeProps } from './members/AddNodeControl';
import { PartitionZones } from './members/PartitionZones';
import { dropAction, dropZones, zoneAt } from './members/partitionDrop';
import { useNodeDrag } from './members/useNodeDrag';
import './members/members.css';
import { MessageLegend } from './MessageLegend';
import { MessagesLayer } from './MessagesLayer';
import { NodeGlyph } from './NodeGlyph';
import { HighlightLayer } from './tour/HighlightLayer';
import './ClusterView.css';

/** The cluster as a ring of servers with the network between them; a cut network as one column per group. */
export function ClusterView() {
  const f = useFrame();
  const time = useStore((s) => s.time);
  const selected = useStore((s) => s.selected);
  const select = useStore((s) => s.select);
  const act = useStore((s) => s.act);
  const svgRef = useRef<SVGSVGElement>(null);
  const [boxRef, box] = useBoxSize();
  const ids = f ? f.frame.nodes.map((n) => n.id).join(',') : '';
  const groups = f ? f.frame.net.groups : null;
  const groupKey = groups ? groups.join(',') : '';
  const layout = useMemo(
    () => groupLayout(ids ? ids.split(',') : [], groupKey ? groupKey.split(',').map(Number) : []),
    [ids, groupKey],
  );
  const zones = useMemo(() => dropZones(groupKey ? groupKey.split(',').map(Number) : []), [groupKey]);
  const onDrop = useCallback(
    (id: string, at: Point) => {
      const zone = zoneAt(zones, at.x, at.y);
      if (!zone || !ids || !groupKey) return;
      const action = dropAction(ids.split(','), groupKey.split(',').map(Number), id, zone);
      if (action) act(action);
    },
    [zones, ids, groupKey, act],
  );
  const { drag, onNodePointerDown, svgHandlers, consumeClick } = useNodeDrag(svgRef, onDrop);
  // From the keyboard: select the node, open its panel and move to its first action.
  const activate = useCallback(
    (id: string) => {
      select(id);
      useInspectorTab.getState().show('node');
      requestAnimationFrame(() =>
        document
          .querySelector<HTMLElement>('[data-testid=node-panel] .buttons button:not(:disabled)')
          ?.focus(),
      );
    },
    [select],
  );
  // A phone: the empty band left of the ring is left out, so the servers are drawn bigger.
  const narrow = useMedia('(max-width: 600px)');
  const partitioned = !!groups && new Set(groups).size > 1;
  const x0 = narrow && !partitioned ? RING_LEFT : 0;
  // Fitted into a short panel, the drawing shrinks: its words are set bigger to stay readable.
  // The drawing is sized from its box (below), so the box's size is the drawing's.
  const zoom = textZoom(box, VIEW_W - x0, VIEW_H, 1.5);
  if (!f) return <div className="cluster-view" />;
  const { frame } = f;
  // The dragged node (with its links and messages) follows the pointer.
  const pos = drag ? new Map(layout).set(drag.id, drag.at) : layout;
  const biggest = new Map<number, number>();
  for (const g of frame.net.groups) biggest.set(g, (biggest.get(g) ?? 0) + 1);
  const majorityGroup = [...biggest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return (
    <div className="cluster-view" data-testid="cluster-view">
      {/* The box takes the room the layout gives the drawing; the drawing fills it, out of flow. As a
          flex item itself, the SVG was laid out again, every element in it, whenever anything in the
          column was (every frame while playing: a third of the page's layout work). */}
      <div className="ring-box" ref={boxRef} style={{ aspectRatio: `${VIEW_W - x0} / ${VIEW_H}` }}>
        <svg
          ref={svgRef}
          viewBox={`${x0} 0 ${VIEW_W - x0} ${VIEW_H}`}
          style={
            { '--text-zoom': zoom, ...(box && { width: box.width, height: box.height }) } as CSSProperties
          }
          preserveAspectRatio="xMidYMid meet"
          onClick={(e) => !consumeClick() && e.target === e.currentTarget && select(null)}
          {...svgHandlers}
        >
          <PartitionZones zones={zones} partitioned={partitioned} drag={drag} />
          <Links nodes={frame.nodes} groups={frame.net.groups} pos={pos} />
          <MessagesLayer pos={pos} seqEnd={frame.seqEnd} />
          {frame.nodes.map((n, i) => (
            <NodeGlyph
              key={n.id}
              view={n}
              at={pos.get(n.id)!}
              time={time}
              selected={selected === n.id}
              cutOff={frame.net.groups.length > 1 && partitioned && frame.net.groups[i] !== majorityGroup}
              dragging={drag?.id === n.id}
              onSelect={(id) => !consumeClick() && select(id)}
              onActivate={activate}
              onPointerDown={onNodePointerDown}
            />
          ))}
          <HighlightLayer frame={frame} pos={pos} />
        </svg>
      </div>
      {/* Under the drawing, not over it: at no width can a label land on the legend. */}
      <div className="cluster-foot">
        <MessageLegend />
        <div className="cluster-tools">
          <span className="drag-hint">
            Drag a node{' '}
            {partitioned
              ? 'across the dashed line to move it to the other group'
              : 'to the right edge to cut it off from the rest'}
            .
          </span>
          <AddNodeControl {...addNodeProps(frame.nodes, frame.nodes.find((n) => n.id === leaderOf(frame)) ?? null)} />
        </div>
      </div>
    </div>
  );
}
