import { useRef, useState } from 'react';
import { downloadText, exportRunFile, importRun, shareUrl } from '../../store/session';
import { getSim, useStore } from '../../store/store';
import { runToScenario } from '../../replay/toScenario';
import './session.css';
import { useDialog } from '../useDialog';

/** Each live node's database content hash: two runs at the same moment show the same list. */
function StateFingerprint() {
  useStore((s) => s.frame);
  useStore((s) => s.revision);
  const sim = getSim();
  if (!sim) return null;
  return (
    <dl className="fingerprint" data-testid="fingerprint" title="Content hash of each node's database">
      {[...sim.cluster.servers.values()].map((s) => (
        <div key={s.id}>
          <dt>{s.id}</dt>
          <dd data-testid={`db-hash-${s.id}`}>{s.alive && s.db ? s.db.hash() : 'down'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Share link, export / import of the whole run, and the run as a headless scenario file. */
function SessionPopover({ onClose }: { onClose(): void }) {
  const dialogRef = useDialog<HTMLDivElement>(onClose);
  const [url] = useState(() => shareUrl() ?? '');
  const [copied, setCopied] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // No clipboard permission: the link is selected in the field for copying by hand.
    }
  };
  const exportRun = () => {
    const f = exportRunFile();
    if (f) downloadText(f.name, f.text);
  };
  const downloadScenario = () => {
    const st = useStore.getState();
    const run = st.currentRun();
    if (!run) return;
    const { text, warnings } = runToScenario(run, st.entries, getSim()?.settledAt);
    downloadText(`raftlite-scenario-seed${run.options.seed}.json`, text);
    if (warnings.length > 0) st.setNotice(`Scenario downloaded; note: ${warnings[0]}${warnings.length > 1 ? ` (+${warnings.length - 1} more)` : ''}.`);
  };
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > 10_000_000) {
      useStore.getState().setNotice(`${f.name} is too large to be a raftlite run. Nothing was changed.`);
      return;
    }
    if (await importRun(await f.text(), f.name, `Importing ${f.name}`)) {
      useStore.getState().setNotice(`Imported ${f.name}, paused at its saved moment.`);
      onClose();
    }
  };
  return (
    <div ref={dialogRef} role="dialog" aria-modal="true" aria-label="Share or save this run" className="session-popover" data-testid="session-popover" onClick={(e) => e.stopPropagation()}>
      <label>
        Link to this moment of this run
        <span className="row">
          <input readOnly value={url} onFocus={(e) => e.target.select()} data-testid="share-url" />
          <button onClick={copy} data-testid="share-copy">
            {copied ? 'Copied' : 'Copy'}
          </button>
        </span>
      </label>
      <div className="row">
        <button onClick={exportRun} data-testid="export-run" title="The whole run (settings, your inputs and the moment on screen) as a JSON file">
          Export run
        </button>
        <button onClick={() => file.current?.click()} data-testid="import-run-button">
          Import run…
        </button>
        <input ref={file} type="file" accept=".json,application/json" hidden data-testid="import-run" onChange={(e) => void onFile(e.target.files?.[0])} />
        <button onClick={downloadScenario} data-testid="download-scenario" title="What the page recorded, as a scenario for npm run scenario">
          Download as scenario
        </button>
      </div>
      <StateFingerprint />
    </div>
  );
}

export function SessionMenu() {
  const [open, setOpen] = useState(false);
  return (
    <span className="session-menu">
      <button onClick={() => setOpen(!open)} aria-expanded={open} data-testid="share">
        Share / save
      </button>
      {open && (
        <>
          <div className="session-backdrop" onClick={() => setOpen(false)} />
          <SessionPopover onClose={() => setOpen(false)} />
        </>
      )}
    </span>
  );
}
