import { useState } from 'react';
import type { StepOutput } from '../../drive/scenario/run';
import { runScenarioText } from '../../store/runScenario';
import { downloadText } from '../../store/session';
import { getSim, useStore } from '../../store/store';
import { runToScenario } from '../../replay/toScenario';
import formatUrl from '../../../docs/scenario-format.md?url';
import { ScenarioCodeEditor } from './ScenarioCodeEditor';
import './scenario.css';
import '../dialog.css';
import { useDialog } from '../useDialog';
import { toJson } from '../../db/json';
import { formatMs } from '../../sim/duration';

/** The repository's example scenarios, as text, by file name. */
const EXAMPLES: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob('../../../scenarios/*.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>).map(([path, text]) => [
    path.split('/').pop()!.replace(/\.json$/, ''),
    text,
  ]),
);
const FIRST = Object.keys(EXAMPLES).sort()[0];

function StepResults({ steps }: { steps: readonly StepOutput[] }) {
  return (
    <ol className="scenario-results" start={0} data-testid="scenario-results">
      {steps.map((s) => (
        <li key={s.i} className={s.ok ? 'ok' : 'bad'} data-ok={s.ok}>
          <span className="at">{formatMs(s.at)}</span> {s.ok ? '✓' : '✗'} {s.node ?? ''} {s.error ?? (s.result ? toJson(s.result).slice(0, 120) : '')}
        </li>
      ))}
    </ol>
  );
}

/** Write a scenario file (docs/scenario-format.md), run it in the page, and download what the page recorded. */
export function ScenarioEditor({ onClose }: { onClose(): void }) {
  const dialogRef = useDialog<HTMLElement>(onClose);
  const [loaded, setLoaded] = useState(() => EXAMPLES[FIRST] ?? '{ "nodes": 3, "seed": 1, "steps": [ { "waitFor": "leader" } ] }');
  const [text, setText] = useState(loaded);
  const [outcome, setOutcome] = useState<{ steps: StepOutput[] } | { error: string } | null>(null);
  const run = () => {
    const res = runScenarioText(text);
    setOutcome(res.ok ? { steps: res.steps } : { error: res.error });
  };
  const downloadRecorded = () => {
    const st = useStore.getState();
    const rec = st.currentRun();
    if (!rec) return;
    const { text: file, warnings } = runToScenario(rec, st.entries, getSim()?.settledAt);
    downloadText(`raftlite-scenario-seed${rec.options.seed}.json`, file);
    if (warnings.length > 0) st.setNotice(`Scenario downloaded; note: ${warnings[0]}`);
  };
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <section ref={dialogRef} role="dialog" aria-modal="true" aria-label="Scenario editor" className="wide-dialog scenario-editor" data-testid="scenario-editor" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2>Scenario editor</h2>
          <select
            aria-label="Load an example scenario"
            data-testid="scenario-example"
            value=""
            onChange={(e) => {
              const t = EXAMPLES[e.target.value];
              if (t !== undefined) {
                setLoaded(t);
                setText(t);
                setOutcome(null);
              }
            }}
          >
            <option value="">Load an example…</option>
            {Object.keys(EXAMPLES)
              .sort()
              .map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
          </select>
          <span className="spacer" />
          <button onClick={onClose} data-testid="scenario-close">
            Close
          </button>
        </header>
        <p className="muted">
          Files in{' '}
          <a href={formatUrl} target="_blank" rel="noreferrer">
            the scenario format
          </a>{' '}
          run here and headless alike, with <code>npm run --silent scenario -- FILE.json</code>. Running it here starts a new cluster, records every step as an input and stops at the end; scrub the
          timeline to watch.
        </p>
        <ScenarioCodeEditor initial={loaded} onChange={setText} />
        <div className="buttons">
          <button className="primary" onClick={run} data-testid="scenario-run">
            Run in the page
          </button>
          <button onClick={() => downloadText('scenario.json', text)}>Download this file</button>
          <button onClick={downloadRecorded} data-testid="scenario-download-recorded" title="The page's current run (including what you did by hand) as a scenario file">
            Download recorded run as scenario
          </button>
        </div>
        {outcome && 'error' in outcome && (
          <p className="bad" data-testid="scenario-error">
            {outcome.error}
          </p>
        )}
        {outcome && 'steps' in outcome && <StepResults steps={outcome.steps} />}
      </section>
    </div>
  );
}
