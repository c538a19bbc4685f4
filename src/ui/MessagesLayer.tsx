import { classify, shortLabel } from '../replay/describe';
import { messagesInFlight, type InFlight } from '../replay/inflight';
import { useDiagram } from '../store/diagram';
import { getSim, useStore } from '../store/store';
import { alongLink, type Point } from './layout';
import { MSG_COLOURS } from './palette';

interface Props {
  pos: Map<string, Point>;
  seqEnd: number;
}

/** Message seq → the element slot it is drawn in while playing; see `slotsFor`. */
const slots = new Map<number, number>();

/**
 * While playing, a message that arrives hands its element to the next one sent: the slot is the
 * React key, so the element is reused (its attributes change) instead of one removed and another
 * built every time a message leaves and one departs. A message keeps its slot while it flies.
 */
function slotsFor(msgs: readonly InFlight[]): Map<number, number> {
  const live = new Set(msgs.map((m) => m.seq));
  const used = new Set<number>();
  for (const [seq, slot] of slots) {
    if (live.has(seq)) used.add(slot);
    else slots.delete(seq);
  }
  let free = 0;
  for (const m of msgs) {
    if (slots.has(m.seq)) continue;
    while (used.has(free)) free++;
    slots.set(m.seq, free);
    used.add(free);
  }
  return slots;
}

/** Messages on the wire at the current simulated instant, moving along their links. */
export function MessagesLayer({ pos, seqEnd }: Props) {
  const time = useStore((s) => s.time);
  const selectedMsg = useStore((s) => s.selectedMsg);
  const selectMsg = useStore((s) => s.selectMsg);
  // Paused, the messages hold still and can be visited with Tab; playing, they would vanish under the focus.
  const playing = useStore((s) => s.playing);
  // The message under the pointer here, in the space-time diagram or in the event list.
  const hoverMsg = useDiagram((s) => s.hoverMsg);
  const setHoverMsg = useDiagram((s) => s.setHoverMsg);
  const sim = getSim();
  if (!sim) return null;
  const msgs = messagesInFlight(sim.events, time, seqEnd, sim.maxLatency);
  // Paused, each message keeps its own element, so the focus stays on the message it was on.
  const slot = playing ? slotsFor(msgs) : null;
  return (
    <g className="messages" data-testid="messages" data-count={msgs.length}>
      {msgs.map((m) => {
        const a = pos.get(m.msg.from);
        const b = pos.get(m.msg.to);
        if (!a || !b) return null;
        const cls = classify(m.msg);
        const p = alongLink(a, b, m.progress);
        const fall = m.falling ?? 0;
        const y = p.y + fall * fall * 60;
        const small = cls === 'heartbeat' || cls === 'append-ok';
        return (
          <g
            key={slot ? `s${slot.get(m.seq)}` : `m${m.seq}`}
            className={`msg msg-${cls}${m.falling !== null ? ' falling' : ''}${selectedMsg === m.seq ? ' selected' : ''}${hoverMsg === m.msgId ? ' hovered' : ''}`}
            onPointerEnter={() => setHoverMsg(m.msgId)}
            onPointerLeave={() => setHoverMsg(null)}
            data-msg-id={m.msgId}
            transform={`translate(${p.x},${y}) rotate(${fall * 90})`}
            opacity={1 - fall}
            onClick={(ev) => {
              ev.stopPropagation();
              selectMsg(m.seq);
            }}
            onKeyDown={(ev) => {
              if (ev.key !== 'Enter' && ev.key !== ' ') return;
              ev.preventDefault();
              ev.stopPropagation();
              selectMsg(m.seq);
            }}
            tabIndex={playing ? undefined : 0}
            role="button"
            aria-label={`message ${shortLabel(m.msg)}: ${m.msg.type} from ${m.msg.from} to ${m.msg.to}`}
            data-type={m.msg.type}
          >
            {hoverMsg === m.msgId && <circle r={small ? 9 : 11} className="msg-hover-ring" />}
            <circle r={small ? 4 : 6} fill={MSG_COLOURS[cls]} />
            {!small && (
              <text y={-9} textAnchor="middle" fill={MSG_COLOURS[cls]}>
                {shortLabel(m.msg)}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}
