import { memo } from 'react';
import type { NodeView } from '../replay/frames';
import type { Point } from './layout';

interface Props {
  nodes: readonly Pick<NodeView, 'id'>[];
  /** The partition group of each node, in the order of `nodes`. */
  groups: readonly number[];
  pos: Map<string, Point>;
}

const same = (a: Props, b: Props) =>
  a.pos === b.pos && a.nodes.length === b.nodes.length && a.nodes.every((n, i) => n.id === b.nodes[i].id) && a.groups.join() === b.groups.join();

/**
 * Every pair of servers; a link across a partition is drawn cut in the middle. Memoised: links
 * change with the layout and the partition, not with each animation frame.
 */
export const Links = memo(function Links({ nodes, groups, pos }: Props) {
  const out = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = pos.get(nodes[i].id)!;
      const b = pos.get(nodes[j].id)!;
      const cut = groups[i] !== groups[j];
      const key = `${nodes[i].id}-${nodes[j].id}`;
      if (!cut) {
        out.push(<line key={key} className="link" x1={a.x} y1={a.y} x2={b.x} y2={b.y} />);
        continue;
      }
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      const gap = 0.08;
      out.push(
        <g key={key} className="link-cut" data-testid={`cut-${key}`}>
          <line x1={a.x} y1={a.y} x2={mx - (mx - a.x) * gap * 2} y2={my - (my - a.y) * gap * 2} />
          <line x1={b.x} y1={b.y} x2={mx - (mx - b.x) * gap * 2} y2={my - (my - b.y) * gap * 2} />
          {/* A small cross in the gap: "cut here" (and a box with area even for a level link). */}
          <path className="cut-mark" d={`M${mx - 3},${my - 3}L${mx + 3},${my + 3}M${mx - 3},${my + 3}L${mx + 3},${my - 3}`} />
        </g>,
      );
    }
  }
  return <g className="links">{out}</g>;
}, same);
