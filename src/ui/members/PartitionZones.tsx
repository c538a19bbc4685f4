import { VIEW_H } from '../layout';
import { zoneAt, type DropZone } from './partitionDrop';
import type { Drag } from './useNodeDrag';

interface Props {
  zones: readonly DropZone[];
  /** Columns of a cut network, drawn even when nothing is being dragged. */
  partitioned: boolean;
  drag: Drag | null;
}

/**
 * The dashed lines between partition groups, and while a node is dragged the places it can go,
 * the one under the pointer lit up.
 */
export function PartitionZones({ zones, partitioned, drag }: Props) {
  const over = drag ? zoneAt(zones, drag.at.x, drag.at.y) : null;
  return (
    <g className="partition-zones" data-testid="partition-zones" data-dragging={drag ? drag.id : undefined}>
      {partitioned &&
        zones
          .slice(1)
          .map((z) => (
            <line
              key={`div-${z.x0}`}
              className="partition-divider"
              x1={z.x0}
              y1={8}
              x2={z.x0}
              y2={VIEW_H - 8}
            />
          ))}
      {partitioned &&
        zones.map((z, i) => (
          // Beside the dashed line rather than mid-column, clear of the nodes in the columns.
          <text
            key={`lbl-${z.x0}`}
            className="partition-label"
            x={i === 0 ? z.x1 - 8 : z.x0 + 8}
            y={16}
            textAnchor={i === 0 ? 'end' : 'start'}
          >
            {i === 0 ? `${z.label} ◂` : `▸ ${z.label}`}
          </text>
        ))}
      {drag &&
        zones.map((z) => (
          <rect
            key={`zone-${z.x0}`}
            className={`drop-zone${z === over ? ' over' : ''}${z.group === null ? ' cut' : ''}`}
            x={z.x0 + 3}
            y={z.y0 + 3}
            width={z.x1 - z.x0 - 6}
            height={z.y1 - z.y0 - 6}
            rx={10}
            data-testid={z.group === null ? 'drop-zone-cut' : `drop-zone-${z.group}`}
          />
        ))}
      {drag && !partitioned && (
        <text
          className="drop-zone-label"
          x={(zones[0].x0 + zones[0].x1) / 2}
          y={zones[0].y1 - 34}
          textAnchor="middle"
        >
          <tspan x={(zones[0].x0 + zones[0].x1) / 2}>drop here</tspan>
          <tspan x={(zones[0].x0 + zones[0].x1) / 2} dy={14}>
            to cut it off
          </tspan>
        </text>
      )}
    </g>
  );
}
