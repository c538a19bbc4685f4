import type { MsgClass } from '../replay/describe';
import { MSG_COLOURS, MSG_NAMES } from './palette';

const SHOWN: MsgClass[] = ['vote-req', 'vote-yes', 'vote-no', 'append', 'heartbeat', 'append-ok', 'append-no', 'snapshot', 'client'];

/** What the message colours mean. */
export function MessageLegend() {
  return (
    <ul className="legend">
      {SHOWN.map((c) => (
        <li key={c}>
          <span className="dot" style={{ background: MSG_COLOURS[c] }} />
          {MSG_NAMES[c]}
        </li>
      ))}
      <li>
        <span className="ring leader" /> leader
      </li>
      <li>
        <span className="ring candidate" /> candidate
      </li>
    </ul>
  );
}
