import type { Frame } from '../../replay/frames';
import { useHighlight } from '../../store/highlight';
import { leaderOf } from '../hooks';

/** Node id → log indexes a tour step points at, resolved against the frame on screen. */
export function useHighlightedCells(frame: Frame | null): Map<string, Set<number>> {
  const cells = useHighlight((s) => s.highlight?.cells);
  const out = new Map<string, Set<number>>();
  if (!frame || !cells) return out;
  const leader = leaderOf(frame);
  const leaderLast = frame.nodes.find((n) => n.id === leader)?.lastIndex ?? Math.max(0, ...frame.nodes.map((n) => n.lastIndex));
  for (const c of cells) {
    const index = c.index === 'last' ? leaderLast : c.index;
    const node = c.node === 'leader' ? leader : c.node;
    for (const n of frame.nodes) {
      if (node !== undefined && node !== n.id) continue;
      let set = out.get(n.id);
      if (!set) out.set(n.id, (set = new Set()));
      set.add(index);
    }
  }
  return out;
}
