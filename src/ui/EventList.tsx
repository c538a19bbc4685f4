import { useState } from 'react';
import { describeEvent, eventTone } from '../replay/describe';
import type { SimEvent } from '../replay/simulation';
import { isRoutine } from '../store/interesting';
import { useDiagram } from '../store/diagram';
import { useStore } from '../store/store';
import { useWhy } from '../store/why';
import { WhyButton } from './why/WhyButton';
import { fmtTime } from './format';
import { useFrame } from './hooks';

const SHOWN = 80;

/** The latest events up to the moment on screen, in words; click one to go there. */
export function EventList() {
  const f = useFrame();
  const seekEvent = useStore((s) => s.seekEvent);
  const [routine, setRoutine] = useState(false);
  // A delivery or a loss is a message: hovering its row lights it in the ring and the diagram, and back.
  const hoverMsg = useDiagram((s) => s.hoverMsg);
  const setHoverMsg = useDiagram((s) => s.setHoverMsg);
  // While a "why?" is open its causal past is marked, heartbeats and acks included (acks are causes).
  const past = useWhy((s) => s.diagramHighlight?.events ?? null);
  const direct = useWhy((s) => s.answer?.causes);
  if (!f) return null;
  const causes = new Set(direct?.map((c) => c.seq));
  const log = f.sim.log;
  const seqEnd = f.frame.seqEnd;
  const base = log.length > 0 ? log[0].seq : 0;
  const rows: SimEvent[] = [];
  for (let i = Math.min(log.length, seqEnd - base) - 1; i >= 0 && rows.length < SHOWN; i--) {
    const e = log[i];
    if (routine || !isRoutine(e) || past?.has(e.seq)) rows.push(e);
  }
  const currentFrom = f.index > 0 ? f.sim.frames[f.index - 1].seqEnd : 0;
  return (
    <div className="event-list" data-testid="event-list">
      <label className="check">
        <input type="checkbox" checked={routine} onChange={(e) => setRoutine(e.target.checked)} /> show heartbeats and acks
      </label>
      <ol>
        {rows.map((e) => (
          <li
            key={e.seq}
            className={`ev ev-${eventTone(e)}${e.seq >= currentFrom ? ' current' : ''}${msgIdOf(e) !== null && msgIdOf(e) === hoverMsg ? ' hovered' : ''}${causes.has(e.seq) ? ' ev-cause' : past?.has(e.seq) ? ' ev-past' : ''}`}
            onClick={() => seekEvent(e.seq)}
            onPointerEnter={msgIdOf(e) !== null ? () => setHoverMsg(msgIdOf(e)) : undefined}
            onPointerLeave={msgIdOf(e) !== null ? () => setHoverMsg(null) : undefined}
            data-seq={e.seq}
            data-msg-id={msgIdOf(e) ?? undefined}
          >
            <span className="ev-time">{fmtTime(e.time)}</span>
            <span className="ev-text">{describeEvent(e)}</span>
            <WhyButton className="ev-why" label={`Why: ${describeEvent(e)}`} target={() => ({ kind: 'event', seq: e.seq })} testId="ev-why" />
          </li>
        ))}
      </ol>
    </div>
  );
}

function msgIdOf(e: SimEvent): number | null {
  return e.kind === 'deliver' || e.kind === 'drop' ? e.msgId : null;
}
