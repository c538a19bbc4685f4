import { scaleLinear } from 'd3-scale';

export const VIEW_W = 640;
export const VIEW_H = 420;
export const NODE_R = 28;

export interface Point {
  x: number;
  y: number;
}

/** The ring's radius while the network is whole. */
const RING_R = Math.min(VIEW_W, VIEW_H) / 2 - NODE_R - 34;
/** Where the ring's leftmost node and its label end (the view may leave out what is left of it). */
export const RING_LEFT = Math.floor(VIEW_W / 2 - RING_R - NODE_R - 44);

/** Nodes evenly on a ring, n1 at the top, going clockwise. */
export function ringLayout(ids: readonly string[]): Map<string, Point> {
  const angle = scaleLinear().domain([0, ids.length]).range([-Math.PI / 2, (3 * Math.PI) / 2]);
  const radius = RING_R;
  const out = new Map<string, Point>();
  ids.forEach((id, i) => {
    const a = angle(i);
    out.set(id, { x: VIEW_W / 2 + radius * Math.cos(a), y: VIEW_H / 2 + radius * Math.sin(a) });
  });
  return out;
}

/** One column per network partition group (by group number), each group on its own small ring. */
export interface GroupColumn {
  group: number;
  x0: number;
  x1: number;
}

export function groupColumns(groups: readonly number[]): GroupColumn[] {
  const distinct = [...new Set(groups)].sort((a, b) => a - b);
  // Wider columns for bigger groups; the +2 keeps a lone node's column wide enough for its label.
  const weight = (g: number) => groups.filter((x) => x === g).length + 2;
  const total = distinct.reduce((sum, g) => sum + weight(g), 0);
  let x = 0;
  return distinct.map((group) => {
    const w = (VIEW_W * weight(group)) / total;
    const col = { group, x0: x, x1: x + w };
    x += w;
    return col;
  });
}

/**
 * The ring while the network is whole; once it is cut, each group gathers in its own column so a
 * partition reads at a glance and a node can be dragged from one side to the other.
 */
export function groupLayout(ids: readonly string[], groups: readonly number[]): Map<string, Point> {
  const cols = groupColumns(groups);
  if (cols.length <= 1) return ringLayout(ids);
  const out = new Map<string, Point>();
  for (const col of cols) {
    const members = ids.filter((_, i) => groups[i] === col.group);
    const cx = (col.x0 + col.x1) / 2;
    // A little above the middle, and only as tall as the group needs: the legend sits bottom left.
    const cy = VIEW_H / 2 - 10;
    // An ellipse filling the column: a tall narrow column still leaves room between the nodes.
    const one = members.length === 1;
    const rx = one ? 0 : Math.max(0, (col.x1 - col.x0) / 2 - NODE_R - 16);
    const ry = one ? 0 : Math.min(cy - NODE_R - 24, 36 * members.length);
    members.forEach((id, k) => {
      const a = -Math.PI / 2 + (2 * Math.PI * k) / members.length;
      out.set(id, { x: cx + rx * Math.cos(a), y: cy + ry * Math.sin(a) });
    });
  }
  return out;
}

/** A point `t` of the way along the link a → b, nudged sideways so the two directions don't overlap. */
export function alongLink(a: Point, b: Point, t: number, side = 7): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len;
  const ny = dx / len;
  // Start and end on the rims, not the centres, so messages visibly leave and reach a node.
  const r0 = NODE_R / len;
  const u = r0 + (1 - 2 * r0) * t;
  return { x: a.x + dx * u + nx * side, y: a.y + dy * u + ny * side };
}
