import { describeMessage } from '../store/describe';
import { getSim, useStore } from '../store/store';
import { fmtTime } from './format';

function payload(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v),
    2,
  );
}

/** The full contents of the message clicked in the cluster view. */
export function MessageInspector() {
  const seq = useStore((s) => s.selectedMsg);
  const selectMsg = useStore((s) => s.selectMsg);
  const sim = getSim();
  if (seq === null || !sim) return null;
  const e = sim.log.find((x) => x.seq === seq);
  if (!e?.msg) return null;
  return (
    <div className="msg-inspector" data-testid="msg-inspector">
      <div className="result-head">
        <b>{e.msg.type}</b>
        <span className="muted">
          sent {fmtTime(e.sentAt ?? 0)} · {e.kind === 'drop' ? `lost at ${fmtTime(e.time)} (${e.text})` : `arrives ${fmtTime(e.time)}`}
        </span>
        <button className="link-button" onClick={() => selectMsg(null)}>
          close
        </button>
      </div>
      <p>{describeMessage(e.msg)}</p>
      <pre className="raw">{payload(e.msg)}</pre>
    </div>
  );
}
