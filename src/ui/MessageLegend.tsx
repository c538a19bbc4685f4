import type { MsgClass } from '../replay/describe';
import { MSG_COLOURS, MSG_NAMES } from './palette';

/** Every message kind the view draws. */
const SHOWN: MsgClass[] = ['vote-req', 'vote-yes', 'vote-no', 'append', 'heartbeat', 'append-ok', 'append-no', 'snapshot', 'snapshot-resp', 'timeout-now', 'client'];

/** In the legend the vote request says both labels it carries on the wire ("Vote?" and, with pre-vote on, "PreVote?"). */
const LEGEND_NAME: Partial<Record<MsgClass, string>> = { 'vote-req': 'RequestVote / PreVote' };

/** What the message colours mean. */
export function MessageLegend() {
  return (
    <ul className="legend">
      {SHOWN.map((c) => (
        <li key={c}>
          <span className="dot" style={{ background: MSG_COLOURS[c] }} />
          {LEGEND_NAME[c] ?? MSG_NAMES[c]}
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
