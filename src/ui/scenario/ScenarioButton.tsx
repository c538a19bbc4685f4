import { Suspense, useState } from 'react';
import { LoadBoundary, useRetryableLazy } from '../LoadBoundary';

/** Opens the scenario editor from the header. */
export function ScenarioButton() {
  const [open, setOpen] = useState(false);
  // The editor brings CodeMirror's JSON mode and linter: loaded only when asked for.
  const { Part: ScenarioEditor, retry } = useRetryableLazy('The scenario editor', () => import('./ScenarioEditor').then((m) => m.ScenarioEditor));
  return (
    <>
      <button onClick={() => setOpen(true)} data-testid="open-scenario-editor" title="Write and run a scenario file">
        Scenario…
      </button>
      {open && (
        <LoadBoundary
          onFail={() => {
            setOpen(false);
            retry();
          }}
        >
          <Suspense fallback={null}>
            <ScenarioEditor onClose={() => setOpen(false)} />
          </Suspense>
        </LoadBoundary>
      )}
    </>
  );
}
