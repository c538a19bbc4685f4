import { describeMessage } from '../replay/describe';
import { getSim, useStore } from '../store/store';
import { fmtTime } from './format';
import { toJson } from '../db/json';

function payload(value: unknown): string {
  return toJson(value, 2, (v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v));
}

/** The full contents of the message clicked in the cluster view. */
export function MessageInspector() {
  const seq = useStore((s) => s.selectedMsg);
  const selectMsg = useStore((s) => s.selectMsg);
  const time = useStore((s) => s.time);
  const frame = useStore((s) => s.frame);
  const sim = getSim();
  if (seq === null || !sim) return null;
  const found = sim.events.get(seq);
  if (!found || (found.kind !== 'deliver' && found.kind !== 'drop')) return null;
  const e = found;
  // Still on the wire at the moment on screen (the simulation itself has run a little ahead).
  const seqEnd = sim.frames.seqEnd(Math.min(frame, sim.frames.length - 1));
  const travelling = e.kind === 'deliver' && (e.time > time || (e.time === time && e.seq >= seqEnd));
  const drop = () => {
    const id = e.msgId;
    const store = useStore.getState();
    // Paused, the store acts on the moment on screen, where this message has not arrived yet.
    store.pause();
    store.act({ kind: 'drop', id });
    // The run now forks at the moment on screen: the loss is logged after it.
    const events = getSim()?.events;
    for (let q = seqEnd; events && q < events.end; q++) {
      const x = events.get(q);
      if (x?.kind === 'drop' && x.msgId === id) return selectMsg(x.seq);
    }
  };
  return (
    <div className="msg-inspector" data-testid="msg-inspector">
      <div className="result-head">
        <b>{e.msg.type}</b>
        <span className="muted">
          sent {fmtTime(e.sentAt)} · {e.kind === 'drop' ? `lost at ${fmtTime(e.time)} (${e.reason})` : `arrives ${fmtTime(e.time)}`}
        </span>
        {travelling && (
          <button className="drop-msg" onClick={drop} title="Lose this message on the network, as if the link had failed" data-testid="drop-msg">
            Drop this message
          </button>
        )}
        <button className="link-button" onClick={() => selectMsg(null)}>
          close
        </button>
      </div>
      <p>{describeMessage(e.msg)}</p>
      <pre className="raw">{payload(e.msg)}</pre>
    </div>
  );
}
