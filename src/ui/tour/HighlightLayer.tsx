import { classify } from '../../replay/describe';
import type { Frame } from '../../replay/frames';
import { useHighlight } from '../../store/highlight';
import { messagesInFlight } from '../../replay/inflight';
import { getSim, useStore } from '../../store/store';
import { leaderOf } from '../hooks';
import { alongLink, NODE_R, type Point } from '../layout';

interface Props {
  frame: Frame;
  pos: Map<string, Point>;
}

/**
 * The pulsing ring around a node, open at the bottom where the node's role label is written: a
 * closed ring would cross "follower" or "leader · 2 votes".
 */
const RING_R = NODE_R + 17;
const GAP = (40 * Math.PI) / 180;
const ringEnd = (sign: number) => `${(sign * RING_R * Math.sin(GAP)).toFixed(2)},${(RING_R * Math.cos(GAP)).toFixed(2)}`;
const RING = `M${ringEnd(-1)} A${RING_R},${RING_R} 0 1 1 ${ringEnd(1)}`;

/** Resolve "leader" against the frame on screen; unknown ids are dropped. */
export function resolveNodes(refs: readonly string[] | undefined, frame: Frame): string[] {
  if (!refs) return [];
  const leader = leaderOf(frame);
  return refs.flatMap((r) => (r === 'leader' ? (leader ? [leader] : []) : frame.nodes.some((n) => n.id === r) ? [r] : []));
}

/** Pulsing rings around whatever a tour step points at in the cluster: nodes and messages in flight. */
export function HighlightLayer({ frame, pos }: Props) {
  const h = useHighlight((s) => s.highlight);
  const time = useStore((s) => s.time);
  if (!h) return null;
  const nodes = resolveNodes(h.nodes, frame);
  const sim = getSim();
  const kinds = new Set(h.messages ?? []);
  const msgs = sim && kinds.size > 0 ? messagesInFlight(sim.events, time, frame.seqEnd, sim.maxLatency).filter((m) => m.falling === null && kinds.has(classify(m.msg))) : [];
  return (
    <g className="tour-highlight" data-testid="tour-highlight" pointerEvents="none">
      {nodes.map((id) => {
        const p = pos.get(id);
        if (!p) return null;
        return (
          <g key={id} transform={`translate(${p.x},${p.y})`} data-testid={`hl-node-${id}`}>
            <path className="hl-ring" d={RING} />
            {h.label && (
              <text className="hl-label" y={-NODE_R - 30} textAnchor="middle">
                {h.label}
              </text>
            )}
          </g>
        );
      })}
      {msgs.map((m) => {
        const a = pos.get(m.msg.from);
        const b = pos.get(m.msg.to);
        if (!a || !b) return null;
        const p = alongLink(a, b, m.progress);
        return <circle key={m.seq} className="hl-msg" cx={p.x} cy={p.y} r={12} />;
      })}
    </g>
  );
}
