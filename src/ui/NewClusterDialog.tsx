import { useState } from 'react';
import { BROKEN_MODES, withBrokenMode } from '../store/brokenModes';
import type { SimOptions } from '../replay/simulation';
import { useStore } from '../store/store';
import { useDialog } from './useDialog';
import './dialog.css';

interface Props {
  onClose(): void;
}

function clampInt(v: string, lo: number, hi: number): number {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.max(lo, Math.min(hi, n)) : lo;
}

/** Start over with a different cluster shape, seed and timing. */
export function NewClusterDialog({ onClose }: Props) {
  const current = useStore((s) => s.options);
  const [o, setO] = useState<SimOptions>(current);
  const ref = useDialog<HTMLFormElement>(onClose);
  const create = () => {
    const [emin, emax] = o.electionTimeout;
    const [lmin, lmax] = o.latency;
    useStore.getState().newCluster({
      ...o,
      electionTimeout: [Math.min(emin, emax), Math.max(emin, emax)],
      latency: [Math.min(lmin, lmax), Math.max(lmin, lmax)],
    });
    onClose();
  };
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <form
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label="New cluster"
        className="dialog"
        data-testid="new-cluster-dialog"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <h2>New cluster</h2>
        <label>
          Nodes (3–9)
          <input type="number" min={3} max={9} value={o.nodes} data-testid="nc-nodes" onChange={(e) => setO({ ...o, nodes: clampInt(e.target.value, 3, 9) })} />
        </label>
        <label>
          Seed
          <input type="number" value={o.seed} data-testid="nc-seed" onChange={(e) => setO({ ...o, seed: clampInt(e.target.value, 0, 2 ** 31 - 1) })} />
        </label>
        <label>
          Election timeout (ms)
          <span className="range">
            <input type="number" min={20} value={o.electionTimeout[0]} onChange={(e) => setO({ ...o, electionTimeout: [clampInt(e.target.value, 20, 10000), o.electionTimeout[1]] })} />
            –
            <input type="number" min={20} value={o.electionTimeout[1]} onChange={(e) => setO({ ...o, electionTimeout: [o.electionTimeout[0], clampInt(e.target.value, 20, 10000)] })} />
          </span>
        </label>
        <label>
          One-way latency (ms)
          <span className="range">
            <input type="number" min={0} value={o.latency[0]} onChange={(e) => setO({ ...o, latency: [clampInt(e.target.value, 0, 2000), o.latency[1]] })} />
            –
            <input type="number" min={0} value={o.latency[1]} onChange={(e) => setO({ ...o, latency: [o.latency[0], clampInt(e.target.value, 0, 2000)] })} />
          </span>
        </label>
        <label className="check">
          <input type="checkbox" checked={o.preVote} onChange={(e) => setO({ ...o, preVote: e.target.checked })} /> Pre-vote
        </label>
        <fieldset className="nc-broken">
          <legend>Break Raft on purpose</legend>
          {BROKEN_MODES.map((m) => (
            <div key={m.key}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={o.tuning?.[m.key] === true}
                  data-testid={`nc-${m.key}`}
                  onChange={(e) => setO(withBrokenMode(o, m.key, e.target.checked))}
                />{' '}
                {m.label}
              </label>
              <p>{m.breaks}</p>
            </div>
          ))}
        </fieldset>
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" data-testid="nc-create">
            Create
          </button>
        </div>
      </form>
    </div>
  );
}
