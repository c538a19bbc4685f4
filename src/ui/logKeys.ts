import type { NodeView } from '../replay/frames';

/** What moving along the strips needs of a node's view. */
type Strip = Pick<NodeView, 'id' | 'snapshotIndex' | 'lastIndex'>;

/** Where an arrow, Home or End moves the keyboard from `index` of `node`'s strip: along it, or to the same index (else the nearest) in the strip above or below. */
export function moveFrom(key: string, node: string, index: number, nodes: readonly Strip[], from: number, to: number): { node: string; index: number } | null {
  // A strip's entries in view run without gaps, from after its snapshot to its last index.
  const span = (n: Strip): [number, number] => [Math.max(from, n.snapshotIndex + 1), Math.min(to, n.lastIndex)];
  const row = nodes.findIndex((n) => n.id === node);
  if (row < 0) return null;
  if (key !== 'ArrowUp' && key !== 'ArrowDown') {
    const [lo, hi] = span(nodes[row]);
    switch (key) {
      case 'ArrowLeft':
        return lo <= hi ? { node, index: Math.max(lo, index - 1) } : null;
      case 'ArrowRight':
        return lo <= hi ? { node, index: Math.min(hi, index + 1) } : null;
      case 'Home':
        return lo <= hi ? { node, index: lo } : null;
      case 'End':
        return lo <= hi ? { node, index: hi } : null;
      default:
        return null;
    }
  }
  // Past a strip with no entries in view, to the next that has some.
  const dir = key === 'ArrowUp' ? -1 : 1;
  for (let r = row + dir; r >= 0 && r < nodes.length; r += dir) {
    const [lo, hi] = span(nodes[r]);
    if (lo <= hi) return { node: nodes[r].id, index: Math.min(hi, Math.max(lo, index)) };
  }
  return null;
}
