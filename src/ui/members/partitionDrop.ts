import type { InputAction } from '../../replay/simulation';
import { groupColumns, VIEW_H, VIEW_W, type GroupColumn } from '../layout';

/**
 * Where a dragged node may be dropped. While the network is whole there is one target: the
 * "cut off" zone at the right edge, outside the ring. Once it is cut, every group's column is a
 * target, so a node moves between groups by crossing the dashed line.
 */
export interface DropZone {
  /** The partition group the node joins there; `null` is a new group of its own. */
  group: number | null;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  label: string;
}

/**
 * The free strip right of the ring (the ring ends near x = 500 in the 640-wide view), up to the
 * view's right edge: "drag it to the right edge" means exactly that.
 */
export const CUT_ZONE: DropZone = {
  group: null,
  x0: VIEW_W - 104,
  x1: VIEW_W,
  y0: 0,
  y1: VIEW_H,
  label: 'drop here to cut off',
};

export function dropZones(groups: readonly number[]): DropZone[] {
  const cols: GroupColumn[] = groupColumns(groups);
  if (cols.length <= 1) return [CUT_ZONE];
  return cols.map((c, i) => ({
    group: c.group,
    x0: c.x0,
    x1: c.x1,
    y0: 0,
    y1: VIEW_H,
    label: `group ${String.fromCharCode(65 + i)}`,
  }));
}

/**
 * The zone under (x, y). A drop past the drawing's edges (the pointer is captured while dragging, so
 * it may end outside the view, or in the margin a wide panel leaves) counts at the nearest edge.
 */
export function zoneAt(zones: readonly DropZone[], x: number, y: number): DropZone | null {
  const cx = Math.min(Math.max(x, 0), VIEW_W - 1e-6);
  const cy = Math.min(Math.max(y, 0), VIEW_H - 1e-6);
  return zones.find((z) => cx >= z.x0 && cx < z.x1 && cy >= z.y0 && cy < z.y1) ?? null;
}

/**
 * The input that moves `id` into `zone`: a partition listing every group in column order (so the
 * columns keep their places), a heal when one group is left, nothing when the node stays put.
 */
export function dropAction(
  ids: readonly string[],
  groups: readonly number[],
  id: string,
  zone: DropZone,
): InputAction | null {
  const at = ids.indexOf(id);
  if (at < 0 || zone.group === groups[at]) return null;
  const next = [...groups];
  next[at] = zone.group ?? Math.max(...groups) + 1;
  const order = [...new Set(next)].sort((a, b) => a - b);
  const lists = order.map((g) => ids.filter((_, i) => next[i] === g)).filter((l) => l.length > 0);
  return lists.length <= 1 ? { kind: 'heal' } : { kind: 'partition', groups: lists };
}
